// Package preflight answers, before anything is deployed, whether the pods
// that rendered manifests describe could pull their images: for every
// container of every pod template, the image in its namespace, for its
// service account and pull secrets, on the nodes it may run on.
//
// Manifests are read with their line numbers (Load, Parse). Objects the
// manifests create — namespaces, service accounts, secrets — count as
// existing: Overlay lays them over the live cluster's reads. Each distinct
// Subject (image, namespace, service account, pull secrets, platforms) is
// diagnosed once by the diagnose chain, concurrently (Checker.Run), and the
// result is mapped back to every container that uses it.
//
// Checker.Check is the one path from a Subject to a diagnosis; the chat
// command "image <ref> in <namespace>" takes it too.
package preflight
