// Package sandbox is a self-contained world for pullcheck's tests and its
// demo: an emulated IBM Cloud (IAM, the registry management API, the
// Kubernetes Service API), icr.io registries and Docker Hub on their real
// host names, served locally over TLS, and a simulated cluster with one
// broken workload per root cause plus healthy ones. It needs no network,
// cluster or token.
package sandbox
