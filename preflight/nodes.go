package preflight

import (
	"context"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/client-go/kubernetes"
)

// Well-known node labels of the platform.
const (
	labelOS   = "kubernetes.io/os"
	labelArch = "kubernetes.io/arch"
)

// node is what placement needs to know of a node.
type node struct {
	labels   labels.Set
	platform string // "linux/amd64"
}

// readNodes lists the cluster's nodes (from the API server's cache) with
// their labels and platforms.
func readNodes(ctx context.Context, kube kubernetes.Interface) ([]node, error) {
	list, err := kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		return nil, err
	}
	var nodes []node
	for _, n := range list.Items {
		l := labels.Set{}
		for k, v := range n.Labels {
			l[k] = v
		}
		os, arch := orElse(n.Status.NodeInfo.OperatingSystem, l[labelOS]), orElse(n.Status.NodeInfo.Architecture, l[labelArch])
		if os == "" || arch == "" {
			continue
		}
		l[labelOS], l[labelArch] = orElse(l[labelOS], os), orElse(l[labelArch], arch)
		nodes = append(nodes, node{labels: l, platform: os + "/" + arch})
	}
	return nodes, nil
}

// platformNodes stands one node in for each platform ("linux/arm64").
func platformNodes(platforms []string) []node {
	var nodes []node
	for _, p := range platforms {
		os, arch, _ := strings.Cut(p, "/")
		arch, _, _ = strings.Cut(arch, "/")
		nodes = append(nodes, node{labels: labels.Set{labelOS: os, labelArch: arch}, platform: p})
	}
	return nodes
}

// platforms are the distinct platforms, sorted, of the nodes that p
// admits. When it admits none (or there are no nodes), the platform its
// node selector names, if any: the pod would wait to be scheduled, and
// would then pull for that platform.
func (p placement) platforms(nodes []node) []string {
	set := map[string]bool{}
	for _, n := range nodes {
		if p.admits(n.labels) {
			set[n.platform] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	if len(out) == 0 && p.selector[labelArch] != "" {
		out = append(out, orElse(p.selector[labelOS], "linux")+"/"+p.selector[labelArch])
	}
	return out
}

// admits reports whether a node with labels l satisfies the node selector
// and the required node affinity. Affinity terms that name nodes by field
// (matchFields) are not judged: they admit.
func (p placement) admits(l labels.Set) bool {
	if !labels.SelectorFromSet(p.selector).Matches(l) {
		return false
	}
	if p.affinity == nil || len(p.affinity.NodeSelectorTerms) == 0 {
		return true
	}
	for _, term := range p.affinity.NodeSelectorTerms {
		if termAdmits(term, l) {
			return true
		}
	}
	return false
}

var operators = map[corev1.NodeSelectorOperator]selection.Operator{
	corev1.NodeSelectorOpIn: selection.In, corev1.NodeSelectorOpNotIn: selection.NotIn,
	corev1.NodeSelectorOpExists: selection.Exists, corev1.NodeSelectorOpDoesNotExist: selection.DoesNotExist,
	corev1.NodeSelectorOpGt: selection.GreaterThan, corev1.NodeSelectorOpLt: selection.LessThan,
}

// termAdmits: every expression of the term holds (the scheduler's rule;
// an empty term admits nothing).
func termAdmits(term corev1.NodeSelectorTerm, l labels.Set) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for _, e := range term.MatchExpressions {
		r, err := labels.NewRequirement(e.Key, operators[e.Operator], e.Values)
		if err != nil || !r.Matches(l) {
			return false
		}
	}
	return true
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// safeError words a node listing error for output.
func safeError(err error) string {
	switch {
	case apierrors.IsForbidden(err):
		return "Kubernetes RBAC forbids listing nodes"
	case apierrors.IsUnauthorized(err):
		return "the Kubernetes API rejected the credentials"
	}
	return err.Error()
}
