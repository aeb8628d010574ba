// Package kubestate keeps pullcheck's own state (open incidents, sweep
// marks, claimed buttons) as a JSON document in one key of a ConfigMap in
// pullcheck's namespace.
//
// Every write is conditional on the resourceVersion the writer read: a
// writer that read an older version — a deposed leader, or the other of
// two replicas that raced — gets ErrConflict instead of overwriting what
// another wrote since. A ConfigMap holds at most MaxBytes of data; a
// document that outgrows it is refused by the API server with ErrTooLarge,
// so writers keep their documents well below it.
package kubestate
