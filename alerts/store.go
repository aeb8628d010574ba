package alerts

import (
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/kubestate"
)

// Store keeps the incident state across restarts and leader changes. Each
// save is conditional on the version the Manager read or last wrote, so a
// deposed leader cannot overwrite its successor's state.
type Store = kubestate.Store

// StateConfigMap is the ConfigMap, in pullcheck's namespace, that holds
// the incident state under the key StateKey.
const (
	StateConfigMap = "pullcheck-incidents"
	StateKey       = "incidents.json"
)

// NewConfigMapStore keeps the incident state in the ConfigMap
// StateConfigMap of namespace.
func NewConfigMapStore(kube kubernetes.Interface, namespace string) *kubestate.ConfigMap {
	return &kubestate.ConfigMap{Kube: kube, Namespace: namespace, Name: StateConfigMap, Key: StateKey}
}

// MemoryStore returns a Store that lives as long as the process (tests).
func MemoryStore() Store { return &kubestate.Memory{} }
