package alerts

import (
	"context"
	"sort"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// post is one alert to send, decided under the lock, sent outside it.
type post struct {
	inc   *Incident
	storm *Storm
	alert any // IncidentAlert or StormAlert
}

// flush posts the incidents whose hold has passed: grouped into a storm when
// enough share a cause, else each on its own; late ones join an active storm.
func (m *Manager) flush(ctx context.Context) {
	now := m.o.Clock.Now()
	m.mu.Lock()
	var posts []post
	for key, incs := range m.pendingByCause() {
		cause := key.cause
		if now.Sub(oldest(incs)) < m.o.Hold {
			continue
		}
		for _, inc := range incs {
			inc.Pending = false
		}
		m.dirty = true
		if s := m.activeStorm(key, now); s != nil {
			for _, inc := range incs {
				inc.Storm, s.Members, s.LastAdded = s.ID, append(s.Members, inc.ID), now
				s.Total++
				delete(m.reps, inc.ID)
			}
			m.o.Metrics.grouped(m.o.Cluster, len(incs))
			continue
		}
		if len(incs) >= m.o.StormMin {
			posts = append(posts, m.newStorm(cause, incs, now))
			continue
		}
		for _, inc := range incs {
			rep := m.reps[inc.ID]
			delete(m.reps, inc.ID)
			a := m.incidentAlert(inc, rep, now)
			a.Offers = m.offers(rep)
			posts = append(posts, post{inc: inc, alert: a})
		}
	}
	m.mu.Unlock()
	m.sendAll(ctx, posts)
}

// sendAll posts each channel's alerts in order, channels in parallel and in
// the background: a busy channel (Slack paces each to a message a second)
// holds back neither another channel nor the next tick.
func (m *Manager) sendAll(ctx context.Context, posts []post) {
	byChannel := map[string][]post{}
	for _, p := range posts {
		ch := ""
		if p.inc != nil {
			ch = p.inc.Channel
		} else {
			ch = p.storm.Channel
		}
		byChannel[ch] = append(byChannel[ch], p)
	}
	for _, ps := range byChannel {
		m.sending.Add(1)
		go func() {
			defer m.sending.Done()
			for _, p := range ps {
				m.send(ctx, p)
			}
		}()
	}
}

// stormKey is what a storm groups by: one cause in one channel, so that a
// team whose namespaces route to its own channel sees its incidents there,
// however many other channels share the cause.
type stormKey struct {
	cause   diagnose.FindingID
	channel string
}

// pendingByCause groups the held incidents by cause and channel, oldest
// first. Muted ones stay held: they post nothing until the mute ends.
func (m *Manager) pendingByCause() map[stormKey][]*Incident {
	out := map[stormKey][]*Incident{}
	now := m.o.Clock.Now()
	for _, inc := range m.st.Incidents {
		if inc.Pending && m.st.muteOf(inc, now) == nil {
			k := stormKey{inc.Cause, inc.Channel}
			out[k] = append(out[k], inc)
		}
	}
	for _, incs := range out {
		sort.Slice(incs, func(i, j int) bool { return incs[i].Opened.Before(incs[j].Opened) })
	}
	return out
}

func oldest(incs []*Incident) time.Time { return incs[0].Opened }

// activeStorm is the storm of a cause in a channel that grew within the window.
func (m *Manager) activeStorm(k stormKey, now time.Time) *Storm {
	for _, s := range m.st.Storms {
		if s.Cause == k.cause && s.Channel == k.channel && now.Sub(s.LastAdded) <= m.o.Window {
			return s
		}
	}
	return nil
}

// newStorm groups incidents of one cause and channel.
func (m *Manager) newStorm(cause diagnose.FindingID, incs []*Incident, now time.Time) post {
	s := &Storm{ID: newID(), Cluster: incs[0].Cluster, Cause: cause, Summary: incs[0].Summary, Channel: incs[0].Channel,
		Opened: now, LastAdded: now, Updated: now}
	var rep *diagnose.Report
	for _, inc := range incs {
		if rep == nil {
			rep = m.reps[inc.ID]
		}
		inc.Storm = s.ID
		s.Members = append(s.Members, inc.ID)
		delete(m.reps, inc.ID)
	}
	s.Listed, s.Total = len(s.Members), len(s.Members)
	m.st.Storms[s.ID] = s
	a := m.stormAlert(s, now)
	a.Representative, a.Offers = rep, m.offers(rep)
	m.o.Metrics.grouped(m.o.Cluster, len(incs))
	return post{storm: s, alert: a}
}

func (m *Manager) offers(rep *diagnose.Report) []commands.Offer {
	if rep == nil {
		return nil
	}
	return m.o.Offers(rep)
}

// send posts one alert and records its thread; an alert acknowledged or
// muted while it was being posted is then shown anew.
func (m *Manager) send(ctx context.Context, p post) {
	var th Thread
	var err error
	kind := "incident"
	switch a := p.alert.(type) {
	case IncidentAlert:
		th, err = m.o.Notify.Incident(ctx, p.inc.Channel, a)
	case StormAlert:
		kind = "storm"
		th, err = m.o.Notify.Storm(ctx, p.storm.Channel, a)
	}
	if err != nil {
		m.o.Logger.Error("posting an alert", "kind", kind, "err", err)
		m.o.Metrics.failed(m.o.Cluster, kind)
		return
	}
	m.o.Metrics.posted(m.o.Cluster, kind)
	m.mu.Lock()
	if p.inc != nil {
		p.inc.Thread = &th
	} else {
		p.storm.Thread = &th
	}
	m.dirty = true
	shows := m.shows(m.actedOn(p), m.o.Clock.Now())
	m.mu.Unlock()
	for _, show := range shows {
		show(ctx)
	}
}

// updateStorms names the workloads that joined a storm since its last
// update; a muted storm, or a muted workload, is not named.
func (m *Manager) updateStorms(ctx context.Context) {
	now := m.o.Clock.Now()
	type upd struct {
		th    Thread
		alert StormAlert
		added []string
	}
	var ups []upd
	m.mu.Lock()
	for _, s := range m.st.Storms {
		if s.Thread == nil || s.Listed >= len(s.Members) || now.Sub(s.Updated) < m.o.StormUpdate || m.st.stormMute(s, now) != nil {
			continue
		}
		var added []string
		for _, id := range s.Members[s.Listed:] {
			if inc := m.st.Incidents[id]; inc != nil && m.st.muteOf(inc, now) == nil {
				added = append(added, inc.Workload)
			}
		}
		s.Listed, s.Updated, m.dirty = len(s.Members), now, true
		ups = append(ups, upd{*s.Thread, m.stormAlert(s, now), added})
	}
	m.mu.Unlock()
	for _, u := range ups {
		if err := m.o.Notify.UpdateStorm(ctx, u.th, u.alert, u.added); err != nil {
			m.o.Logger.Error("updating a storm", "err", err)
		}
	}
}
