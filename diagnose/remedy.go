package diagnose

import (
	"fmt"

	"k8s.io/apimachinery/pkg/types"
)

// Action is what a remedy does. Every action but Manual has a fixer.
type Action string

// Actions. Manual remedies carry only a command for a person to run.
const (
	CopyPullSecret         Action = "copy-pull-secret"
	SyncPullSecret         Action = "sync-pull-secret"
	PatchServiceAccount    Action = "patch-service-account"
	RestartPod             Action = "restart-pod"
	ApplyClusterPullSecret Action = "apply-cluster-pull-secret"
	Rerun                  Action = "rerun"
	Manual                 Action = "manual"
)

// Risk says whether applying a remedy disturbs running workloads.
type Risk string

// Risks. Disruptive remedies need an explicit confirmation.
const (
	Safe       Risk = "safe"
	Disruptive Risk = "disruptive"
)

// Remedy is a fix as data, so that it can travel in a button and be verified
// again before it is applied.
type Remedy struct {
	Action Action            `json:"action"`
	Title  string            `json:"title"`
	Effect string            `json:"effect"`
	Risk   Risk              `json:"risk"`
	Args   map[string]string `json:"args,omitempty"`
	// Manual is the command a person could run instead.
	Manual string `json:"manual"`
}

// ClusterPullSecretName is the pull secret IBM Cloud Kubernetes Service
// creates in the default namespace.
const ClusterPullSecretName = "all-icr-io"

// copySecretRemedy copies default/<secret> into ns under the same name.
func copySecretRemedy(ns, secret string) Remedy {
	return Remedy{
		Action: CopyPullSecret,
		Title:  fmt.Sprintf("Copy %s into %s", secret, ns),
		Effect: fmt.Sprintf("Creates secret %s/%s from default/%s, labelled as managed by pullcheck.", ns, secret, secret),
		Risk:   Safe,
		Args:   map[string]string{"namespace": ns, "secret": secret},
		Manual: fmt.Sprintf("kubectl get secret %s -n default -o yaml | sed 's/namespace: default/namespace: %s/' | kubectl create -n %s -f -", secret, ns, ns),
	}
}

func syncSecretRemedy(ns string) Remedy {
	return Remedy{
		Action: SyncPullSecret,
		Title:  fmt.Sprintf("Refresh %s/%s from default", ns, ClusterPullSecretName),
		Effect: fmt.Sprintf("Replaces the data of %s/%s with that of default/%s.", ns, ClusterPullSecretName, ClusterPullSecretName),
		Risk:   Safe,
		Args:   map[string]string{"namespace": ns, "secret": ClusterPullSecretName},
		Manual: fmt.Sprintf("kubectl delete secret %s -n %s && kubectl get secret %s -n default -o yaml | sed 's/namespace: default/namespace: %s/' | kubectl create -n %s -f -", ClusterPullSecretName, ns, ClusterPullSecretName, ns, ns),
	}
}

func patchSARemedy(ns, sa, secret string) Remedy {
	return Remedy{
		Action: PatchServiceAccount,
		Title:  fmt.Sprintf("Add %s to service account %s", secret, sa),
		Effect: fmt.Sprintf("Adds %s to the imagePullSecrets of %s/%s; pods created afterwards use it.", secret, ns, sa),
		Risk:   Safe,
		Args:   map[string]string{"namespace": ns, "serviceAccount": sa, "secret": secret},
		Manual: fmt.Sprintf(`kubectl patch -n %s serviceaccount/%s --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"%s"}}]'`, ns, sa, secret),
	}
}

// restartPodRemedy carries the pod's UID, so that a stale button cannot
// delete a newer pod of the same name.
func restartPodRemedy(ns, pod string, uid types.UID) Remedy {
	return Remedy{
		Action: RestartPod,
		Title:  fmt.Sprintf("Restart pod %s", pod),
		Effect: fmt.Sprintf("Deletes pod %s/%s so that its controller creates a new one with the current pull secrets.", ns, pod),
		Risk:   Disruptive,
		Args:   map[string]string{"namespace": ns, "pod": pod, "uid": string(uid)},
		Manual: fmt.Sprintf("kubectl delete pod -n %s %s", ns, pod),
	}
}

func applyClusterSecretRemedy(cluster string) Remedy {
	name := cluster
	if name == "" {
		name = "<cluster>"
	}
	return Remedy{
		Action: ApplyClusterPullSecret,
		Title:  "Re-apply the cluster pull secret",
		Effect: "Re-creates the cluster's service ID, its Reader policy, API key and the all-icr-io secret in default; custom IAM policies of that service ID are reset.",
		Risk:   Disruptive,
		Args:   map[string]string{"cluster": cluster},
		Manual: "ibmcloud ks cluster pull-secret apply --cluster " + name,
	}
}

func rerunRemedy(req Request) Remedy {
	return Remedy{
		Action: Rerun,
		Title:  "Run the diagnosis again",
		Effect: "Runs every check again.",
		Risk:   Safe,
		Args:   map[string]string{"namespace": req.Namespace, "pod": req.Pod},
		Manual: fmt.Sprintf("pullcheck diagnose pod %s/%s", req.Namespace, req.Pod),
	}
}

func manualRemedy(title, effect, command string) Remedy {
	return Remedy{Action: Manual, Title: title, Effect: effect, Risk: Safe, Manual: command}
}
