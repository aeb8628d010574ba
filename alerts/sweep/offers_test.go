package sweep

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestHygieneOffersApply clicks every button the hygiene sweep offers,
// through the same command path as a chat click, and sweeps again: every
// namespace is then reported fixed, once.
func TestHygieneOffersApply(t *testing.T) {
	w := newWorld(t)
	build(t, w, "team-a", "team-b")
	// A copy pullcheck made before the cluster's key was rotated; the old
	// key still works, so only the staleness is wrong.
	old, iam := w.ServiceIDKey(sandbox.ClusterAccount, "cluster-"+sandbox.ClusterID+"-previous")
	w.Grant(sandbox.ClusterAccount, iam, sandbox.ReaderRole, "container-registry")
	w.Namespace("payments", sandbox.NamespaceSetup{SASecrets: []string{allICRIO}})
	if err := w.Kube.Tracker().Add(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "payments", Name: allICRIO,
		Labels:      map[string]string{diagnose.ManagedByLabel: "pullcheck"},
		Annotations: map[string]string{diagnose.SourceAnnotation: "default/all-icr-io"}}, Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: sandbox.DockerConfig("iamapikey", old, sandbox.ICRHosts()...)}}); err != nil {
		t.Fatal(err)
	}
	w.Deploy(sandbox.Workload{Namespace: "payments", Name: "ledger", Image: "us.icr.io/shop/api:3.1"})

	rec, c := &recorder{}, newClock(date(25, 0))
	h := hygieneSweep(w, &memStore{}, rec, c)
	var offers []commands.Offer
	for _, p := range sweepOnce(t, h, rec) {
		offers = append(offers, p.Finding.Offers...)
	}
	var actions []string
	for _, o := range offers {
		cmd, err := commands.Parse(o.Value)
		if err != nil {
			t.Fatal(err)
		}
		actions = append(actions, string(cmd.Action)+" "+cmd.Ref.Namespace)
	}
	want := "sync-pull-secret payments, copy-pull-secret team-a, patch-service-account team-a, patch-service-account team-b"
	if got := strings.Join(actions, ", "); got != want {
		t.Fatalf("offers: %s, want %s", got, want)
	}

	o := w.EngineOptions(w.BotKey)
	o.Cluster = sandbox.ClusterID
	svc := commands.New(commands.Options{Diagnose: o,
		Auth: commands.NewAuthorizer([]string{"oncall"}, nil, nil, 0, nil), Follow: commands.FollowOptions{Off: true}})
	for _, offer := range offers {
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := svc.Handle(ctx, commands.Request{User: "oncall", Text: offer.Value}, commands.NewTextOutput(&out))
		cancel()
		if err != nil || !strings.Contains(out.String(), "oncall applied "+string(offer.Action)) {
			t.Fatalf("clicking %q: %v\n%s", offer.Value, err, out.String())
		}
	}
	svc.Wait()

	var fixed []string
	for _, p := range sweepOnce(t, h, rec) {
		if p.Finding.Severity != SeverityOK || len(p.Finding.Offers) != 0 {
			t.Errorf("after the fixes: %+v", p.Finding)
		}
		fixed = append(fixed, p.Finding.Key)
	}
	if got, want := strings.Join(fixed, ", "), "hygiene/payments, hygiene/team-a, hygiene/team-b"; got != want {
		t.Errorf("fixed: %s, want %s", got, want)
	}
	if got := sweepOnce(t, h, rec); len(got) != 0 {
		t.Errorf("posted again: %+v", got)
	}
}

// TestHygieneReadOnlyOffersNone sweeps through a read-only service's
// Allowed, as serve wires it: no finding carries a fix button, and each
// withheld fix is shown as its command.
func TestHygieneReadOnlyOffersNone(t *testing.T) {
	w := newWorld(t)
	build(t, w, "team-a", "team-b")
	rec, c := &recorder{}, newClock(date(25, 0))
	h := hygieneSweep(w, &memStore{}, rec, c)
	h.Offers = (&commands.Service{ReadOnly: true}).Allowed
	posts := sweepOnce(t, h, rec)
	if len(posts) == 0 {
		t.Fatal("nothing posted")
	}
	for _, p := range posts {
		if len(p.Finding.Offers) != 0 {
			t.Errorf("%s offers %+v in read-only mode", p.Finding.Key, p.Finding.Offers)
		}
		if got := strings.Join(p.Finding.Lines, "\n"); !strings.Contains(got, "fixes are off here; run: kubectl") {
			t.Errorf("%s does not show the withheld fix's command:\n%s", p.Finding.Key, got)
		}
	}
	h.Offers = nil
	for _, p := range sweepOnce(t, hygieneSweep(w, &memStore{}, rec, c), rec) {
		if len(p.Finding.Offers) == 0 {
			t.Errorf("%s: a writable service offers no fixes", p.Finding.Key)
		}
	}
}
