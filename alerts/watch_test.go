package alerts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

// TestIncidentLifecycle: a pod entering ImagePullBackOff is alerted once,
// after the grace period and the hold, already diagnosed, in its namespace's
// channel; flapping and a replacement pod do not open new incidents; the
// thread hears "resolved" once the workload's pod runs.
func TestIncidentLifecycle(t *testing.T) {
	w := world(t)
	r := newRig(t, w, MemoryStore())
	defer r.close()
	pod := scenario(t, "team-a").Build(w)
	r.seen("team-a", pod, "ImagePullBackOff")

	r.pass(grace, 1)
	r.tick()
	if n, _, _, _ := r.rec.counts(); n != 0 {
		t.Fatal("alerted before the hold passed")
	}
	r.clock.Step(hold)
	r.tick()
	if n, s, _, _ := r.rec.counts(); n != 1 || s != 0 {
		t.Fatalf("%d incidents, %d storms after the hold; want 1, 0", n, s)
	}
	a := r.rec.incidents[0]
	if a.Report.RootCause.ID != diagnose.PullSecretNotCopied || a.Workload != "Deployment/team-a/web" || r.rec.channels[0] != "C0TEAMS" {
		t.Errorf("alert %+v in %s", a, r.rec.channels[0])
	}
	if len(a.Offers) == 0 {
		t.Error("the alert offers no fix")
	}

	// Flapping: ErrImagePull <-> ImagePullBackOff is the same incident.
	for _, reason := range []string{"ErrImagePull", "ImagePullBackOff", "ErrImagePull"} {
		r.setWaiting("team-a", pod, reason)
		r.seen("team-a", pod, reason)
	}
	// The controller replaces the pod: the new one fails the same way.
	replacement := replacePod(t, w, "team-a", pod, "ImagePullBackOff")
	r.seen("team-a", replacement, "ImagePullBackOff")
	r.pass(grace, 1)
	r.clock.Step(hold)
	r.tick()
	if n, s, _, _ := r.rec.counts(); n != 1 || s != 0 {
		t.Fatalf("flapping or a replacement opened a new incident: %d incidents, %d storms", n, s)
	}
	if inc := onlyIncident(t, r.mgr); inc.PodCount != 2 {
		t.Errorf("incident counts %d pods, want 2 (original and replacement)", inc.PodCount)
	}

	r.setWaiting("team-a", replacement, "")
	r.seen("team-a", replacement, "")
	r.tick()
	if _, _, _, n := r.rec.counts(); n != 1 || !strings.Contains(r.rec.replies[0], "resolved after") {
		t.Fatalf("replies %v, want one resolution", r.rec.replies)
	}
}

// TestGraceCancelled: a pod that recovers within the grace period is never
// diagnosed nor alerted.
func TestGraceCancelled(t *testing.T) {
	w := world(t)
	r := newRig(t, w, MemoryStore())
	defer r.close()
	pod := scenario(t, "team-a").Build(w)
	r.seen("team-a", pod, "ImagePullBackOff")
	r.clock.Step(grace / 2)
	r.setWaiting("team-a", pod, "")
	r.seen("team-a", pod, "")
	r.pass(grace, 1)
	r.clock.Step(hold)
	r.tick()
	if n, s, _, _ := r.rec.counts(); n+s != 0 {
		t.Fatalf("a pod that recovered within the grace period was alerted")
	}
	if len(r.mgr.st.Incidents) != 0 {
		t.Fatalf("incidents: %v", r.mgr.st.Incidents)
	}
}

// TestRestartDoesNotReAlert: the incident state lives in a ConfigMap; a new
// watcher (a restart, or another replica becoming leader) finds the failing
// pod again and does not alert twice.
func TestRestartDoesNotReAlert(t *testing.T) {
	w := world(t)
	kubestatetest.LimitConfigMaps(w.Kube)
	store := NewConfigMapStore(w.Kube, "pullcheck")
	r := newRig(t, w, store)
	pod := scenario(t, "team-a").Build(w)
	r.seen("team-a", pod, "ImagePullBackOff")
	r.pass(grace, 1)
	r.clock.Step(hold)
	r.tick()
	if n, _, _, _ := r.rec.counts(); n != 1 {
		t.Fatalf("%d incidents, want 1", n)
	}
	r.close()
	if _, err := w.Kube.CoreV1().ConfigMaps("pullcheck").Get(context.Background(), "pullcheck-incidents", metav1.GetOptions{}); err != nil {
		t.Fatalf("no incident state saved: %v", err)
	}

	again := newRig(t, w, store)
	defer again.close()
	again.pass(grace, 1)
	again.clock.Step(hold)
	again.tick()
	if n, s, _, _ := again.rec.counts(); n+s != 0 {
		t.Fatalf("the restarted watcher alerted again (%d incidents, %d storms)", n, s)
	}
	if inc := onlyIncident(t, again.mgr); inc.Thread == nil {
		t.Error("the reloaded incident lost its thread")
	}
}

// TestStorm: incidents sharing a cause within the hold become one grouped
// alert; later ones join it and are listed in its thread, not alerted.
func TestStorm(t *testing.T) {
	w := world(t)
	r := newRig(t, w, MemoryStore())
	defer r.close()
	var pods []string
	for i, ns := range []string{"tok-a", "tok-b", "tok-c", "tok-d"} {
		w.Namespace(ns, sandbox.NamespaceSetup{Copy: true, SASecrets: []string{sandbox.AllICRIO}})
		pods = append(pods, w.Deploy(sandbox.Workload{Namespace: ns, Name: "web" + string(rune('a'+i)), Image: "jp.icr.io/shop-jp/web:1.0",
			PodOnlySecrets: []string{sandbox.AllICRIO}, Reason: "ImagePullBackOff", Kubelet: "403 Forbidden"}))
	}
	for i, p := range pods {
		r.seen([]string{"tok-a", "tok-b", "tok-c", "tok-d"}[i], p, "ImagePullBackOff")
	}
	r.pass(grace, 4)
	r.clock.Step(hold)
	r.tick()
	n, s, _, _ := r.rec.counts()
	if n != 0 || s != 1 {
		t.Fatalf("%d incidents and %d storms, want one storm", n, s)
	}
	st := r.rec.storms[0]
	if st.Cause != diagnose.PullTrafficQuotaExceeded || st.Incidents != 4 || st.Pods != 4 || len(st.Namespaces) != 4 || st.Representative == nil {
		t.Errorf("storm %+v", st)
	}

	w.Namespace("tok-e", sandbox.NamespaceSetup{Copy: true, SASecrets: []string{sandbox.AllICRIO}})
	late := w.Deploy(sandbox.Workload{Namespace: "tok-e", Name: "late", Image: "jp.icr.io/shop-jp/web:1.0",
		PodOnlySecrets: []string{sandbox.AllICRIO}, Reason: "ImagePullBackOff"})
	r.seen("tok-e", late, "ImagePullBackOff")
	r.pass(grace, 1)
	r.clock.Step(hold + 30*time.Second)
	r.tick()
	n, s, u, _ := r.rec.counts()
	if n != 0 || s != 1 || u != 1 || len(r.rec.updates[0]) != 1 || r.rec.updates[0][0] != "Deployment/tok-e/late" {
		t.Fatalf("late member: %d incidents, %d storms, updates %v", n, s, r.rec.updates)
	}
}

func onlyIncident(t *testing.T, m *Manager) *Incident {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.st.Incidents) != 1 {
		t.Fatalf("%d incidents, want 1", len(m.st.Incidents))
	}
	for _, inc := range m.st.Incidents {
		return inc
	}
	return nil
}

func TestParseRoutes(t *testing.T) {
	r, err := ParseRoutes("C0DEF", "shop-*=C1, team-?=C2,kube-system=C3")
	if err != nil {
		t.Fatal(err)
	}
	for ns, want := range map[string]string{"shop-eu": "C1", "team-a": "C2", "team-ab": "C0DEF", "kube-system": "C3", "x": "C0DEF"} {
		if got := r.Channel(ns); got != want {
			t.Errorf("Channel(%s) = %s, want %s", ns, got, want)
		}
	}
	for _, bad := range []string{"shop", "=C1", "[=C1"} {
		if _, err := ParseRoutes("C", bad); err == nil {
			t.Errorf("ParseRoutes(%q) accepted", bad)
		}
	}
}

// TestWatcherStartFailsWithoutPods: a pod cache that cannot fill (pullcheck
// may not list pods) is a failure to start within SyncTimeout, not a
// leader that waits forever.
func TestWatcherStartFailsWithoutPods(t *testing.T) {
	kube := sandbox.NewClientset()
	kube.PrependReactor("list", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", errors.New("RBAC"))
	})
	m, err := NewManager(context.Background(), Options{Notify: &recorder{}, Store: MemoryStore()})
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWatcher(kube, m, WatchOptions{SyncTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.Start(ctx); err == nil || !strings.Contains(err.Error(), "did not fill") {
		t.Fatalf("Start = %v, want a failure to fill the pod cache", err)
	}
	if err := w.Run(ctx); err == nil {
		t.Fatal("Run after a failed Start returned nil")
	}
}
