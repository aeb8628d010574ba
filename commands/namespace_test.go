package commands_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestNamespaceSetup: the namespace command's first note describes the
// pull-secret setup and names what diagnose.JudgeSetup finds for a new pod
// of the default service account, as the diagnosis of such a pod would.
func TestNamespaceSetup(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		build    func(w *sandbox.World)
		want     string
	}{
		{scenario: "storefront", want: "namespace storefront: all-icr-io copy up to date; default service account lists all-icr-io\n"},
		{scenario: "team-a", want: "namespace team-a: no all-icr-io copy; default service account lists no pull secret; " +
			"a new pod of the default service account would meet pull-secret-not-copied\n"},
		{scenario: "team-b", want: "namespace team-b: all-icr-io copy up to date; default service account lists no pull secret; " +
			"a new pod of the default service account would meet service-account-not-patched\n"},
		{scenario: "billing", want: "namespace billing: all-icr-io copy differs from default's (stale?); default service account lists all-icr-io; " +
			"a new pod of the default service account would meet pull-secret-stale\n"},
		// Without default's original, a copy cannot be called up to date.
		{scenario: "orphan", build: func(w *sandbox.World) {
			w.Namespace("orphan", sandbox.NamespaceSetup{Copy: true, SASecrets: []string{sandbox.AllICRIO}})
			if err := w.Kube.CoreV1().Secrets("default").Delete(context.Background(), sandbox.AllICRIO, metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
		}, want: "namespace orphan: all-icr-io copy, not compared: default has none; default service account lists all-icr-io\n"},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			w, svc := world(t)
			if tc.build != nil {
				tc.build(w)
			} else {
				scenario(t, tc.scenario).Build(w)
			}
			out := handle(t, svc, commands.Request{User: "cli", Text: "namespace " + tc.scenario})
			if !strings.Contains(out, tc.want) {
				t.Errorf("output:\n%s\nwant a line\n%s", out, tc.want)
			}
		})
	}
}
