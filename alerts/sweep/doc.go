// Package sweep runs pullcheck's scheduled checks of the whole account and
// cluster, as opposed to the diagnosis of one pod:
//
//   - QuotaSweep reads the registry storage and pull-traffic quota of
//     pullcheck's account in each region, keeps hourly samples, and warns
//     with a forecast of the day the limit is reached and the largest
//     repositories;
//   - HygieneSweep looks at every workload that pulls from icr.io and finds
//     namespaces without their all-icr-io copy, copies left stale by a key
//     rotation, and service accounts that list no pull secret, with fix
//     buttons that take the same path as a typed "fix" command.
//
// A sweep posts only when a condition changes: each Finding has a stable
// Key, and State.Posted remembers what was last posted for it, so a warning
// is posted once, again when it gets worse or better, and once more when it
// clears. State lives in a Store; NewConfigMapStore keeps it in a ConfigMap
// (a kubestate.ConfigMap, as the incidents are kept) so that a restarted or
// newly elected replica does not post again. Quota samples are kept an hour
// apart for a day and a day apart before that, so a month of every region
// stays a small part of the 1 MiB a ConfigMap holds.
//
// Scheduler runs the sweeps on cron schedules (robfig/cron) with panic
// recovery and without overlapping runs of one job. Start it only on the
// leader replica: two schedulers would post everything twice.
package sweep
