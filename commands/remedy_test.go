package commands_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// twoCopies is a pod listing two pull secrets that default holds and the
// operator allows copying: its diagnosis calls for two different copies.
func twoCopies(t *testing.T) (*sandbox.World, *commands.Service, string) {
	t.Helper()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	o := w.EngineOptions(w.BotKey)
	o.Cluster = sandbox.ClusterID
	svc := commands.New(commands.Options{Diagnose: o, CopySources: []string{sandbox.AllICRIO, "regcred-a", "regcred-b"},
		Auth: commands.NewAuthorizer([]string{"cli"}, nil, nil, 0, nil), Follow: commands.FollowOptions{Off: true}})
	cfg := sandbox.DockerConfig("iamapikey", w.ClusterKey, sandbox.ICRHosts()...)
	w.PullSecret("default", "regcred-a", cfg)
	w.PullSecret("default", "regcred-b", cfg)
	w.Namespace("multi", sandbox.NamespaceSetup{})
	pod := w.Deploy(sandbox.Workload{Namespace: "multi", Name: "web", Image: "us.icr.io/shop/web:1.0",
		PodSecrets: []string{"regcred-a", "regcred-b"}, Reason: "ImagePullBackOff"})
	return w, svc, pod
}

func exists(w *sandbox.World, ns, name string) bool {
	_, err := w.Kube.CoreV1().Secrets(ns).Get(context.Background(), name, metav1.GetOptions{})
	return err == nil
}

// TestButtonAppliesItsRemedy: two copy buttons carry two different values,
// and each applies its own copy, not the first copy the fresh diagnosis
// lists.
func TestButtonAppliesItsRemedy(t *testing.T) {
	w, svc, pod := twoCopies(t)
	rep := svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "multi", Pod: pod}, nil)
	var values []string
	for _, o := range svc.Offers(rep) {
		if o.Action == diagnose.CopyPullSecret {
			values = append(values, o.Value)
		}
	}
	want := []string{
		"fix copy-pull-secret multi/" + pod + " pull-secret-missing secret=regcred-a",
		"fix copy-pull-secret multi/" + pod + " pull-secret-missing secret=regcred-b",
	}
	if strings.Join(values, "\n") != strings.Join(want, "\n") {
		t.Fatalf("copy buttons:\n%s\nwant:\n%s", strings.Join(values, "\n"), strings.Join(want, "\n"))
	}
	out := handle(t, svc, commands.Request{User: "cli", Text: values[1], Claim: "C1/1.2/fix-copy-pull-secret-2"})
	if !strings.Contains(out, "created multi/regcred-b from default/regcred-b") {
		t.Errorf("second button:\n%s", out)
	}
	if exists(w, "multi", "regcred-a") {
		t.Error("the second button copied regcred-a")
	}
}

// TestStaleButtonAppliesNothingElse: a button whose remedy a fresh
// diagnosis no longer calls for applies nothing, even when the finding
// still calls for another remedy of the same action.
func TestStaleButtonAppliesNothingElse(t *testing.T) {
	w, svc, pod := twoCopies(t)
	value := "fix copy-pull-secret multi/" + pod + " pull-secret-missing secret=regcred-a"
	if out := handle(t, svc, commands.Request{User: "cli", Text: value}); !strings.Contains(out, "created multi/regcred-a") {
		t.Fatalf("first click:\n%s", out)
	}
	out := handle(t, svc, commands.Request{User: "cli", Text: value, Claim: "C1/1.2/again"})
	if !strings.Contains(out, "copy-pull-secret secret=regcred-a for pull-secret-missing is no longer needed") {
		t.Errorf("stale button:\n%s", out)
	}
	if exists(w, "multi", "regcred-b") {
		t.Error("a stale button for regcred-a copied regcred-b")
	}
}

// TestTypedFixNamesOneRemedy: a typed fix without arguments applies the
// remedy of its action only when it is the only one; otherwise it says
// which commands name each, and changes nothing.
func TestTypedFixNamesOneRemedy(t *testing.T) {
	w, svc, pod := twoCopies(t)
	out := handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret multi/" + pod})
	for _, want := range []string{"2 different copy-pull-secret fixes apply to multi/" + pod,
		"`fix copy-pull-secret multi/" + pod + " pull-secret-missing secret=regcred-a`",
		"`fix copy-pull-secret multi/" + pod + " pull-secret-missing secret=regcred-b`"} {
		if !strings.Contains(out, want) {
			t.Errorf("ambiguous typed fix: %q missing from\n%s", want, out)
		}
	}
	if exists(w, "multi", "regcred-a") || exists(w, "multi", "regcred-b") {
		t.Error("an ambiguous typed fix copied a secret")
	}
	out = handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret multi/" + pod + " secret=regcred-b"})
	if !strings.Contains(out, "created multi/regcred-b") || exists(w, "multi", "regcred-a") {
		t.Errorf("typed fix naming its secret:\n%s", out)
	}
}

// TestTypedDisruptiveFixAsksForYes: a typed restart-pod does nothing until
// it carries --yes, as a button's confirm dialog asks first.
func TestTypedDisruptiveFixAsksForYes(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-c").Build(w)
	out := handle(t, svc, commands.Request{User: "cli", Text: "fix restart-pod team-c/" + pod})
	if !strings.Contains(out, "restart-pod disturbs running workloads") || !strings.Contains(out, "pod-predates-service-account-patch") ||
		!strings.Contains(out, "--yes`") {
		t.Errorf("unconfirmed restart:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Pods("team-c").Get(context.Background(), pod, metav1.GetOptions{}); err != nil {
		t.Fatalf("an unconfirmed restart deleted the pod: %v", err)
	}
	out = handle(t, svc, commands.Request{User: "cli", Text: "fix restart-pod team-c/" + pod + " --yes"})
	if !strings.Contains(out, "cli applied restart-pod") {
		t.Errorf("confirmed restart:\n%s", out)
	}
}

// TestButtonOfAnOldFinding: the first verdict offers the copy and the
// patch; after the copy, its patch button names a finding that now
// passes. The click applies nothing, and says which finding calls for the
// same patch now.
func TestButtonOfAnOldFinding(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	if out := handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod}); !strings.Contains(out, "cli applied") {
		t.Fatalf("copy:\n%s", out)
	}
	old := "fix patch-service-account team-a/" + pod + " pull-secret-not-copied secret=all-icr-io serviceAccount=default"
	out := handle(t, svc, commands.Request{User: "cli", Text: old, Claim: "C1/1.1/fix-patch-service-account"})
	if !strings.Contains(out, "now service-account-not-patched calls for it") ||
		!strings.Contains(out, "`fix patch-service-account team-a/"+pod+" service-account-not-patched secret=all-icr-io serviceAccount=default`") {
		t.Errorf("patch button of the first verdict:\n%s", out)
	}
	sa, err := w.Kube.CoreV1().ServiceAccounts("team-a").Get(context.Background(), "default", metav1.GetOptions{})
	if err != nil || len(sa.ImagePullSecrets) != 0 {
		t.Errorf("service account after a stale button: %+v, %v", sa.ImagePullSecrets, err)
	}
}
