package preflight

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func testNode(name, arch string, labels map[string]string) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Status: corev1.NodeStatus{NodeInfo: corev1.NodeSystemInfo{OperatingSystem: "linux", Architecture: arch}}}
	return n
}

func TestPlacementPlatforms(t *testing.T) {
	live := fake.NewClientset(
		testNode("a1", "amd64", map[string]string{"pool": "web"}),
		testNode("a2", "amd64", map[string]string{"pool": "gpu"}),
		testNode("r1", "arm64", map[string]string{"pool": "web"}),
		testNode("s1", "s390x", nil),
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "unknown"}}, // no platform yet: not counted
	)
	nodes, err := readNodes(context.Background(), live)
	if err != nil {
		t.Fatal(err)
	}
	arch := func(op corev1.NodeSelectorOperator, values ...string) *corev1.NodeSelector {
		return &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{
			{Key: labelArch, Operator: op, Values: values}}}}}
	}
	tests := []struct {
		name string
		p    placement
		want []string
	}{
		{"anywhere", placement{}, []string{"linux/amd64", "linux/arm64", "linux/s390x"}},
		{"arch selector", placement{selector: map[string]string{labelArch: "arm64"}}, []string{"linux/arm64"}},
		{"pool selector", placement{selector: map[string]string{"pool": "web"}}, []string{"linux/amd64", "linux/arm64"}},
		{"affinity In", placement{affinity: arch(corev1.NodeSelectorOpIn, "amd64", "s390x")}, []string{"linux/amd64", "linux/s390x"}},
		{"affinity NotIn", placement{affinity: arch(corev1.NodeSelectorOpNotIn, "amd64")}, []string{"linux/arm64", "linux/s390x"}},
		{"selector and affinity", placement{selector: map[string]string{"pool": "gpu"}, affinity: arch(corev1.NodeSelectorOpIn, "amd64")},
			[]string{"linux/amd64"}},
		{"no node matches: the selector's own", placement{selector: map[string]string{labelArch: "ppc64le"}}, []string{"linux/ppc64le"}},
		{"no node matches, no arch", placement{selector: map[string]string{"pool": "none"}}, []string{}},
		{"empty term admits nothing", placement{affinity: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.p.platforms(nodes)); diff != "" {
				t.Errorf("platforms (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFixedPlatformsFollowSelectors(t *testing.T) {
	c := NewChecker(nil, nil, WithPlatforms([]string{"linux/amd64", "linux/arm64"}))
	ctx := context.Background()
	if got := c.platforms(ctx, placement{}); !cmp.Equal(got, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("anywhere: %v", got)
	}
	if got := c.platforms(ctx, placement{selector: map[string]string{labelArch: "arm64"}}); !cmp.Equal(got, []string{"linux/arm64"}) {
		t.Errorf("arm64 selector: %v", got)
	}
}
