package fix

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestFollowRemedies walks sandbox scenarios the way an on-call engineer
// would: diagnose, click the root cause's first fix, diagnose again, until
// no fix is left. It checks that the remedies the checks emit carry what
// the fixers need, and that each fix moves the diagnosis on.
func TestFollowRemedies(t *testing.T) {
	const (
		copied  = "pull-secret-not-copied -> copy-pull-secret"
		patched = "service-account-not-patched -> patch-service-account"
		deleted = "pod-predates-service-account-patch -> restart-pod"
		// The fake cluster has no ReplicaSet controller: the pod stays gone.
		gone = "pod-not-found: no fix"
	)
	tests := []struct {
		scenario string
		steps    []string
	}{
		{"fresh", []string{"cluster-pull-secret-missing -> apply-cluster-pull-secret", copied, patched, deleted, gone}},
		{"team-a", []string{copied, patched, deleted, gone}},
		{"team-b", []string{patched, deleted, gone}},
		{"team-c", []string{deleted, gone}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			w, req := scenarioWorld(t, tt.scenario)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ibm := ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: w.Transport()}, w.BotKey)
			fixers, engine := New(w.Kube, ibm, sandbox.ClusterID), w.Engine()
			var steps []string
			for range 5 {
				rep := engine.Diagnose(ctx, req, func(diagnose.Result) {})
				if rep.RootCause == nil {
					steps = append(steps, string(rep.Verdict))
					break
				}
				rem, ok := firstFix(fixers, rep.RootCause.Remedies)
				if !ok {
					steps = append(steps, string(rep.RootCause.ID)+": no fix")
					break
				}
				res, err := fixers.Apply(ctx, Request{Action: rem.Action, Args: rem.Args, Actor: "U123"})
				if err != nil || !res.Changed {
					t.Fatalf("%s: applying %s: %+v, %v", rep.RootCause.ID, rem.Action, res, err)
				}
				steps = append(steps, fmt.Sprintf("%s -> %s", rep.RootCause.ID, rem.Action))
			}
			if diff := cmp.Diff(tt.steps, steps); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
}

func firstFix(s *Set, rems []diagnose.Remedy) (diagnose.Remedy, bool) {
	for _, r := range rems {
		if s.Has(r.Action) {
			return r, true
		}
	}
	return diagnose.Remedy{}, false
}

// scenarioWorld builds one sandbox scenario in a world of its own.
func scenarioWorld(t *testing.T, name string) (*sandbox.World, diagnose.Request) {
	t.Helper()
	for _, s := range sandbox.Scenarios {
		if s.Name != name {
			continue
		}
		var opts []sandbox.Option
		if s.Fresh {
			opts = append(opts, sandbox.WithoutClusterPullSecret())
		}
		w, err := sandbox.NewWorld(opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Close)
		// Play the Kubernetes Service: enabling the pull secret creates
		// default/all-icr-io (at once, where the real one takes a while).
		w.Cloud.OnEnablePullSecret(func(string) {
			all := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: sandbox.AllICRIO},
				Type: corev1.SecretTypeDockerConfigJson, Data: map[string][]byte{
					corev1.DockerConfigJsonKey: sandbox.DockerConfig("iamapikey", w.ClusterKey, sandbox.ICRHosts()...)}}
			if err := w.Kube.Tracker().Add(all); err != nil {
				t.Errorf("creating default/all-icr-io: %v", err)
			}
		})
		return w, diagnose.Request{Namespace: s.Name, Pod: s.Build(w)}
	}
	t.Fatalf("no sandbox scenario %q", name)
	return nil, diagnose.Request{}
}

// TestSyncRemedyOnAHandMadeCopy: for billing's stale all-icr-io, a copy a
// person made, the diagnosis offers only a manual remedy, and a forced sync
// is refused without changing anything.
func TestSyncRemedyOnAHandMadeCopy(t *testing.T) {
	w, req := scenarioWorld(t, "billing")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep := w.Engine().Diagnose(ctx, req, func(diagnose.Result) {})
	stale, ok := rep.Result(diagnose.PullSecretStale)
	if !ok || len(stale.Remedies) != 1 || stale.Remedies[0].Action != diagnose.Manual {
		t.Fatalf("%s: %+v, want only a manual remedy", diagnose.PullSecretStale, stale)
	}
	before, err := w.Kube.Tracker().Get(corev1.SchemeGroupVersion.WithResource("secrets"), "billing", sandbox.AllICRIO)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(w.Kube, nil, "").Apply(ctx, Request{Action: diagnose.SyncPullSecret, Namespace: "billing",
		Args: map[string]string{"secret": sandbox.AllICRIO}, Actor: "U123"})
	checkErr(t, err, &PreconditionError{Msg: "secret billing/all-icr-io exists and is not managed by pullcheck, which never overwrites " +
		"a secret it did not create: refresh it by hand, or label it app.kubernetes.io/managed-by=pullcheck and annotate it pullcheck.io/source=default/all-icr-io to hand it over"})
	after, err := w.Kube.Tracker().Get(corev1.SchemeGroupVersion.WithResource("secrets"), "billing", sandbox.AllICRIO)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("billing/all-icr-io changed (-before +after):\n%s", diff)
	}
}
