package diagnose

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

func testCheck(id FindingID, run func(ctx context.Context, t *Target) (Result, error)) Check {
	return checkFunc{id, run}
}

// TestDiagnoseStreamsInOrder proves results are emitted in catalogue order
// as soon as they are known: the second check blocks until the first one
// has been emitted, so a runner that waited for every check would deadlock.
func TestDiagnoseStreamsInOrder(t *testing.T) {
	firstEmitted := make(chan struct{})
	checks := []Check{
		testCheck("one", func(context.Context, *Target) (Result, error) { return pass("first") }),
		testCheck("two", func(ctx context.Context, _ *Target) (Result, error) {
			select {
			case <-firstEmitted:
				return fail("second", nil)
			case <-ctx.Done():
				return Result{}, ctx.Err()
			}
		}),
		testCheck("three", func(context.Context, *Target) (Result, error) { return warn("third") }),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e := New(Options{Kube: fake.NewClientset(), Checks: checks})
	var got []FindingID
	rep := e.Diagnose(ctx, Request{Namespace: "ns", Pod: "p"}, func(r Result) {
		got = append(got, r.ID)
		if r.ID == "one" {
			close(firstEmitted)
		}
	})
	if diff := cmp.Diff([]FindingID{"one", "two", "three"}, got); diff != "" {
		t.Errorf("emit order (-want +got):\n%s", diff)
	}
	if rep.Verdict != RootCauseFound || rep.RootCause.ID != "two" {
		t.Errorf("verdict %s, root cause %+v; want two", rep.Verdict, rep.RootCause)
	}
}

func TestDiagnoseOutcomes(t *testing.T) {
	checks := []Check{
		testCheck("skips", func(context.Context, *Target) (Result, error) { return Result{}, skip("not for %s", "this pod") }),
		testCheck("errs", func(context.Context, *Target) (Result, error) { return Result{}, errors.New("API down") }),
		testCheck("panics", func(context.Context, *Target) (Result, error) { panic("boom") }),
		testCheck("fails-late", func(context.Context, *Target) (Result, error) { return fail("late", nil) }),
		testCheck("fails-later", func(context.Context, *Target) (Result, error) { return fail("later", nil) }),
	}
	rep := New(Options{Kube: fake.NewClientset(), Checks: checks}).Diagnose(context.Background(), Request{Namespace: "ns", Pod: "p"}, nil)
	want := []Result{
		{ID: "skips", Status: Skip, Summary: "not for this pod"},
		{ID: "errs", Status: Inconclusive, Summary: "could not decide: API down"},
		{ID: "panics", Status: Inconclusive},
		{ID: "fails-late", Status: Fail, Summary: "late"},
		{ID: "fails-later", Status: Fail, Summary: "later"},
	}
	if diff := cmp.Diff(want, rep.Results, cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".Summary" && p.Index(-2).String() == "[2]"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if rep.RootCause == nil || rep.RootCause.ID != "fails-late" {
		t.Errorf("root cause = %+v, want the first failure", rep.RootCause)
	}
}

func TestVerdict(t *testing.T) {
	tests := []struct {
		name    string
		results []Result
		want    Verdict
	}{
		{"fine", []Result{{ID: PodPullingOK, Status: Pass}, {ID: "x", Status: Inconclusive}}, PullsFine},
		{"failing pod, nothing found", []Result{{ID: PodPullingOK, Status: Warn}, {ID: "x", Status: Inconclusive}}, VerdictUnproved},
		{"root cause", []Result{{ID: PodPullingOK, Status: Warn}, {ID: "x", Status: Fail}}, RootCauseFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Results: tt.results}
			r.conclude()
			if r.Verdict != tt.want {
				t.Errorf("verdict = %s, want %s", r.Verdict, tt.want)
			}
		})
	}
}

// TestCatalogueOrder pins the causal order of the RUNBOOK catalogue.
func TestCatalogueOrder(t *testing.T) {
	want := []FindingID{PodNotFound, ImageAdmissionDenied, PodPullingOK, ImageReferenceInvalid, ImagePullPolicyNever,
		RegistryDomainDeprecated, RegistryUnreachable, RegistryRateLimited, ClusterPullSecretMissing, PullSecretNotCopied, ServiceAccountNotPatched, PodPredatesServiceAccountPatch, NoPullSecret,
		PullSecretMissing, PullSecretMalformed, PullSecretWrongRegistry, CredentialKind, APIKeyInvalid, APIKeyDisabled,
		RegistryLoginFailed, ImageInOtherAccount, ServiceIDMissingReaderRole, PrivateNetworkOnly, RegistryAccessDenied,
		ImageInOtherRegion, ImageRepositoryNotFound, ImageTagNotFound, ImagePlatformMismatch, NodeDiskPressure,
		PullTrafficQuotaExceeded, PullSecretStale,
		StorageQuotaExceeded, QuotaNearLimit, WorkloadMissingPullSecretRef, BotPermissionMissing}
	var got []FindingID
	for _, c := range Catalogue {
		got = append(got, c.ID())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("catalogue order (-want +got):\n%s", diff)
	}
}

func TestDenied(t *testing.T) {
	tests := []struct {
		name string
		out  registry.Outcome
		want bool
	}{
		{"DENIED after login", registry.Outcome{Stage: registry.StageManifest, Problem: registry.ProblemDenied}, true},
		{"UNAUTHORIZED on the manifest with a key", registry.Outcome{Stage: registry.StageManifest, Problem: registry.ProblemUnauthorized}, true},
		{"anonymous UNAUTHORIZED", registry.Outcome{Stage: registry.StageManifest, Problem: registry.ProblemUnauthorized, Anonymous: true}, false},
		{"token endpoint refused", registry.Outcome{Stage: registry.StageLogin, Problem: registry.ProblemLoginRefused}, false},
		{"UNAUTHORIZED at login", registry.Outcome{Stage: registry.StageLogin, Problem: registry.ProblemUnauthorized}, false},
		{"tag missing", registry.Outcome{Stage: registry.StageManifest, Problem: registry.ProblemManifestUnknown}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.out
			if got := denied(&registryFacts{Outcome: &out}); got != tt.want {
				t.Errorf("denied = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestHealthyAfter(t *testing.T) {
	pod, preflight := Request{Namespace: "ns", Pod: "p"}, Request{Namespace: "ns", Image: "us.icr.io/a/b:1"}
	for _, tt := range []struct {
		name    string
		req     Request
		healthy bool
		in      Result
		want    Status
		still   bool
	}{
		{"row 2 passes for a pod", pod, false, Result{ID: PodPullingOK, Status: Pass}, Pass, true},
		{"row 2 passes for a preflight", preflight, false, Result{ID: PodPullingOK, Status: Pass}, Pass, false},
		{"row 2 warns", pod, false, Result{ID: PodPullingOK, Status: Warn}, Warn, false},
		{"a later failure of a healthy pod", pod, true, Result{ID: NodeDiskPressure, Status: Fail}, Warn, true},
		{"a later failure of a failing pod", pod, false, Result{ID: NodeDiskPressure, Status: Fail}, Fail, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.in
			if got := healthyAfter(&r, tt.healthy, tt.req); got != tt.still || r.Status != tt.want {
				t.Errorf("healthyAfter = %t, status %s; want %t, %s", got, r.Status, tt.still, tt.want)
			}
		})
	}
}
