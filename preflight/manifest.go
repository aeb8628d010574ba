package preflight

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
)

// Container is one container (init or regular) of a pod template in the
// manifests.
type Container struct {
	// File is the manifest's path as given ("stdin" for standard input);
	// Line is the line of the container's image field.
	File   string `json:"file"`
	Line   int    `json:"line"`
	column int
	// Kind and Workload name the object holding the pod template.
	Kind     string `json:"kind"`
	Workload string `json:"workload"`
	// Namespace is the object's namespace, resolved by Manifests.Resolve
	// when the manifest leaves it out.
	Namespace string `json:"namespace"`
	Name      string `json:"container"`
	Init      bool   `json:"init,omitempty"`
	Image     string `json:"image"`
	// ServiceAccount is the template's service account ("default" when
	// unset); PullSecrets its imagePullSecrets.
	ServiceAccount string   `json:"service_account"`
	PullSecrets    []string `json:"pull_secrets,omitempty"`

	// placement is what decides the template's nodes: its node selector
	// and required node affinity.
	placement placement
}

// placement is the part of a pod spec that chooses nodes.
type placement struct {
	selector map[string]string
	affinity *corev1.NodeSelector
}

// Manifests is what a set of rendered manifests holds for a preflight.
type Manifests struct {
	Containers []Container
	// Namespaces, ServiceAccounts and Secrets are the objects the
	// manifests create that decide a pod's pull credentials.
	Namespaces      []*corev1.Namespace
	ServiceAccounts []*corev1.ServiceAccount
	Secrets         []*corev1.Secret
	// Objects counts every object read; Skipped counts those of kinds the
	// preflight does not read, by kind.
	Objects int
	Skipped map[string]int
	// Files lists the files read, in order.
	Files []string
}

// Resolve gives every namespaced object without a namespace ns, as
// "kubectl apply -n ns" would.
func (m *Manifests) Resolve(ns string) {
	for i := range m.Containers {
		if m.Containers[i].Namespace == "" {
			m.Containers[i].Namespace = ns
		}
	}
	for _, sa := range m.ServiceAccounts {
		if sa.Namespace == "" {
			sa.Namespace = ns
		}
	}
	for _, s := range m.Secrets {
		if s.Namespace == "" {
			s.Namespace = ns
		}
	}
}

// Workloads counts the distinct objects holding the containers.
func (m *Manifests) Workloads() int {
	seen := map[[3]string]bool{}
	for _, c := range m.Containers {
		seen[[3]string{c.Kind, c.Namespace, c.Workload}] = true
	}
	return len(seen)
}

// SkippedKinds lists the skipped kinds, sorted.
func (m *Manifests) SkippedKinds() []string {
	kinds := make([]string, 0, len(m.Skipped))
	for k := range m.Skipped {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

func (m *Manifests) skip(kind string) {
	if m.Skipped == nil {
		m.Skipped = map[string]int{}
	}
	m.Skipped[kind]++
}
