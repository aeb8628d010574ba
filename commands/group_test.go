package commands_test

import (
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestGroupCountsNeverPull: a deployment whose pod waits with
// ErrImageNeverPull has a pod failing to pull, and it is diagnosed.
func TestGroupCountsNeverPull(t *testing.T) {
	w, svc := world(t)
	w.Namespace("edge", sandbox.NamespaceSetup{SASecrets: []string{diagnose.ClusterPullSecretName}, Copy: true})
	w.Deploy(sandbox.Workload{Namespace: "edge", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ErrImageNeverPull"})
	out := handle(t, svc, commands.Request{User: "cli", Text: "deployment edge/web"})
	if !strings.Contains(out, "1 pod(s), 1 failing to pull") {
		t.Errorf("output:\n%s", out)
	}
}
