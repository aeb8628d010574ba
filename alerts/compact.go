package alerts

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// The saved state must stay far below the 1 MiB a ConfigMap holds, in an
// alert storm too. What is saved is compacted, step by step, only as far
// as it has to be to fit the budget:
//
//  1. storm members are folded: each is saved as its key and pod count
//     ([key, pods], about 20 bytes) instead of a whole incident. A restart
//     restores them dormant: the pods of a folded member that still fail
//     join it (no new alert), and one whose pods stopped failing resolves.
//     Only the names of members not yet listed in the storm's thread are
//     lost.
//  2. incidents still held (not yet posted) are left out: after a restart
//     they are found, diagnosed and posted once, as if new.
//  3. as a last resort the least recently seen incidents are forgotten,
//     standalone ones first, then folded members of the oldest storms; a
//     restart may alert those again.
//
// Pods per incident are capped in memory already (maxPodsKept), resolved
// incidents leave the state at once (a storm keeps only their count,
// Total), and a storm leaves with its last member.

// folded is a storm member saved as its key and pod count.
type folded struct {
	Key  string
	Pods int
}

// MarshalJSON writes [key, pods].
func (f folded) MarshalJSON() ([]byte, error) { return json.Marshal([]any{f.Key, f.Pods}) }

// UnmarshalJSON reads [key, pods].
func (f *folded) UnmarshalJSON(b []byte) error {
	var v []json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil || len(v) != 2 {
		return fmt.Errorf("reading a folded storm member %s: not [key, pods]", b)
	}
	if err := json.Unmarshal(v[0], &f.Key); err != nil {
		return fmt.Errorf("reading a folded storm member's key: %w", err)
	}
	return json.Unmarshal(v[1], &f.Pods)
}

// compact returns a copy of st to save, compacted to fit budget bytes of
// JSON when it can, and how many open incidents it had to forget (step 3).
func compact(st *State, budget int) (*State, int) {
	c := cloneState(st)
	if size(c) <= budget {
		return c, 0
	}
	c.foldStorms()
	if size(c) <= budget {
		return c, 0
	}
	for id, inc := range c.Incidents {
		if inc.Pending {
			delete(c.Incidents, id)
		}
	}
	forgot := 0
	for size(c) > budget {
		n := c.forgetOldest()
		if n == 0 {
			break
		}
		forgot += n
	}
	return c, forgot
}

func size(st *State) int {
	b, _ := json.Marshal(st)
	return len(b)
}

// foldStorms saves every storm member as its key and pod count.
func (st *State) foldStorms() {
	for _, s := range st.Storms {
		for _, id := range s.Members {
			if inc := st.Incidents[id]; inc != nil {
				s.Folded = append(s.Folded, folded{Key: inc.Key, Pods: inc.PodCount})
				delete(st.Incidents, id)
			}
		}
		s.Members, s.Listed = nil, 0
	}
}

// forgetOldest forgets a tenth (at least one) of the least recently seen
// standalone incidents, or when there are none, a tenth of the folded
// members of the oldest storm; it returns how many.
func (st *State) forgetOldest() int {
	var standalone []*Incident
	for _, inc := range st.Incidents {
		if inc.Storm == "" {
			standalone = append(standalone, inc)
		}
	}
	if len(standalone) > 0 {
		slices.SortFunc(standalone, func(a, b *Incident) int { return a.LastSeen.Compare(b.LastSeen) })
		n := max(1, len(standalone)/10)
		for _, inc := range standalone[:n] {
			delete(st.Incidents, inc.ID)
		}
		return n
	}
	var oldest *Storm
	for _, s := range st.Storms {
		if len(s.Folded) > 0 && (oldest == nil || s.Opened.Before(oldest.Opened)) {
			oldest = s
		}
	}
	if oldest == nil {
		return 0
	}
	n := max(1, len(oldest.Folded)/10)
	oldest.Folded = oldest.Folded[n:]
	return n
}

// restore turns a loaded state into the one the Manager works on: folded
// members become dormant incidents (last seen now), and members that a
// state saved by an older pullcheck kept after they resolved leave.
func (st *State) restore(now time.Time) {
	if st.Mutes == nil {
		st.Mutes = map[string]*Mute{}
	}
	for id, inc := range st.Incidents {
		inc.ID = id
		if inc.Key == "" {
			inc.Key = wciKey(inc.Workload, inc.Container, inc.Image)
		}
	}
	for _, s := range st.Storms {
		s.Total = max(s.Total, len(s.Members)+len(s.Folded))
		var members []string
		listed := 0
		for i, id := range s.Members {
			if st.Incidents[id] != nil {
				members = append(members, id)
				if i < s.Listed {
					listed++
				}
			}
		}
		dormant := make([]string, 0, len(s.Folded)+len(members))
		for _, f := range s.Folded {
			inc := &Incident{ID: "~" + f.Key, Key: f.Key, Cause: s.Cause, Summary: s.Summary, Channel: s.Channel,
				Storm: s.ID, Opened: s.Opened, PodCount: f.Pods, LastSeen: now}
			st.Incidents[inc.ID] = inc
			dormant = append(dormant, inc.ID)
		}
		// Folded members were listed, or their names are lost: either way
		// the next update of the thread does not name them.
		s.Members, s.Listed, s.Folded = append(dormant, members...), len(dormant)+listed, nil
	}
}
