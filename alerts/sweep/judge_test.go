package sweep

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestHygieneSweepAgreesWithDiagnosis: a namespace without its copy, whose
// service account lists another secret but not all-icr-io. The diagnosis
// of its pod offers the copy and the service account patch; so does the
// sweep, and its manual command appends to the list rather than replacing
// it.
func TestHygieneSweepAgreesWithDiagnosis(t *testing.T) {
	w := newWorld(t)
	w.Namespace("tools", sandbox.NamespaceSetup{SASecrets: []string{"regcred"}})
	w.PullSecret("tools", "regcred", sandbox.DockerConfig("iamapikey", "sbx-someone-elses", "de.icr.io"))
	pod := w.Deploy(sandbox.Workload{Namespace: "tools", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff"})

	rec, c := &recorder{}, newClock(date(25, 0))
	got := sweepOnce(t, hygieneSweep(w, &memStore{}, rec, c), rec)
	want := []post{{Channel: "#ops-tools", Finding: Finding{Kind: KindHygiene, Key: "hygiene/tools", Severity: SeverityWarning,
		Title: "Namespace tools has 2 pull-secret problems",
		Lines: []string{"tools has no all-icr-io copy while default has one; deployment/web relies on it",
			"service account default lists regcred but not all-icr-io, and deployment/web lists none either"},
		Offers: []commands.Offer{
			fixOffer(diagnose.CopyPullSecret, "Copy all-icr-io into tools", "tools", pod),
			fixOffer(diagnose.PatchServiceAccount, "Add all-icr-io to service account default", "tools", pod)}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("posts (-want +got):\n%s", diff)
	}

	rep := diagnose.New(w.EngineOptions(w.BotKey)).Diagnose(t.Context(), diagnose.Request{Namespace: "tools", Pod: pod}, nil)
	res, ok := rep.Result(diagnose.PullSecretNotCopied)
	if !ok {
		t.Fatalf("no %s result", diagnose.PullSecretNotCopied)
	}
	var actions []diagnose.Action
	for _, r := range res.Remedies {
		if r.Action != diagnose.RestartPod {
			actions = append(actions, r.Action)
		}
	}
	if diff := cmp.Diff([]diagnose.Action{diagnose.CopyPullSecret, diagnose.PatchServiceAccount}, actions); diff != "" {
		t.Errorf("the diagnosis offers (-want +got):\n%s", diff)
	}
}

// TestUnpatchedSAManual: the manual patch sets the list when it is empty
// and appends to it otherwise, never dropping a secret already listed.
func TestUnpatchedSAManual(t *testing.T) {
	users := []*workload{{kind: "deployment", name: "web"}}
	for _, tc := range []struct {
		secrets []string
		want    string
	}{
		{nil, `kubectl patch -n tools serviceaccount/default -p '{"imagePullSecrets":[{"name":"all-icr-io"}]}'`},
		{[]string{"regcred"}, `kubectl patch -n tools serviceaccount/default --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"all-icr-io"}}]'`},
	} {
		sa := diagnose.SetupServiceAccount{Name: "default", Exists: true, Secrets: tc.secrets}
		probs := diagnose.JudgeSetup(diagnose.SetupFacts{Namespace: "tools", Original: diagnose.SetupSecret{Exists: true, Hash: "sha256:aaaa"}, ServiceAccount: sa})
		if len(probs) != 1 {
			t.Fatalf("JudgeSetup = %+v", probs)
		}
		r, _ := probs[0].Remedy(diagnose.PatchServiceAccount)
		if got := unpatchedSA("tools", sa, r, users).manual; got != tc.want {
			t.Errorf("service account listing %v: manual %s, want %s", tc.secrets, got, tc.want)
		}
	}
}
