package alerts

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// absorb takes into the state what on-call did on any replica (the desk):
// acknowledgements of open alerts and running mutes; mutes that ended
// leave. The posted alerts they concern are shown anew.
func (m *Manager) absorb(ctx context.Context) {
	doc, fresh := m.readDesk(ctx)
	now := m.o.Clock.Now()
	m.mu.Lock()
	var touched []string
	if fresh {
		touched = m.st.merge(doc, now)
	}
	touched = append(touched, m.st.expireMutes(now)...)
	if len(touched) > 0 {
		m.dirty = true
	}
	shows := m.shows(touched, now)
	m.mu.Unlock()
	for _, show := range shows {
		show(ctx)
	}
}

// readDesk reads the desk; fresh is false when there is none, it could not
// be read, or it did not change since the last read.
func (m *Manager) readDesk(ctx context.Context) (deskDoc, bool) {
	var doc deskDoc
	if m.o.Desk == nil {
		return doc, false
	}
	ver, err := m.o.Desk.Load(ctx, &doc)
	if err != nil {
		m.o.Logger.Warn("reading the alert desk", "err", err)
		return doc, false
	}
	if ver == m.deskVersion {
		return doc, false
	}
	m.deskVersion = ver
	return doc, true
}

// merge takes the desk's records into the state: an acknowledgement of an
// open alert, or a running mute, that differs from what the state holds.
// The desk is written over the version read, so its record of an alert or
// a mute is the last one clicked, whatever the clicking replicas' clocks
// said. It returns the posted alerts to show anew.
func (st *State) merge(doc deskDoc, now time.Time) []string {
	var touched []string
	for key, a := range doc.Acks {
		cur := st.ackOf(key)
		if cur == nil || (*cur != nil && (*cur).same(a)) {
			continue
		}
		*cur = &a
		touched = append(touched, key)
	}
	for k, mu := range doc.Mutes {
		if cur := st.Mutes[k]; !mu.active(now) || (cur != nil && cur.same(mu)) {
			continue
		}
		st.Mutes[k] = &mu
		touched = append(touched, st.silenced(&mu)...)
	}
	return touched
}

// ackOf is where the state keeps the acknowledgement of an alert key; nil
// when the alert is not open.
func (st *State) ackOf(key string) **Ack {
	kind, id, _ := strings.Cut(key, "/")
	switch kind {
	case commands.IncidentAlert:
		if inc := st.Incidents[id]; inc != nil {
			return &inc.Ack
		}
	case commands.StormAlert:
		if s := st.Storms[id]; s != nil {
			return &s.Ack
		}
	}
	return nil
}

// shows are the updates of the posted alerts among keys, made under the
// lock and sent outside it.
func (m *Manager) shows(keys []string, now time.Time) []func(context.Context) {
	slices.Sort(keys)
	var out []func(context.Context)
	for _, key := range slices.Compact(keys) {
		kind, id, _ := strings.Cut(key, "/")
		if inc := m.st.Incidents[id]; kind == commands.IncidentAlert && inc != nil && inc.Thread != nil {
			th, a := *inc.Thread, m.incidentAlert(inc, inc.report(), now)
			out = append(out, func(ctx context.Context) {
				if err := m.o.Notify.UpdateIncident(ctx, th, a); err != nil {
					m.o.Logger.Error("updating an alert", "err", err)
				}
			})
		}
		if s := m.st.Storms[id]; kind == commands.StormAlert && s != nil && s.Thread != nil {
			th, a := *s.Thread, m.stormAlert(s, now)
			out = append(out, func(ctx context.Context) {
				if err := m.o.Notify.UpdateStorm(ctx, th, a, nil); err != nil {
					m.o.Logger.Error("updating a storm", "err", err)
				}
			})
		}
	}
	return out
}

// actedOn lists p's alert when on-call acknowledged or muted it while it
// was being posted, before its thread was known.
func (m *Manager) actedOn(p post) []string {
	now := m.o.Clock.Now()
	switch {
	case p.inc != nil && (p.inc.Ack != nil || m.st.muteOf(p.inc, now) != nil):
		return []string{alertKey(commands.IncidentAlert, p.inc.ID)}
	case p.storm != nil && (p.storm.Ack != nil || m.st.stormMute(p.storm, now) != nil):
		return []string{alertKey(commands.StormAlert, p.storm.ID)}
	}
	return nil
}

// incidentAlert is inc as its root message shows it: with rep, its
// buttons, and what on-call did about it.
func (m *Manager) incidentAlert(inc *Incident, rep *diagnose.Report, now time.Time) IncidentAlert {
	return IncidentAlert{Cluster: inc.Cluster, Report: rep, Workload: inc.Workload, Pods: inc.PodCount, ID: inc.ID,
		Actions: m.actions(commands.IncidentAlert, inc.ID), Ack: inc.Ack, Mute: m.st.muteOf(inc, now)}
}

// stormAlert is s as its root message shows it, with its buttons and what
// on-call did about it.
func (m *Manager) stormAlert(s *Storm, now time.Time) StormAlert {
	a := m.st.stormAlert(s)
	a.ID, a.Actions, a.Ack, a.Mute = s.ID, m.actions(commands.StormAlert, s.ID), s.Ack, m.st.stormMute(s, now)
	return a
}

// actions are the buttons of an alert's root message.
func (m *Manager) actions(kind, id string) []commands.Offer {
	if m.o.AlertOffers == nil {
		return nil
	}
	return m.o.AlertOffers(commands.AlertRef{Kind: kind, ID: id})
}
