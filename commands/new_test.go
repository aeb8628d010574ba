package commands_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestNewAppliesDefaults: a Service from New needs nothing else set, and
// its engine and fixes share one IBM Cloud client.
func TestNewAppliesDefaults(t *testing.T) {
	svc := commands.New(commands.Options{Diagnose: diagnose.Options{Kube: sandbox.NewClientset()}})
	if diff := cmp.Diff(commands.FollowOptions{Interval: 2 * time.Second, Timeout: 5 * time.Minute}, svc.Follow); diff != "" {
		t.Errorf("follow options (-want +got):\n%s", diff)
	}
	if svc.Timeout != 30*time.Second {
		t.Errorf("timeout %s, want 30s", svc.Timeout)
	}
	if svc.Logger == nil || svc.Now == nil || svc.Engine == nil || svc.IBM == nil {
		t.Fatalf("unset defaults: %+v", svc)
	}
	if !svc.Fixes.Has(diagnose.ApplyClusterPullSecret) {
		t.Error("the fixes lack the IBM Cloud client")
	}
	svc.Logger.Info("a discarded line")
	if svc.Now().IsZero() {
		t.Error("Now is not a clock")
	}
}
