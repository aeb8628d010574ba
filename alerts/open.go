package alerts

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// Open is an open alert as the App Home lists it: an incident of its own,
// or a storm of incidents with one cause.
type Open struct {
	Kind    string // commands.IncidentAlert or commands.StormAlert
	ID      string
	Cause   diagnose.FindingID
	Summary string
	// Workloads are the incident's, or the storm's members' by pods, most
	// first (the names of folded members are not kept).
	Workloads []string
	// Incidents counts the storm's open members (1 for an incident).
	Incidents int
	Pods      int
	Opened    time.Time
	// Posted is false while the alert is held: waiting for others of its
	// cause, or muted.
	Posted bool
	Ack    *Ack
	Mute   *Mute
}

// LoadOpen reads the open alerts from the saved state (which the leader
// saves on every tick that changed it), newest first.
func LoadOpen(ctx context.Context, store Store, now time.Time) ([]Open, error) {
	st := newState()
	if _, err := store.Load(ctx, st); err != nil {
		return nil, fmt.Errorf("reading the incident state: %w", err)
	}
	st.restore(now)
	return st.open(now), nil
}

// open lists the state's incidents of their own and its storms.
func (st *State) open(now time.Time) []Open {
	var out []Open
	for id, inc := range st.Incidents {
		if inc.Storm != "" {
			continue
		}
		out = append(out, Open{Kind: commands.IncidentAlert, ID: id, Cause: inc.Cause, Summary: inc.Summary,
			Workloads: []string{inc.Workload}, Incidents: 1, Pods: inc.PodCount, Opened: inc.Opened,
			Posted: inc.Thread != nil, Ack: inc.Ack, Mute: st.muteOf(inc, now)})
	}
	for id, s := range st.Storms {
		a := st.stormAlert(s)
		out = append(out, Open{Kind: commands.StormAlert, ID: id, Cause: s.Cause, Summary: s.Summary,
			Workloads: a.Workloads, Incidents: len(s.Members), Pods: a.Pods, Opened: s.Opened,
			Posted: s.Thread != nil, Ack: s.Ack, Mute: st.stormMute(s, now)})
	}
	slices.SortFunc(out, func(a, b Open) int {
		if c := b.Opened.Compare(a.Opened); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
