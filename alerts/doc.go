// Package alerts decides when pullcheck speaks unprompted: it watches pods,
// waits out a grace period, diagnoses what stays broken, keeps one incident
// per (workload, container, image, root cause), groups incidents that share
// a cause into one storm alert, and posts "resolved" when the pods pull. It
// hands every message to a Notifier (the bot) and keeps its state in a
// ConfigMap so that a restart or a new leader does not alert twice.
package alerts
