package commands_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

func TestPlan(t *testing.T) {
	for _, tc := range []struct {
		scenario   string
		want       []diagnose.Action
		disruptive bool
	}{
		{"team-a", []diagnose.Action{diagnose.CopyPullSecret, diagnose.PatchServiceAccount, diagnose.RestartPod}, true},
		{"team-b", []diagnose.Action{diagnose.PatchServiceAccount, diagnose.RestartPod}, true},
		{"team-c", nil, false},     // one step: restart-pod is its own button
		{"shop", nil, false},       // nothing pullcheck can fix
		{"storefront", nil, false}, // healthy
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			w, svc := world(t)
			pod := scenario(t, tc.scenario).Build(w)
			rep := svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: tc.scenario, Pod: pod}, nil)
			steps := commands.Plan(rep)
			var got []diagnose.Action
			for _, s := range steps {
				got = append(got, s.Action)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			if commands.PlanDisruptive(steps) != tc.disruptive {
				t.Errorf("disruptive = %t, want %t", !tc.disruptive, tc.disruptive)
			}
		})
	}
}
