// Package fix applies diagnose remedies to the live cluster and to IBM Cloud.
//
// A remedy travels as data (a diagnose.Action and its Args), typically in a
// chat button, so nothing in it is trusted: every fixer validates its
// arguments and re-checks its preconditions against the live cluster before
// it changes anything. A fixer that finds nothing to do says so and changes
// nothing, so applying a remedy twice is harmless. A refusal is a
// *PreconditionError whose message is safe to show users; any other error
// means the fix could not be applied (an API failed).
//
// Kubernetes changes honour Request.DryRun with a server-side dry run
// (metav1.DryRunAll): the API server admits and validates the change but does
// not persist it. IBM Cloud has no dry run, so a dry run of
// apply-cluster-pull-secret calls nothing and says what it would do.
//
// Guards, from the design's remedies table:
//
//   - copy-pull-secret and sync-pull-secret copy only the image pull secrets
//     of default the operator allows (WithCopySources; all-icr-io alone by
//     default), whatever secret a remedy names: pullcheck must not become a
//     tenant's way to read another secret of default (a confused deputy).
//     They never overwrite a secret pullcheck did not create: one
//     that lacks the app.kubernetes.io/managed-by=pullcheck label or the
//     pullcheck.io/source annotation naming its source (diagnose.ManagedCopy).
//   - patch-service-account adds the secret with a JSON patch that tests the
//     service account's resourceVersion, so two concurrent clicks cannot add
//     it twice.
//   - restart-pod deletes only pods whose controller exists and will recreate
//     them, with a UID precondition so that a replacement is never deleted.
//   - apply-cluster-pull-secret is disruptive (it resets the custom IAM
//     policies of the cluster's service ID); confirming it is the caller's job.
//
// Fixers never read secret data into a message: summaries name objects and
// content hashes (diagnose.ContentHash) only.
package fix
