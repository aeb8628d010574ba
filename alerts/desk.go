package alerts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/kubestate"
)

// DeskKey is the key, in the ConfigMap commands.ClaimsConfigMap that every
// replica writes, of what on-call did about alerts. Slack hands a click to
// any replica, but only the leader writes the incident state: a click is
// recorded here, and the leader takes it into the state (and shows it on
// the alert) on its next tick.
const DeskKey = "alerts.json"

// Desk records acknowledgements and mutes of alerts from any replica
// (commands.AlertDesk). Records expire after TTL (default 25 h: a mute
// lasts a day at most) and at most Max (default 500) of each kind are
// kept, so the document stays small.
type Desk struct {
	// Doc is the desk document.
	Doc kubestate.Store
	// State is the incident state, only read: which alerts are open.
	State kubestate.Store
	TTL   time.Duration
	Max   int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

var _ commands.AlertDesk = (*Desk)(nil)

// NewConfigMapDesk keeps the desk under DeskKey of the ConfigMap
// commands.ClaimsConfigMap of namespace, and reads the incident state of
// NewConfigMapStore.
func NewConfigMapDesk(kube kubernetes.Interface, namespace string) *Desk {
	return &Desk{Doc: &kubestate.ConfigMap{Kube: kube, Namespace: namespace, Name: commands.ClaimsConfigMap, Key: DeskKey},
		State: NewConfigMapStore(kube, namespace)}
}

// deskDoc is the desk document.
type deskDoc struct {
	// Acks are by alert key ("incident/3f2a9c1b7d0e").
	Acks map[string]Ack `json:"acks,omitempty"`
	// Mutes are by Mute.key.
	Mutes map[string]Mute `json:"mutes,omitempty"`
}

// alertKey names an alert: "incident/3f2a9c1b7d0e".
func alertKey(kind, id string) string { return kind + "/" + id }

// GoneError is a click on an alert that is no longer open.
type GoneError struct{ Alert commands.AlertRef }

func (e *GoneError) Error() string { return fmt.Sprintf("%s is no longer open", e.Alert) }

// UserMessage says the alert was resolved.
func (e *GoneError) UserMessage() string {
	return fmt.Sprintf("this %s is no longer open: it was resolved (a new failure posts a new alert)", e.Alert.Kind)
}

var _ commands.UserError = (*GoneError)(nil)

// Acknowledge records user as the one on an open alert.
func (d *Desk) Acknowledge(ctx context.Context, alert commands.AlertRef, user string) error {
	if _, _, err := d.find(ctx, alert); err != nil {
		return err
	}
	ack := Ack{By: user, At: d.now()}
	return d.update(ctx, func(doc *deskDoc) { doc.Acks[alertKey(alert.Kind, alert.ID)] = ack })
}

// Mute silences an open alert's workload and cause (a storm's cause in its
// channel) for dur.
func (d *Desk) Mute(ctx context.Context, alert commands.AlertRef, user string, dur time.Duration) error {
	inc, s, err := d.find(ctx, alert)
	if err != nil {
		return err
	}
	now := d.now()
	mu := Mute{Until: now.Add(dur), By: user, At: now}
	switch {
	case s != nil:
		mu.Cause, mu.Channel = s.Cause, s.Channel
	case inc.dormant():
		return &GoneError{Alert: alert} // only storm members are dormant, and they have no alert of their own
	default:
		mu.Workload, mu.Cause = inc.Workload, inc.Cause
	}
	return d.update(ctx, func(doc *deskDoc) { doc.Mutes[mu.key()] = mu })
}

// find reads the incident or storm an alert names from the saved state.
func (d *Desk) find(ctx context.Context, alert commands.AlertRef) (*Incident, *Storm, error) {
	st := newState()
	if _, err := d.State.Load(ctx, st); err != nil {
		return nil, nil, fmt.Errorf("reading the incident state: %w", err)
	}
	if inc := st.Incidents[alert.ID]; alert.Kind == commands.IncidentAlert && inc != nil {
		return inc, nil, nil
	}
	if s := st.Storms[alert.ID]; alert.Kind == commands.StormAlert && s != nil {
		return nil, s, nil
	}
	return nil, nil, &GoneError{Alert: alert}
}

// deskTries bounds the reads and writes of one record when other replicas
// keep writing in between.
const deskTries = 8

// update reads the desk, drops expired records, applies change and writes
// it over the version read; when another replica wrote in between it reads
// again and repeats.
func (d *Desk) update(ctx context.Context, change func(*deskDoc)) error {
	for try := 1; ; try++ {
		doc := deskDoc{}
		ver, err := d.Doc.Load(ctx, &doc)
		if err != nil {
			return fmt.Errorf("reading the alert desk: %w", err)
		}
		d.prune(&doc)
		change(&doc)
		_, err = d.Doc.Save(ctx, doc, ver)
		if err == nil {
			return nil
		}
		if !errors.Is(err, kubestate.ErrConflict) || try == deskTries {
			return fmt.Errorf("recording on the alert desk: %w", err)
		}
	}
}

// prune drops records older than TTL and ended mutes, then the oldest
// beyond Max-1 of each kind, leaving room for one more.
func (d *Desk) prune(doc *deskDoc) {
	if doc.Acks == nil {
		doc.Acks = map[string]Ack{}
	}
	if doc.Mutes == nil {
		doc.Mutes = map[string]Mute{}
	}
	now := d.now()
	cutoff := now.Add(-cmp.Or(d.TTL, 25*time.Hour))
	maxN := cmp.Or(d.Max, 500)
	pruneOldest(doc.Acks, func(a Ack) time.Time { return a.At }, cutoff, maxN)
	for k, mu := range doc.Mutes {
		if !mu.active(now) {
			delete(doc.Mutes, k)
		}
	}
	pruneOldest(doc.Mutes, func(mu Mute) time.Time { return mu.At }, cutoff, maxN)
}

// pruneOldest drops the records of m made before cutoff, then the oldest
// until fewer than maxN are left.
func pruneOldest[V any](m map[string]V, at func(V) time.Time, cutoff time.Time, maxN int) {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if at(v).Before(cutoff) {
			delete(m, k)
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) < maxN {
		return
	}
	slices.SortFunc(keys, func(a, b string) int { return at(m[a]).Compare(at(m[b])) })
	for _, k := range keys[:len(keys)-maxN+1] {
		delete(m, k)
	}
}

func (d *Desk) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}
