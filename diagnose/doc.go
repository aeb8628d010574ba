// Package diagnose runs pullcheck's diagnosis chain: the IBM Cloud image-pull
// runbook as one list of checks over a pod, its Kubernetes setup, the registry
// it pulls from and the IBM Cloud account behind it.
//
// A Check looks at one finding of the catalogue (see Catalogue). The Engine
// runs every check concurrently, shares the probes they need through a Target
// (each probe runs at most once per diagnosis), streams each Result in
// catalogue order as soon as it and every earlier result are known, and names
// one root cause: the first failing finding in catalogue order.
//
// The package knows Kubernetes, registries and IBM Cloud; it never knows chat.
package diagnose
