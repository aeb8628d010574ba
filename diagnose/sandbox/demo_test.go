package sandbox

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestDemoWorlds: each scenario is built in the world it needs, once, and
// its pod exists unless the scenario is about a missing pod.
func TestDemoWorlds(t *testing.T) {
	dm, err := NewDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer dm.Close()
	noPod := map[string]bool{"ghost": true, "signed": true}
	seen := map[string]bool{}
	for _, c := range dm.Cases {
		if seen[c.Name] {
			t.Errorf("scenario %s listed twice", c.Name)
		}
		seen[c.Name] = true
		want := dm.Main
		switch {
		case c.PrivateCluster:
			want = dm.Private
		case c.Fresh:
			want = dm.Fresh
		}
		if c.World != want {
			t.Errorf("%s built in the wrong world", c.Name)
		}
		_, err := c.World.Kube.CoreV1().Pods(c.Request.Namespace).Get(context.Background(), c.Request.Pod, metav1.GetOptions{})
		if (err == nil) == noPod[c.Name] {
			t.Errorf("%s: pod %s: %v", c.Name, c.Request.Pod, err)
		}
	}
	if len(dm.Cases) != len(Scenarios) {
		t.Errorf("%d cases, want %d", len(dm.Cases), len(Scenarios))
	}
}
