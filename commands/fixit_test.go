package commands_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// plan is the Fix it value of team-a's pod.
func plan(pod string) string {
	return "fixit team-a/" + pod + " copy-pull-secret,patch-service-account,restart-pod"
}

// TestFixItOffer: a verdict whose remedies form a plan offers Fix it first,
// its value the plan's steps, its one confirmation listing each of them; a
// single remedy or read-only mode offers no Fix it.
func TestFixItOffer(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	rep := svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "team-a", Pod: pod}, nil)
	offers := svc.Offers(rep)
	want := commands.Offer{Action: commands.PlanAction, Title: "Fix it", Value: plan(pod), Disruptive: true,
		Confirm: "Applies in order: 1. Copy all-icr-io into team-a; 2. Add all-icr-io to service account default; 3. Restart pod " +
			pod + " (disrupts running pods). Each step is checked before it is applied; a failing step stops the rest."}
	if diff := cmp.Diff(want, offers[0]); diff != "" {
		t.Errorf("Fix it offer (-want +got):\n%s", diff)
	}
	if c, err := commands.Parse(offers[0].Value); err != nil || c.Verb != commands.FixIt || len(c.Steps) != 3 {
		t.Errorf("Fix it value parses to %+v, %v", c, err)
	}

	single := scenario(t, "team-c").Build(w)
	rep = svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "team-c", Pod: single}, nil)
	for _, o := range svc.Offers(rep) {
		if o.Action == commands.PlanAction {
			t.Errorf("a single remedy offers Fix it: %+v", o)
		}
	}
	svc.ReadOnly = true
	rep = svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "team-a", Pod: pod}, nil)
	if got := svc.Offers(rep); len(got) != 1 || got[0].Action != diagnose.Rerun {
		t.Errorf("read-only offers %+v, want only the rerun", got)
	}
}

// TestFixItAppliesThePlan: copy, patch, restart, in that order, one audit
// line each; the pod is deleted for its controller to replace.
func TestFixItAppliesThePlan(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	out := handle(t, svc, commands.Request{User: "cli", Text: plan(pod)})
	var audits []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "cli applied ") {
			audits = append(audits, strings.Fields(l)[2])
		}
	}
	if diff := cmp.Diff([]string{"copy-pull-secret:", "patch-service-account:", "restart-pod:"}, audits); diff != "" {
		t.Errorf("audit lines (-want +got):\n%s\noutput:\n%s", diff, out)
	}
	if !secretIn(w, "team-a") {
		t.Error("team-a/all-icr-io was not copied")
	}
	if _, err := w.Kube.CoreV1().Pods("team-a").Get(context.Background(), pod, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the pod was not restarted: %v", err)
	}
	again := handle(t, svc, commands.Request{User: "cli", Text: plan(pod)})
	if !strings.Contains(again, "fix it is no longer needed as planned: pod-not-found") {
		t.Errorf("a second Fix it:\n%s", again)
	}
}

// TestFixItStopsAtTheFailingStep: the service account patch is refused:
// the copy stays applied, the restart is not tried, and the thread says
// which step stopped the plan, why, what was applied and what was not.
func TestFixItStopsAtTheFailingStep(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	w.Kube.PrependReactor("patch", "serviceaccounts", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "serviceaccounts"}, "default", errors.New("denied by policy"))
	})
	out := handle(t, svc, commands.Request{User: "cli", Text: plan(pod)})
	for _, want := range []string{
		"cli applied copy-pull-secret",
		"fix it stopped at step 2 of 3 (patch-service-account): patch-service-account refused by Kubernetes RBAC",
		"Applied: copy-pull-secret. Not applied: patch-service-account → restart-pod.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cli applied restart-pod") {
		t.Errorf("the plan went on after the failing step:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Pods("team-a").Get(context.Background(), pod, metav1.GetOptions{}); err != nil {
		t.Errorf("the pod was deleted after the failing step: %v", err)
	}
}

// TestFixItRefusals: not on call, read-only, and a plan that now needs a
// step the click did not confirm change nothing.
func TestFixItRefusals(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	for _, tc := range []struct {
		name, user, text, want string
		readOnly               bool
	}{
		{"visitor", "U0VISITOR", plan(pod), "only on-call engineers may apply fixes", false},
		{"read-only", "cli", plan(pod), "pullcheck runs read-only here", true},
		{"unconfirmed step", "cli", "fixit team-a/" + pod + " copy-pull-secret,patch-service-account",
			"the plan now needs restart-pod, which was not confirmed", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc.ReadOnly = tc.readOnly
			if out := handle(t, svc, commands.Request{User: tc.user, Text: tc.text}); !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			if secretIn(w, "team-a") {
				t.Fatal("a refused Fix it changed the cluster")
			}
		})
	}
}

// TestFixItDoubleClickAppliesOnce: one Fix it button clicked on two
// replicas at once applies the plan once.
func TestFixItDoubleClickAppliesOnce(t *testing.T) {
	w, svc := replicas(t)
	pod := scenario(t, "team-a").Build(w)
	click := "C0ALERTS/1700000000.000400/fix-plan"
	users := [2]string{"U0ALICE", "U0BOB"}
	var outs [2]strings.Builder
	var wg sync.WaitGroup
	for i := range svc {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = svc[i].Handle(ctx, commands.Request{User: users[i], Text: plan(pod), Claim: click}, commands.NewTextOutput(&outs[i]))
		})
	}
	wg.Wait()
	both := outs[0].String() + "\n---\n" + outs[1].String()
	if n := strings.Count(both, "applied restart-pod"); n != 1 {
		t.Errorf("the plan was applied %d times:\n%s", n, both)
	}
	if !strings.Contains(both, "this fix was already applied (or is being applied) by U0") {
		t.Errorf("the second clicker was not told who applied it:\n%s", both)
	}
	if n := secretCreates(w, "team-a"); n != 1 {
		t.Errorf("team-a/all-icr-io created %d times, want once", n)
	}
}

func secretIn(w *sandbox.World, ns string) bool {
	_, err := w.Kube.CoreV1().Secrets(ns).Get(context.Background(), sandbox.AllICRIO, metav1.GetOptions{})
	return err == nil
}
