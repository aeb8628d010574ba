// Package fleet is the clusters pullcheck serves: each a Member with a
// short name, read from a kubeconfig's contexts, whose Health says whether
// its API server answers, and the Survey of which of the account's IBM
// Cloud Kubernetes Service clusters they cover. It knows Kubernetes and IBM
// Cloud, never chat: commands and alerts use it, cmd wires it.
package fleet
