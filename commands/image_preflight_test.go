package commands_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/preflight"
)

// TestImageIsAPreflight: the image command takes the preflight's one path
// (preflight.Checker.Check), so it judges the image against the cluster's
// nodes — amd64 and arm64 in the sandbox — and reports what the preflight
// reports for the same question.
func TestImageIsAPreflight(t *testing.T) {
	w, svc := world(t)
	scenario(t, "storefront").Build(w)
	var got *diagnose.Report
	svc.OnReport = func(rep *diagnose.Report) { got = rep }
	out := handle(t, svc, commands.Request{User: "U1", Text: "image us.icr.io/shop/batch:1.0 in storefront"})
	if !strings.Contains(out, string(diagnose.ImagePlatformMismatch)) || !strings.Contains(out, "linux/amd64, linux/arm64") {
		t.Errorf("output:\n%s", out)
	}
	if got == nil {
		t.Fatal("no report")
	}
	subject := preflight.Subject{Namespace: "storefront", Image: "us.icr.io/shop/batch:1.0"}
	want := preflight.NewChecker(svc.Engine, w.Kube).Check(context.Background(), subject, nil)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(diagnose.Report{}, "Started", "Duration")); diff != "" {
		t.Errorf("the image command and the preflight differ (-preflight +command):\n%s", diff)
	}
}
