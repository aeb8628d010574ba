package diagnose

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/client-go/kubernetes/fake"
)

// TestTimedOutChecksSayWhich: a check still running at the deadline is
// inconclusive and says it timed out, and after how long; a check that was
// inconclusive before the deadline, and one that decided, stay as they are.
func TestTimedOutChecksSayWhich(t *testing.T) {
	earlyDone := make(chan struct{})
	checks := []Check{
		testCheck("decides", func(context.Context, *Target) (Result, error) { return pass("fine") }),
		testCheck("errs-early", func(context.Context, *Target) (Result, error) {
			defer close(earlyDone)
			return Result{}, errors.New("API down")
		}),
		testCheck("hangs", func(ctx context.Context, _ *Target) (Result, error) {
			<-earlyDone
			<-ctx.Done()
			return Result{}, ctx.Err()
		}),
	}
	e := New(Options{Kube: fake.NewClientset(), Checks: checks})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rep := e.Diagnose(ctx, Request{Namespace: "ns", Pod: "p"}, nil)
	want := []Result{
		{ID: "decides", Status: Pass, Summary: "fine"},
		{ID: "errs-early", Status: Inconclusive, Summary: "could not decide: API down"},
		{ID: "hangs", Status: Inconclusive, Summary: "timed out after 300ms: could not decide: context deadline exceeded"},
	}
	if diff := cmp.Diff(want, rep.Results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}
