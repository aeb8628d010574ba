package fleet

import (
	"sort"

	"k8s.io/client-go/kubernetes"
)

// Member is one cluster pullcheck serves.
type Member struct {
	// Name is the operator's short name for it ("prod-eu"); "" for the one
	// cluster of a single-cluster install.
	Name string
	// Context is the kubeconfig context it was read from, or the marker of
	// pullcheck's own cluster.
	Context string
	// Server is its API server's URL, as the kubeconfig gives it; the
	// Survey matches it against the Kubernetes Service's listing.
	Server string
	// Kube reaches its API server.
	Kube kubernetes.Interface
	// Health says whether it answers.
	Health *Health
}

// NewMember returns a Member whose Health probes kube.
func NewMember(name, context, server string, kube kubernetes.Interface) *Member {
	return &Member{Name: name, Context: context, Server: server, Kube: kube, Health: NewHealth(name, kube)}
}

// Names lists the members' names, sorted.
func Names(members []*Member) []string {
	names := make([]string, 0, len(members))
	for _, m := range members {
		names = append(names, m.Name)
	}
	sort.Strings(names)
	return names
}
