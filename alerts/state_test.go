package alerts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

// stateRig is a Manager without a watcher over a fake API server that
// refuses ConfigMaps over 1 MiB, on a fake clock; incidents are added as
// diagnosed ones would be.
type stateRig struct {
	t     *testing.T
	kube  *fake.Clientset
	sizes *kubestatetest.Sizes
	clock *clocktesting.FakeClock
	rec   *recorder
	pods  podsByNamespace
}

func newStateRig(t *testing.T) *stateRig {
	kube := sandbox.NewClientset()
	return &stateRig{t: t, kube: kube, sizes: kubestatetest.LimitConfigMaps(kube), rec: &recorder{}, pods: podsByNamespace{},
		clock: clocktesting.NewFakeClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))}
}

// manager starts a Manager on the rig's ConfigMap: a replica taking over.
func (r *stateRig) manager() *Manager {
	r.t.Helper()
	o := Options{Notify: r.rec, Store: NewConfigMapStore(r.kube, "pullcheck"), Routes: Routes{Default: "C0ALERTS"}, Hold: hold, Clock: r.clock}
	if r.pods != nil {
		o.Pods = r.pods
	}
	m, err := NewManager(context.Background(), o)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// open adds a diagnosed incident of workload i with the given cause.
func (r *stateRig) open(m *Manager, i int, cause diagnose.FindingID) {
	inc := stormIncident(i, cause)
	m.add(inc, nil, fmt.Sprintf("%s/%s-7d9f8b6c5-x2k4p", inc.Namespace, strings.TrimPrefix(inc.Workload, "Deployment/"+inc.Namespace+"/")))
}

func stormIncident(i int, cause diagnose.FindingID) *Incident {
	ns, name := fmt.Sprintf("team-%03d", i%400), fmt.Sprintf("svc-%04d", i)
	inc := &Incident{Workload: "Deployment/" + ns + "/" + name, Namespace: ns, Container: "app",
		Image: fmt.Sprintf("us.icr.io/%s/%s:1.%d.0", ns, name, i%7), Cause: cause,
		Summary: "the key of default/all-icr-io was deleted: IAM no longer knows it (rotate the cluster's pull secret)"}
	inc.Key = wciKey(inc.Workload, inc.Container, inc.Image)
	return inc
}

func (r *stateRig) tick(m *Manager) error {
	r.t.Helper()
	err := m.Tick(context.Background())
	m.WaitPosted()
	return err
}

// podsByNamespace is a PodLister over a map.
type podsByNamespace map[string][]*corev1.Pod

func (p podsByNamespace) PodsIn(ns string) []*corev1.Pod { return p[ns] }

// TestStormOf5000IncidentsStaysSmall: 5,000 incidents of one cause arrive
// over a minute; the saved state stays far below the 1 MiB a ConfigMap
// holds, every save succeeds, and a replica taking over knows every one of
// them (a pod of each joins its incident instead of alerting again).
func TestStormOf5000IncidentsStaysSmall(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil // the pods keep failing: nothing resolves
	m := r.manager()
	const n, batch = 5000, 250
	for i := 0; i < n; i += batch {
		for j := i; j < i+batch; j++ {
			r.open(m, j, diagnose.APIKeyInvalid)
		}
		r.clock.Step(3 * time.Second)
		if err := r.tick(m); err != nil {
			t.Fatal(err)
		}
		if m.saves.failures > 0 {
			t.Fatalf("a save failed after %d incidents", i+batch)
		}
	}
	r.clock.Step(hold)
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	if _, s, _, _ := r.rec.counts(); s != 1 {
		t.Fatalf("%d storms posted, want 1", s)
	}
	peak := r.sizes.Max("pullcheck/" + StateConfigMap)
	t.Logf("incident ConfigMap with %d incidents: %d bytes at the end, %d at the peak", n, r.sizes.Last("pullcheck/"+StateConfigMap), peak)
	if peak == 0 || peak > 256<<10 {
		t.Errorf("the incident ConfigMap reached %d bytes, want at most 256 KiB", peak)
	}

	next := r.manager()
	if len(next.open) != n {
		t.Fatalf("the next leader knows %d open incidents, want %d", len(next.open), n)
	}
	for _, s := range next.st.Storms {
		if s.Total != n || len(s.Members) != n {
			t.Errorf("storm: %d members, total %d; want %d", len(s.Members), s.Total, n)
		}
	}
	obs := stormIncident(4321, "")
	if !next.join(obs, "team-321/svc-4321-7d9f8b6c5-abcde") {
		t.Fatal("a pod of a folded member opened a new incident")
	}
	if inc := next.st.Incidents[next.open[obs.Key]]; inc.Workload != obs.Workload || inc.PodCount != 2 {
		t.Errorf("the woken incident: %+v", inc)
	}
}

// TestPodsPerIncidentCapped: a workload of 1,000 failing pods keeps the
// first few names and counts them all.
func TestPodsPerIncidentCapped(t *testing.T) {
	r := newStateRig(t)
	m := r.manager()
	r.open(m, 1, diagnose.ImageTagNotFound)
	obs := stormIncident(1, "")
	for i := range 999 {
		m.join(obs, fmt.Sprintf("team-001/svc-0001-%d", i))
	}
	inc := onlyIncident(t, m)
	if len(inc.Pods) != maxPodsKept || inc.PodCount != 1000 {
		t.Errorf("%d pods listed, %d counted; want %d and 1000", len(inc.Pods), inc.PodCount, maxPodsKept)
	}
}

// TestResolvedMembersLeaveTheState: a storm's resolved members leave it at
// once (it counts them); the storm ends with its last member.
func TestResolvedMembersLeaveTheState(t *testing.T) {
	r := newStateRig(t)
	m := r.manager()
	for i := range 3 {
		r.open(m, i, diagnose.APIKeyInvalid)
	}
	r.clock.Step(hold)
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	r.clock.Step(3 * hold) // no pod of any is seen: resolved
	r.pods["team-001"] = nil
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	if len(m.st.Incidents) != 0 || len(m.st.Storms) != 0 {
		t.Errorf("after resolution: %d incidents, %d storms", len(m.st.Incidents), len(m.st.Storms))
	}
	if _, _, _, n := r.rec.counts(); n != 1 || !strings.Contains(r.rec.replies[0], "all 3 workloads") {
		t.Errorf("replies %q, want one naming all 3 workloads", r.rec.replies)
	}
}

// TestDormantMembersResolve: after a restart, a folded member whose pods no
// longer fail resolves once the grace period and two holds have passed.
func TestDormantMembersResolve(t *testing.T) {
	r := newStateRig(t)
	m := r.manager()
	for i := range 4 {
		r.open(m, i, diagnose.APIKeyInvalid)
	}
	r.clock.Step(hold)
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	folded := cloneState(m.st)
	folded.foldStorms()
	m.o.StateBudget, m.dirty = size(folded), true // just small enough to fold
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	next := r.manager()
	next.grace = time.Minute
	r.clock.Step(time.Minute)
	if err := r.tick(next); err != nil {
		t.Fatal(err)
	}
	if len(next.st.Incidents) != 4 {
		t.Fatalf("%d incidents a minute after the restart, want 4 (dormant)", len(next.st.Incidents))
	}
	r.clock.Step(2*hold + time.Minute)
	if err := r.tick(next); err != nil {
		t.Fatal(err)
	}
	if len(next.st.Incidents) != 0 || len(next.st.Storms) != 0 {
		t.Errorf("%d incidents, %d storms left; want none", len(next.st.Incidents), len(next.st.Storms))
	}
}

// TestDeposedManagerCannotOverwrite: a leader that lost the lease without
// noticing (a long pause) tries to save after its successor did: the save
// conflicts, the successor's state stands, and the old Manager writes no
// more.
func TestDeposedManagerCannotOverwrite(t *testing.T) {
	r := newStateRig(t)
	old := r.manager()
	r.open(old, 1, diagnose.ImageTagNotFound)
	if err := r.tick(old); err != nil {
		t.Fatal(err)
	}
	successor := r.manager()
	r.open(successor, 2, diagnose.ImageTagNotFound)
	if err := r.tick(successor); err != nil {
		t.Fatal(err)
	}
	r.open(old, 3, diagnose.ImageTagNotFound)
	if err := r.tick(old); !errors.Is(err, ErrDeposed) || !errors.Is(err, kubestate.ErrConflict) {
		t.Fatalf("the deposed leader's save = %v, want ErrDeposed", err)
	}
	writes := countWrites(r.kube)
	r.open(old, 4, diagnose.ImageTagNotFound)
	if err := r.tick(old); !errors.Is(err, ErrDeposed) || countWrites(r.kube) != writes {
		t.Errorf("a deposed Manager wrote again (err %v)", err)
	}
	again := r.manager()
	if len(again.st.Incidents) != 2 {
		t.Fatalf("stored incidents %v, want the successor's 2", again.st.Incidents)
	}
	if _, ok := again.open[stormIncident(2, "").Key]; !ok {
		t.Error("the successor's incident was overwritten")
	}
}

func countWrites(cs *fake.Clientset) int {
	n := 0
	for _, a := range cs.Actions() {
		if a.GetResource().Resource == "configmaps" && (a.GetVerb() == "update" || a.GetVerb() == "create") {
			n++
		}
	}
	return n
}

// TestFailedSaveBacksOff: a save the API server refuses is tried again
// after 2 s, 4 s, 8 s … — not on every tick — and the state is saved once
// the server accepts it again.
func TestFailedSaveBacksOff(t *testing.T) {
	r := newStateRig(t)
	m := r.manager()
	var tries atomic.Int32
	failing := true
	r.kube.PrependReactor("create", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		tries.Add(1)
		if failing {
			return true, nil, apierrors.NewServiceUnavailable("etcd is down")
		}
		return false, nil, nil
	})
	r.open(m, 1, diagnose.ImageTagNotFound)
	var at []int // seconds at which a save was tried
	for s := 0; s <= 30; s++ {
		before := tries.Load()
		if err := r.tick(m); err != nil {
			t.Fatal(err)
		}
		if tries.Load() > before {
			at = append(at, s)
		}
		r.clock.Step(time.Second)
	}
	if want := []int{0, 2, 6, 14, 30}; fmt.Sprint(at) != fmt.Sprint(want) {
		t.Errorf("saves tried at %v s, want %v", at, want)
	}
	failing = false
	r.clock.Step(time.Minute)
	if err := r.tick(m); err != nil {
		t.Fatal(err)
	}
	if _, err := r.kube.CoreV1().ConfigMaps("pullcheck").Get(context.Background(), StateConfigMap, metav1.GetOptions{}); err != nil {
		t.Errorf("the state was not saved once the server recovered: %v", err)
	}
}

// TestLoadsStateOfEarlierVersions: a state saved before members left their
// storm on resolution (Members then kept resolved ones) loads with only
// the open members, and the storm's total.
func TestLoadsStateOfEarlierVersions(t *testing.T) {
	r := newStateRig(t)
	old := `{"incidents":{"a1":{"id":"a1","workload":"Deployment/shop/web","namespace":"shop","container":"app","image":"us.icr.io/shop/web:1",` +
		`"cause":"api-key-invalid","summary":"s","opened":"2026-11-26T08:00:00Z","pods":["shop/web-1"],"podCount":1,"channel":"C0ALERTS",` +
		`"storm":"s1","lastSeen":"2026-11-26T08:00:00Z"}},"storms":{"s1":{"id":"s1","cause":"api-key-invalid","summary":"s","channel":"C0ALERTS",` +
		`"opened":"2026-11-26T08:00:00Z","lastAdded":"2026-11-26T08:00:00Z","members":["gone1","a1","gone2"],"listed":2,"updated":"2026-11-26T08:00:00Z"}}}`
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "pullcheck", Name: StateConfigMap}, Data: map[string]string{StateKey: old}}
	if _, err := r.kube.CoreV1().ConfigMaps("pullcheck").Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	m := r.manager()
	s := m.st.Storms["s1"]
	if fmt.Sprint(s.Members) != "[a1]" || s.Listed != 1 || s.Total != 3 {
		t.Errorf("storm members %v, listed %d, total %d; want [a1], 1, 3", s.Members, s.Listed, s.Total)
	}
	if id, ok := m.open[wciKey("Deployment/shop/web", "app", "us.icr.io/shop/web:1")]; !ok || id != "a1" {
		t.Errorf("open incidents %v", m.open)
	}
}
