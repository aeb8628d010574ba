package alerts

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// deskManager is a Manager of the rig that takes in the desk, and the desk
// a replica records clicks on; nothing resolves (no pod lister).
func (r *stateRig) deskManager() (*Manager, *Desk) {
	r.t.Helper()
	desk := NewConfigMapDesk(r.kube, "pullcheck")
	desk.Now = r.clock.Now
	m, err := NewManager(context.Background(), Options{Notify: r.rec, Store: NewConfigMapStore(r.kube, "pullcheck"),
		Routes: Routes{Default: "C0ALERTS"}, Hold: hold, Clock: r.clock, Desk: desk.Doc, AlertOffers: commands.AlertOffers})
	if err != nil {
		r.t.Fatal(err)
	}
	return m, desk
}

// openAs adds a diagnosed incident like stormIncident(i), with another
// image (a new rollout of the workload) and the given cause.
func (r *stateRig) openAs(m *Manager, i int, image string, cause diagnose.FindingID) {
	inc := stormIncident(i, cause)
	inc.Image = image
	inc.Key = wciKey(inc.Workload, inc.Container, inc.Image)
	m.add(inc, nil, inc.Namespace+"/"+image)
}

func (r *stateRig) mustTick(m *Manager) {
	r.t.Helper()
	if err := r.tick(m); err != nil {
		r.t.Fatal(err)
	}
}

func (r *stateRig) posted() []IncidentAlert {
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	return append([]IncidentAlert(nil), r.rec.incidents...)
}

func (r *stateRig) shown() []any {
	r.rec.mu.Lock()
	defer r.rec.mu.Unlock()
	return append([]any(nil), r.rec.shown...)
}

func incidentRef(a IncidentAlert) commands.AlertRef {
	return commands.AlertRef{Kind: commands.IncidentAlert, ID: a.ID}
}

// TestMuteSilencesItsWorkloadAndCause: a mute shows on the alert; while it
// lasts, a new incident of the workload and cause posts nothing, but
// another workload's and a new cause's do; when it ends the held incident
// posts, and the alert no longer shows the mute.
func TestMuteSilencesItsWorkloadAndCause(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	r.open(m, 1, diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	r.mustTick(m)
	first := r.posted()
	if len(first) != 1 || first[0].ID == "" || len(first[0].Actions) != 3 {
		t.Fatalf("posted %+v, want one alert with an ID and its three buttons", first)
	}
	if err := desk.Mute(context.Background(), incidentRef(first[0]), "U0ONCALL", time.Hour); err != nil {
		t.Fatal(err)
	}
	r.mustTick(m)
	shown := r.shown()
	if len(shown) != 1 {
		t.Fatalf("shown %+v, want the alert once, muted", shown)
	}
	if a := shown[0].(IncidentAlert); a.Mute == nil || a.Mute.By != "U0ONCALL" || !a.Mute.Until.Equal(r.clock.Now().Add(time.Hour)) {
		t.Errorf("shown mute %+v, want U0ONCALL's for an hour from the click", a.Mute)
	}

	r.openAs(m, 1, "us.icr.io/team-001/svc-0001:2.0.0", diagnose.APIKeyInvalid)     // muted: same workload and cause
	r.openAs(m, 2, "us.icr.io/team-002/svc-0002:2.0.0", diagnose.APIKeyInvalid)     // another workload
	r.openAs(m, 1, "us.icr.io/team-001/svc-0001:3.0.0", diagnose.PullSecretMissing) // a new cause
	r.clock.Step(hold)
	r.mustTick(m)
	var while []string
	for _, a := range r.posted()[1:] {
		inc := m.st.Incidents[a.ID]
		while = append(while, inc.Workload+" "+string(inc.Cause))
	}
	slices.Sort(while)
	want := []string{"Deployment/team-001/svc-0001 pull-secret-missing", "Deployment/team-002/svc-0002 api-key-invalid"}
	if diff := cmp.Diff(want, while); diff != "" {
		t.Fatalf("posted while muted (-want +got):\n%s", diff)
	}

	r.clock.Step(time.Hour)
	r.mustTick(m)
	got := r.posted()
	if len(got) != 4 || got[3].Workload != "Deployment/team-001/svc-0001" {
		t.Fatalf("after the mute: %d alerts posted (last %+v), want the held one posted", len(got), got[len(got)-1])
	}
	if len(m.st.Mutes) != 0 {
		t.Errorf("mutes left after the end: %+v", m.st.Mutes)
	}
	if last := r.shown()[len(r.shown())-1].(IncidentAlert); last.ID != first[0].ID || last.Mute != nil {
		t.Errorf("the first alert was not shown anew without its mute: %+v", last)
	}
}

// TestMutePersists: the mute is saved with the incidents, so a new leader
// keeps it: the workload's new incident of the cause still posts nothing,
// and taking the desk in again changes nothing.
func TestMutePersists(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	r.open(m, 1, diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	r.mustTick(m)
	if err := desk.Mute(context.Background(), incidentRef(r.posted()[0]), "U0ONCALL", 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	r.mustTick(m)
	cm, err := r.kube.CoreV1().ConfigMaps("pullcheck").Get(context.Background(), StateConfigMap, metav1.GetOptions{})
	if err != nil || !strings.Contains(cm.Data[StateKey], `"mutes"`) {
		t.Fatalf("the saved state holds no mute (%v): %s", err, cm.Data[StateKey])
	}

	next, _ := r.deskManager() // a new leader
	shownBefore := len(r.shown())
	r.openAs(next, 1, "us.icr.io/team-001/svc-0001:2.0.0", diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	r.mustTick(next)
	if n := len(r.posted()); n != 1 {
		t.Errorf("the new leader posted %d alerts, want none beyond the first", n)
	}
	if n := len(r.shown()); n != shownBefore {
		t.Errorf("taking the desk in again showed %d alerts anew", n-shownBefore)
	}
	if len(next.st.Mutes) != 1 {
		t.Errorf("the new leader has mutes %+v", next.st.Mutes)
	}
}

// TestStormMute: a muted storm names no new member and grows no new storm
// of its cause in its channel; another cause still alerts.
func TestStormMute(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	for i := range 3 {
		r.open(m, i, diagnose.APIKeyInvalid)
	}
	r.clock.Step(hold)
	r.mustTick(m)
	if len(r.rec.storms) != 1 || r.rec.storms[0].ID == "" || len(r.rec.storms[0].Actions) != 3 {
		t.Fatalf("storms %+v, want one with an ID and its buttons", r.rec.storms)
	}
	ref := commands.AlertRef{Kind: commands.StormAlert, ID: r.rec.storms[0].ID}
	if err := desk.Mute(context.Background(), ref, "U0ONCALL", time.Hour); err != nil {
		t.Fatal(err)
	}
	r.mustTick(m)
	if s, ok := r.shown()[0].(StormAlert); !ok || s.Mute == nil {
		t.Fatalf("shown %+v, want the storm, muted", r.shown())
	}
	for i := 3; i < 7; i++ {
		r.open(m, i, diagnose.APIKeyInvalid)
	}
	r.open(m, 7, diagnose.PullSecretMissing)
	r.clock.Step(time.Minute)
	r.mustTick(m)
	_, storms, updates, _ := r.rec.counts()
	if storms != 1 || updates != 0 || len(m.st.Storms[ref.ID].Members) != 3 {
		t.Errorf("while muted: %d storms, %d updates, %d members; want 1, 0, 3", storms, updates, len(m.st.Storms[ref.ID].Members))
	}
	if got := r.posted(); len(got) != 1 || got[0].Workload != "Deployment/team-007/svc-0007" {
		t.Errorf("posted %+v, want only the other cause's", got)
	}
}

// TestAcknowledge: an acknowledgement shows who is on the alert; a second
// one by someone else replaces it; an alert that is gone cannot be
// acknowledged.
func TestAcknowledge(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	r.open(m, 1, diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	r.mustTick(m)
	ref := incidentRef(r.posted()[0])
	for i, user := range []string{"U0ANA", "U0BEN"} {
		r.clock.Step(time.Second)
		if err := desk.Acknowledge(context.Background(), ref, user); err != nil {
			t.Fatal(err)
		}
		r.mustTick(m)
		shown := r.shown()
		if len(shown) != i+1 || shown[i].(IncidentAlert).Ack == nil || shown[i].(IncidentAlert).Ack.By != user {
			t.Fatalf("shown %+v, want the alert acknowledged by %s", shown, user)
		}
	}
	r.mustTick(m)
	if n := len(r.shown()); n != 2 {
		t.Errorf("an unchanged desk showed the alert again (%d times)", n)
	}
	// The last click wins even when its replica's clock is behind.
	desk.Now = func() time.Time { return r.clock.Now().Add(-time.Minute) }
	if err := desk.Acknowledge(context.Background(), ref, "U0CAT"); err != nil {
		t.Fatal(err)
	}
	r.mustTick(m)
	if shown := r.shown(); len(shown) != 3 || shown[2].(IncidentAlert).Ack.By != "U0CAT" {
		t.Errorf("a click stamped by a slow clock was not taken in: %+v", shown)
	}
	err := desk.Acknowledge(context.Background(), commands.AlertRef{Kind: commands.IncidentAlert, ID: "0123456789ab"}, "U0ANA")
	var gone *GoneError
	if !errors.As(err, &gone) || !strings.Contains(gone.UserMessage(), "no longer open") {
		t.Errorf("acknowledging an unknown alert = %v, want a GoneError", err)
	}
}

// TestDeskSharesTheClaimsConfigMap: the desk and the fix claims are two
// keys of one ConfigMap that every replica writes; neither undoes the other.
func TestDeskSharesTheClaimsConfigMap(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	r.open(m, 1, diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	r.mustTick(m)
	ctx := context.Background()
	claims := commands.NewConfigMapClaims(r.kube, "pullcheck")
	if _, ok, err := claims.Claim(ctx, "C0ALERTS/1.1/fix-plan", "U0ANA"); !ok || err != nil {
		t.Fatalf("Claim = %t, %v", ok, err)
	}
	if err := desk.Acknowledge(ctx, incidentRef(r.posted()[0]), "U0ANA"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := claims.Claim(ctx, "C0ALERTS/1.2/fix-plan", "U0BEN"); !ok || err != nil {
		t.Fatalf("Claim = %t, %v", ok, err)
	}
	cm, err := r.kube.CoreV1().ConfigMaps("pullcheck").Get(ctx, commands.ClaimsConfigMap, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cm.Data[commands.ClaimsKey], "1.1/fix-plan") || !strings.Contains(cm.Data[DeskKey], "U0ANA") {
		t.Errorf("the ConfigMap lost a key: %v", cm.Data)
	}
}

// TestLoadOpen: any replica reads the open alerts from the saved state: an
// incident of its own and a storm, newest first, with who acknowledged
// them and until when they are muted.
func TestLoadOpen(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	m, desk := r.deskManager()
	r.open(m, 9, diagnose.PullSecretMissing)
	r.clock.Step(hold)
	r.mustTick(m)
	for i := range 3 {
		r.open(m, i, diagnose.APIKeyInvalid)
	}
	r.clock.Step(hold)
	r.mustTick(m)
	if err := desk.Acknowledge(context.Background(), incidentRef(r.posted()[0]), "U0ANA"); err != nil {
		t.Fatal(err)
	}
	r.mustTick(m)
	open, err := LoadOpen(context.Background(), NewConfigMapStore(r.kube, "pullcheck"), r.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 2 {
		t.Fatalf("open alerts %+v, want a storm and an incident", open)
	}
	storm, inc := open[0], open[1]
	if storm.Kind != commands.StormAlert || storm.Incidents != 3 || len(storm.Workloads) != 3 || !storm.Posted || storm.Ack != nil {
		t.Errorf("storm %+v", storm)
	}
	if inc.Kind != commands.IncidentAlert || inc.Workloads[0] != "Deployment/team-009/svc-0009" || inc.Ack == nil || inc.Ack.By != "U0ANA" {
		t.Errorf("incident %+v", inc)
	}
}

// gated is a recorder whose incident posts wait for the test.
type gated struct {
	*recorder
	gate chan struct{}
}

func (g gated) Incident(ctx context.Context, ch string, a IncidentAlert) (Thread, error) {
	<-g.gate
	return g.recorder.Incident(ctx, ch, a)
}

// TestAcknowledgedWhilePosting: on-call acknowledges an alert whose root
// is up but whose thread is still being posted; the acknowledgement shows
// once the thread is known.
func TestAcknowledgedWhilePosting(t *testing.T) {
	r := newStateRig(t)
	r.pods = nil
	desk := NewConfigMapDesk(r.kube, "pullcheck")
	desk.Now = r.clock.Now
	g := gated{recorder: r.rec, gate: make(chan struct{})}
	m, err := NewManager(context.Background(), Options{Notify: g, Store: NewConfigMapStore(r.kube, "pullcheck"),
		Routes: Routes{Default: "C0ALERTS"}, Hold: hold, Clock: r.clock, Desk: desk.Doc, AlertOffers: commands.AlertOffers})
	if err != nil {
		t.Fatal(err)
	}
	r.open(m, 1, diagnose.APIKeyInvalid)
	r.clock.Step(hold)
	if err := m.Tick(context.Background()); err != nil { // posting starts, and waits
		t.Fatal(err)
	}
	var id string
	for k := range m.st.Incidents {
		id = k
	}
	if err := desk.Acknowledge(context.Background(), commands.AlertRef{Kind: commands.IncidentAlert, ID: id}, "U0ANA"); err != nil {
		t.Fatal(err)
	}
	if err := m.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(g.gate)
	m.WaitPosted()
	if shown := r.shown(); len(shown) != 1 || shown[0].(IncidentAlert).Ack == nil || shown[0].(IncidentAlert).Ack.By != "U0ANA" {
		t.Errorf("shown %+v, want the alert acknowledged by U0ANA once its thread is known", shown)
	}
}
