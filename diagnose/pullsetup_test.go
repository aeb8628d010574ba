package diagnose_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// setupFacts is a namespace "shop" whose pod lists nothing and whose
// service account "default" lists nothing, with default/all-icr-io and no
// copy; change modifies it.
func setupFacts(change func(*d.SetupFacts)) d.SetupFacts {
	f := d.SetupFacts{Namespace: "shop", Original: d.SetupSecret{Exists: true, Hash: "sha256:aaaa"},
		ServiceAccount: d.SetupServiceAccount{Name: "default", Exists: true}}
	if change != nil {
		change(&f)
	}
	return f
}

// remedyActions sums up problems as "finding-id: action, action".
func remedyActions(ps []d.SetupProblem) []string {
	var out []string
	for _, p := range ps {
		s := string(p.ID) + ":"
		for _, r := range p.Remedies {
			s += " " + string(r.Action)
		}
		out = append(out, s)
	}
	return out
}

func TestJudgeSetup(t *testing.T) {
	copied := func(f *d.SetupFacts) { f.Copy = d.SetupSecret{Exists: true, Hash: "sha256:aaaa"} }
	for _, tc := range []struct {
		name   string
		change func(*d.SetupFacts)
		want   []string
	}{
		{"no copy, service account lists nothing", nil,
			[]string{"pull-secret-not-copied: copy-pull-secret patch-service-account"}},
		{"no copy, service account lists all-icr-io", func(f *d.SetupFacts) { f.ServiceAccount.Secrets = []string{"all-icr-io"} },
			[]string{"pull-secret-not-copied: copy-pull-secret"}},
		{"no copy, service account lists another secret", func(f *d.SetupFacts) { f.ServiceAccount.Secrets = []string{"regcred"} },
			[]string{"pull-secret-not-copied: copy-pull-secret patch-service-account"}},
		{"no copy, no service account", func(f *d.SetupFacts) { f.ServiceAccount.Exists = false },
			[]string{"pull-secret-not-copied: copy-pull-secret"}},
		{"no copy, the pod lists all-icr-io", func(f *d.SetupFacts) { f.ConsumerSecrets = []string{"regcred", "all-icr-io"} },
			[]string{"pull-secret-not-copied: copy-pull-secret"}},
		{"no copy, the pod lists its own secrets", func(f *d.SetupFacts) { f.ConsumerSecrets = []string{"regcred"} }, nil},
		{"no copy and no original", func(f *d.SetupFacts) { f.Original = d.SetupSecret{} }, nil},
		{"in default, which holds the original", func(f *d.SetupFacts) { f.Namespace = "default"; f.Copy = f.Original },
			[]string{"service-account-not-patched: patch-service-account"}},
		{"a copy, service account lists nothing", copied,
			[]string{"service-account-not-patched: patch-service-account"}},
		{"a copy, service account lists another secret", func(f *d.SetupFacts) { copied(f); f.ServiceAccount.Secrets = []string{"regcred"} }, nil},
		{"a copy, no service account", func(f *d.SetupFacts) { copied(f); f.ServiceAccount.Exists = false }, nil},
		{"a copy, the pod lists all-icr-io", func(f *d.SetupFacts) { copied(f); f.ConsumerSecrets = []string{"all-icr-io"} }, nil},
		{"a stale copy made by hand", func(f *d.SetupFacts) {
			f.Copy = d.SetupSecret{Exists: true, Hash: "sha256:bbbb"}
			f.ConsumerSecrets = []string{"all-icr-io"}
		}, []string{"pull-secret-stale: manual"}},
		{"a stale copy pullcheck manages, used by nobody's pod spec", func(f *d.SetupFacts) {
			f.Copy = d.SetupSecret{Exists: true, Hash: "sha256:bbbb", Managed: true}
			f.ConsumerSecrets = []string{"regcred"}
		}, []string{"pull-secret-stale: sync-pull-secret"}},
		{"a stale copy and an unpatched service account", func(f *d.SetupFacts) { f.Copy = d.SetupSecret{Exists: true, Hash: "sha256:bbbb", Managed: true} },
			[]string{"service-account-not-patched: patch-service-account", "pull-secret-stale: sync-pull-secret"}},
		{"a copy that differs, without an original", func(f *d.SetupFacts) {
			f.Original = d.SetupSecret{}
			f.Copy = d.SetupSecret{Exists: true, Hash: "sha256:bbbb"}
			f.ServiceAccount.Secrets = []string{"all-icr-io"}
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := remedyActions(d.JudgeSetup(setupFacts(tc.change)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("JudgeSetup (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJudgeSetupRemedies: the remedies name the namespace and the service
// account, as the buttons and manual commands need them.
func TestJudgeSetupRemedies(t *testing.T) {
	got := d.JudgeSetup(setupFacts(func(f *d.SetupFacts) { f.ServiceAccount.Name = "builder" }))
	if len(got) != 1 {
		t.Fatalf("JudgeSetup = %+v, want one problem", got)
	}
	cp, ok := got[0].Remedy(d.CopyPullSecret)
	if !ok || cp.Args["namespace"] != "shop" || cp.Args["secret"] != "all-icr-io" {
		t.Errorf("copy remedy %+v", cp)
	}
	patch, ok := got[0].Remedy(d.PatchServiceAccount)
	if !ok || patch.Args["serviceAccount"] != "builder" || patch.Title != "Add all-icr-io to service account builder" {
		t.Errorf("patch remedy %+v", patch)
	}
	if _, ok := got[0].Remedy(d.SyncPullSecret); ok {
		t.Error("a sync remedy for a missing copy")
	}
}

func TestReliesOnStandardSetup(t *testing.T) {
	for _, tc := range []struct {
		secrets []string
		want    bool
	}{{nil, true}, {[]string{"all-icr-io"}, true}, {[]string{"regcred", "all-icr-io"}, true}, {[]string{"regcred"}, false}} {
		if got := d.ReliesOnStandardSetup(tc.secrets); got != tc.want {
			t.Errorf("ReliesOnStandardSetup(%q) = %t, want %t", tc.secrets, got, tc.want)
		}
	}
}

// TestNotCopiedWithoutServiceAccount: a pod whose service account is gone
// is offered the copy only; patching a missing service account is refused
// by its fixer, and the other checks and the sweep do not offer it.
func TestNotCopiedWithoutServiceAccount(t *testing.T) {
	w := newWorld(t)
	w.Namespace("ci-b", sandbox.NamespaceSetup{NoServiceAccount: true})
	pod := w.Deploy(sandbox.Workload{Namespace: "ci-b", Name: "runner", Image: "us.icr.io/shop/api:3.1", ServiceAccount: "builder", Reason: "ImagePullBackOff"})
	rep := w.Engine().Diagnose(testContext(t), d.Request{Namespace: "ci-b", Pod: pod}, nil)
	res, ok := rep.Result(d.PullSecretNotCopied)
	if !ok || res.Status != d.Fail {
		t.Fatalf("%s: %+v", d.PullSecretNotCopied, res)
	}
	var actions []d.Action
	for _, r := range res.Remedies {
		actions = append(actions, r.Action)
	}
	if diff := cmp.Diff([]d.Action{d.CopyPullSecret}, actions); diff != "" {
		t.Errorf("remedies (-want +got):\n%s", diff)
	}
}
