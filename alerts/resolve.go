package alerts

import (
	"context"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// reply is a line to post in a thread.
type reply struct {
	th   Thread
	text string
}

// resolve closes the incidents whose workload pulls again, and says so in
// their thread (or their storm's, once every member is resolved).
func (m *Manager) resolve(ctx context.Context) {
	if m.o.Pods == nil {
		return
	}
	now := m.o.Clock.Now()
	var replies []reply
	m.mu.Lock()
	for id, inc := range m.st.Incidents {
		if !m.healthy(inc, now) {
			continue
		}
		delete(m.st.Incidents, id)
		delete(m.open, inc.Key)
		delete(m.reps, id)
		m.dirty = true
		m.o.Metrics.resolved(m.o.Cluster)
		switch {
		case inc.Storm != "":
			if r, ok := m.leaveStorm(inc.Storm, id, now); ok {
				replies = append(replies, r)
			}
		case inc.Thread != nil:
			replies = append(replies, reply{*inc.Thread, fmt.Sprintf(":white_check_mark: resolved after %s: every pod of %s pulls its image",
				since(inc.Opened, now), inc.Workload)})
		}
	}
	m.mu.Unlock()
	for _, r := range replies {
		if err := m.o.Notify.Reply(ctx, r.th, r.text); err != nil {
			m.o.Logger.Error("posting a resolution", "err", err)
		}
	}
}

// leaveStorm takes a resolved incident out of its storm, and ends the
// storm when it was the last member.
func (m *Manager) leaveStorm(stormID, id string, now time.Time) (reply, bool) {
	s := m.st.Storms[stormID]
	if s == nil {
		return reply{}, false
	}
	if i := slices.Index(s.Members, id); i >= 0 {
		s.Members = slices.Delete(s.Members, i, i+1)
		if i < s.Listed {
			s.Listed--
		}
	}
	if len(s.Members) > 0 {
		return reply{}, false
	}
	delete(m.st.Storms, stormID)
	if s.Thread == nil {
		return reply{}, false
	}
	return reply{*s.Thread, fmt.Sprintf(":white_check_mark: resolved after %s: all %s pull their images",
		since(s.Opened, now), plural(s.Total, "workload"))}, true
}

// healthy: no pod of the workload fails on the container and image, and
// one runs — or none has existed for a while (the workload is gone).
func (m *Manager) healthy(inc *Incident, now time.Time) bool {
	if inc.Pending && now.Sub(inc.Opened) < m.o.Hold {
		return false
	}
	if inc.dormant() {
		// After a restart every pod that still fails is seen again once
		// the grace period has passed, and wakes its incident.
		return now.Sub(inc.LastSeen) >= m.grace+2*m.o.Hold+time.Minute
	}
	running := false
	seen := false
	for _, p := range m.o.Pods.PodsIn(inc.Namespace) {
		if workload(p) != inc.Workload || p.DeletionTimestamp != nil {
			continue
		}
		seen = true
		for _, f := range failures(p) {
			if f.Name == inc.Container && f.Image == inc.Image {
				return false
			}
		}
		running = running || containerRunning(p, inc.Container)
	}
	if !seen {
		return now.Sub(inc.LastSeen) >= 2*m.o.Hold
	}
	return running
}

func containerRunning(p *corev1.Pod, name string) bool {
	for _, list := range [][]corev1.ContainerStatus{p.Status.ContainerStatuses, p.Status.InitContainerStatuses} {
		for _, cs := range list {
			if cs.Name == name && (cs.State.Running != nil || (cs.State.Terminated != nil && cs.State.Terminated.ExitCode == 0)) {
				return true
			}
		}
	}
	return false
}

func since(from, now time.Time) string {
	d := now.Sub(from)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d min", int(d.Minutes()))
}
