package diagnose_test

import (
	"strings"
	"testing"

	d "github.com/pullcheck/pullcheck/diagnose"
)

// TestKubeletCredentialOrder: the kubelet tries every credential of every
// pull secret; a dead first one is not the root cause when a later one is
// accepted, and when all fail the evidence lists each.
func TestKubeletCredentialOrder(t *testing.T) {
	t.Run("dead first, good second", func(t *testing.T) {
		w, req := build(t, scenarioNamed(t, "fallback"))
		rep := w.Engine().Diagnose(testContext(t), req, nil)
		if got := rootCause(rep); got != d.ImageTagNotFound {
			t.Fatalf("root cause = %q, want %s (the later credential's answer)\n%s", got, d.ImageTagNotFound, textOf(t, rep))
		}
		if r, _ := rep.Result(d.APIKeyInvalid); r.Status != d.Pass {
			t.Errorf("api-key-invalid = %s, want pass: the key the pull goes out with works", r.Status)
		}
		if r, _ := rep.Result(d.RegistryLoginFailed); r.Status != d.Warn || !strings.Contains(r.Summary, "old-key") {
			t.Errorf("registry-login-failed = %s %q, want a warning naming old-key", r.Status, r.Summary)
		}
	})
	t.Run("all dead", func(t *testing.T) {
		w, req := build(t, scenarioNamed(t, "all-dead"))
		rep := w.Engine().Diagnose(testContext(t), req, nil)
		if got := rootCause(rep); got != d.APIKeyInvalid {
			t.Fatalf("root cause = %q, want %s\n%s", got, d.APIKeyInvalid, textOf(t, rep))
		}
		var listed []string
		for _, f := range rep.RootCause.Evidence {
			if strings.HasPrefix(f.Name, "credential ") {
				listed = append(listed, f.Value)
			}
		}
		if len(listed) != 2 || !strings.Contains(listed[0], "secret old-key") || !strings.Contains(listed[1], "secret older-key") {
			t.Errorf("evidence lists %q, want both secrets in the kubelet's order", listed)
		}
	})
}

// TestHealthyPodHasNoRootCause: a pod that pulls fine gets the verdict
// "pulls fine" whatever later rows say; they are warnings.
func TestHealthyPodHasNoRootCause(t *testing.T) {
	w, req := build(t, scenarioNamed(t, "steady"))
	rep := w.Engine().Diagnose(testContext(t), req, nil)
	if rep.Verdict != d.PullsFine || rep.RootCause != nil {
		t.Fatalf("verdict %s, root cause %v; want pulls-fine and none\n%s", rep.Verdict, rep.RootCause, textOf(t, rep))
	}
	if r, _ := rep.Result(d.NodeDiskPressure); r.Status != d.Warn {
		t.Errorf("node-disk-pressure = %s, want warn", r.Status)
	}
}
