package sweep

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// build builds the named sandbox scenarios in w and returns their pods by
// namespace.
func build(t *testing.T, w *sandbox.World, names ...string) map[string]string {
	t.Helper()
	pods := map[string]string{}
	for _, name := range names {
		found := false
		for _, s := range sandbox.Scenarios {
			if s.Name == name {
				pods[name], found = s.Build(w), true
			}
		}
		if !found {
			t.Fatalf("no sandbox scenario %q", name)
		}
	}
	return pods
}

// hygieneSweep sweeps w into per-namespace channels.
func hygieneSweep(w *sandbox.World, store Store, rec *recorder, c *clock) *HygieneSweep {
	return &HygieneSweep{Kube: w.Kube, Store: store, Notify: rec, Now: c.Now,
		Channel: func(ns string) string { return "#ops-" + ns },
		Offers:  func(o []commands.Offer) []commands.Offer { return o }}
}

func sweepOnce(t *testing.T, h *HygieneSweep, rec *recorder) []post {
	t.Helper()
	if err := h.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rec.take()
}

func TestHygieneSweepScenarios(t *testing.T) {
	w := newWorld(t)
	pods := build(t, w, "storefront", "billing", "team-a", "team-b", "partner")
	rec, c := &recorder{}, newClock(date(25, 0))
	h := hygieneSweep(w, &memStore{}, rec, c)
	stale, original := secretHash(t, w, "billing"), secretHash(t, w, "default")

	got := sweepOnce(t, h, rec)
	want := []post{
		{Channel: "#ops-billing", Finding: Finding{Kind: KindHygiene, Key: "hygiene/billing", Severity: SeverityWarning,
			Title: "Namespace billing has 1 pull-secret problem",
			Lines: []string{"billing/all-icr-io (" + stale + ") differs from default/all-icr-io (" + original + "): it was made by hand, " +
				"so pullcheck leaves it alone; to replace it, run: kubectl delete secret all-icr-io -n billing && " +
				"kubectl get secret all-icr-io -n default -o yaml | sed 's/namespace: default/namespace: billing/' | kubectl create -n billing -f -"}}},
		{Channel: "#ops-team-a", Finding: Finding{Kind: KindHygiene, Key: "hygiene/team-a", Severity: SeverityWarning,
			Title: "Namespace team-a has 2 pull-secret problems",
			Lines: []string{"team-a has no all-icr-io copy while default has one; deployment/web relies on it",
				"service account default lists no pull secret, and deployment/web lists none either"},
			Offers: []commands.Offer{
				fixOffer(diagnose.CopyPullSecret, "Copy all-icr-io into team-a", "team-a", pods["team-a"]),
				fixOffer(diagnose.PatchServiceAccount, "Add all-icr-io to service account default", "team-a", pods["team-a"])}}},
		{Channel: "#ops-team-b", Finding: Finding{Kind: KindHygiene, Key: "hygiene/team-b", Severity: SeverityWarning,
			Title: "Namespace team-b has 1 pull-secret problem",
			Lines: []string{"service account default lists no pull secret, and deployment/web lists none either"},
			Offers: []commands.Offer{
				fixOffer(diagnose.PatchServiceAccount, "Add all-icr-io to service account default", "team-b", pods["team-b"])}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("first sweep (-want +got):\n%s", diff)
	}
	for _, p := range got {
		for _, o := range p.Finding.Offers {
			cmd, err := commands.Parse(o.Value)
			if err != nil || cmd.Verb != commands.Fix || cmd.Action != o.Action || cmd.Ref.Namespace != p.Finding.Key[len("hygiene/"):] {
				t.Errorf("offer %q parses as %+v, %v", o.Value, cmd, err)
			}
		}
	}
	if got := sweepOnce(t, h, rec); len(got) != 0 {
		t.Fatalf("second sweep posted again: %+v", got)
	}

	// Someone copies the secret into team-a: one problem is left, posted.
	w.Secret("team-a", allICRIO, corev1.SecretTypeDockerConfigJson, secretData(t, w, "default"))
	got = sweepOnce(t, h, rec)
	if len(got) != 1 || got[0].Finding.Title != "Namespace team-a has 1 pull-secret problem" || len(got[0].Finding.Offers) != 1 ||
		got[0].Finding.Offers[0].Action != diagnose.PatchServiceAccount {
		t.Fatalf("after the copy: %+v", got)
	}

	// And patches the service account: team-a is clean, said once.
	sa, _ := w.Kube.CoreV1().ServiceAccounts("team-a").Get(context.Background(), "default", metav1.GetOptions{})
	sa.ImagePullSecrets = []corev1.LocalObjectReference{{Name: allICRIO}}
	if _, err := w.Kube.CoreV1().ServiceAccounts("team-a").Update(context.Background(), sa, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	got = sweepOnce(t, h, rec)
	wantFixed := []post{{Channel: "#ops-team-a", Finding: Finding{Kind: KindHygiene, Key: "hygiene/team-a", Severity: SeverityOK,
		Title: "Namespace team-a has no pull-secret problems left"}}}
	if diff := cmp.Diff(wantFixed, got); diff != "" {
		t.Fatalf("after the patch (-want +got):\n%s", diff)
	}
	if got := sweepOnce(t, h, rec); len(got) != 0 {
		t.Fatalf("clean namespace posted again: %+v", got)
	}
}

func TestHygieneSweepManagedStaleCopy(t *testing.T) {
	w := newWorld(t)
	w.Namespace("payments", sandbox.NamespaceSetup{SASecrets: []string{allICRIO}})
	old := sandbox.DockerConfig("iamapikey", "sbx-rotated-away", sandbox.ICRHosts()...)
	if err := w.Kube.Tracker().Add(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "payments", Name: allICRIO,
		Labels:      map[string]string{diagnose.ManagedByLabel: "pullcheck"},
		Annotations: map[string]string{diagnose.SourceAnnotation: "default/all-icr-io"}}, Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: old}}); err != nil {
		t.Fatal(err)
	}
	pod := w.Deploy(sandbox.Workload{Namespace: "payments", Name: "ledger", Image: "private.us.icr.io/shop/api:3.1"})
	rec, c := &recorder{}, newClock(date(25, 0))
	got := sweepOnce(t, hygieneSweep(w, &memStore{}, rec, c), rec)
	if len(got) != 1 {
		t.Fatalf("%d posts, want 1: %+v", len(got), got)
	}
	f := got[0].Finding
	wantLine := "payments/all-icr-io (" + secretHash(t, w, "payments") + ") differs from default/all-icr-io (" +
		secretHash(t, w, "default") + "): the key was rotated after pullcheck copied it"
	wantOffers := []commands.Offer{fixOffer(diagnose.SyncPullSecret, "Refresh payments/all-icr-io from default", "payments", pod)}
	if diff := cmp.Diff([]string{wantLine}, f.Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantOffers, f.Offers); diff != "" {
		t.Errorf("offers (-want +got):\n%s", diff)
	}
}

// TestHygieneSweepLabelledOnlyCopy: a stale copy with pullcheck's label
// but no source annotation is not pullcheck's: no sync button, only the
// manual replacement.
func TestHygieneSweepLabelledOnlyCopy(t *testing.T) {
	w := newWorld(t)
	w.Namespace("payments", sandbox.NamespaceSetup{SASecrets: []string{allICRIO}})
	old := sandbox.DockerConfig("iamapikey", "sbx-rotated-away", sandbox.ICRHosts()...)
	if err := w.Kube.Tracker().Add(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "payments", Name: allICRIO,
		Labels: map[string]string{diagnose.ManagedByLabel: diagnose.ManagedBy}}, Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: old}}); err != nil {
		t.Fatal(err)
	}
	w.Deploy(sandbox.Workload{Namespace: "payments", Name: "ledger", Image: "private.us.icr.io/shop/api:3.1"})
	rec, c := &recorder{}, newClock(date(25, 0))
	got := sweepOnce(t, hygieneSweep(w, &memStore{}, rec, c), rec)
	want := []post{{Channel: "#ops-payments", Finding: Finding{Kind: KindHygiene, Key: "hygiene/payments", Severity: SeverityWarning,
		Title: "Namespace payments has 1 pull-secret problem",
		Lines: []string{"payments/all-icr-io (" + secretHash(t, w, "payments") + ") differs from default/all-icr-io (" + secretHash(t, w, "default") +
			"): it was made by hand, so pullcheck leaves it alone; to replace it, run: kubectl delete secret all-icr-io -n payments && " +
			"kubectl get secret all-icr-io -n default -o yaml | sed 's/namespace: default/namespace: payments/' | kubectl create -n payments -f -"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
}

func TestHygieneSweepWithoutPods(t *testing.T) {
	w := newWorld(t)
	w.Namespace("idle", sandbox.NamespaceSetup{})
	w.Namespace("kube-system-like", sandbox.NamespaceSetup{})
	c := newClock(date(25, 0))
	for _, ns := range []string{"idle", "kube-system-like"} {
		// Scaled to zero, created a minute ago.
		d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "nightly", UID: types.UID("nightly-" + ns),
			CreationTimestamp: metav1.NewTime(c.Now().Add(-time.Minute))},
			Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "job", Image: "de.icr.io/shop-eu/web:1.0"}}}}}}
		if err := w.Kube.Tracker().Add(d); err != nil {
			t.Fatal(err)
		}
	}
	// Docker Hub, deprecated hosts and other registries are not swept.
	w.Namespace("elsewhere", sandbox.NamespaceSetup{})
	for i, img := range []string{"nginx:1.27", "library/redis", "quay.io/prometheus/node-exporter", "registry.ng.bluemix.net/shop/web:1.0"} {
		w.Deploy(sandbox.Workload{Namespace: "elsewhere", Name: "app-" + string(rune('a'+i)), Image: img})
	}
	rec := &recorder{}
	h := hygieneSweep(w, &memStore{}, rec, c)
	h.Channel = func(ns string) string {
		if strings.HasPrefix(ns, "kube-") {
			return ""
		}
		return "#ops"
	}
	if got := sweepOnce(t, h, rec); len(got) != 0 {
		t.Fatalf("new workloads judged at once: %+v", got)
	}
	c.Set(date(25, 0).Add(hygieneGrace))
	got := sweepOnce(t, h, rec)
	want := []post{{Channel: "#ops", Finding: Finding{Kind: KindHygiene, Key: "hygiene/idle", Severity: SeverityWarning,
		Title: "Namespace idle has 2 pull-secret problems",
		Lines: []string{
			"idle has no all-icr-io copy while default has one; deployment/nightly relies on it",
			"no running pod to attach the fix to; run: kubectl get secret all-icr-io -n default -o yaml | sed 's/namespace: default/namespace: idle/' | kubectl create -n idle -f -",
			"service account default lists no pull secret, and deployment/nightly lists none either",
			`no running pod to attach the fix to; run: kubectl patch -n idle serviceaccount/default -p '{"imagePullSecrets":[{"name":"all-icr-io"}]}'`,
		}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestHygieneSweepWithoutClusterPullSecret(t *testing.T) {
	w := newWorld(t, sandbox.WithoutClusterPullSecret())
	build(t, w, "fresh")
	rec, store := &recorder{}, &memStore{st: State{Posted: map[string]string{"hygiene/fresh": "warning 123"}}}
	err := hygieneSweep(w, store, rec, newClock(date(25, 0))).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "default/all-icr-io does not exist") {
		t.Fatalf("Run = %v", err)
	}
	if got := rec.take(); len(got) != 0 || store.st.Posted["hygiene/fresh"] != "warning 123" {
		t.Errorf("posted %+v, state %v: nothing may change", got, store.st.Posted)
	}
}

func TestHygieneSweepForgetsUnsweptNamespaces(t *testing.T) {
	w := newWorld(t)
	build(t, w, "team-b")
	rec := &recorder{}
	store := &memStore{st: State{Posted: map[string]string{"hygiene/gone": "warning 1", "hygiene/muted": "warning 2", "quota/us-south/traffic": "warning"}}}
	h := hygieneSweep(w, store, rec, newClock(date(25, 0)))
	h.Channel = func(ns string) string {
		if ns == "muted" || ns == "team-b" {
			return ""
		}
		return "#ops"
	}
	got := sweepOnce(t, h, rec)
	want := []post{{Channel: "#ops", Finding: Finding{Kind: KindHygiene, Key: "hygiene/gone", Severity: SeverityOK,
		Title: "Namespace gone has no pull-secret problems left"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"quota/us-south/traffic": "warning"}, store.st.Posted); diff != "" {
		t.Errorf("posted state (-want +got):\n%s", diff)
	}
}
