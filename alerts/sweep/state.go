package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/pullcheck/pullcheck/kubestate"
)

// Store keeps the sweeps' State between runs and across restarts.
type Store interface {
	// Load returns the stored state; an empty State when none is stored.
	Load(ctx context.Context) (State, error)
	// Save stores st. A State obtained from Load may be saved after another
	// writer changed the store: only what this caller changed since its
	// Load is applied over the other writer's changes.
	Save(ctx context.Context, st State) error
}

// State is what the sweeps remember between runs.
type State struct {
	// Quota holds usage samples by "<region>/<storage|traffic>".
	Quota map[string][]Sample `json:"quota,omitempty"`
	// Posted holds, by finding key, a mark of what was last posted: the
	// severity, and for hygiene findings a digest of the problems. A
	// condition that is fine has no entry.
	Posted map[string]string `json:"posted,omitempty"`

	// origin is what a Store loaded, for Save to tell this caller's changes
	// from those of other writers. Stores set it; nil means "nothing loaded".
	origin *origin
}

// origin is the state a Store loaded and the store's version of it.
type origin struct {
	base    State
	version kubestate.Version
}

// Sample is one reading of a quota.
type Sample struct {
	At          time.Time
	Used, Limit int64
}

// MarshalJSON writes a sample as [unix seconds, used, limit]: a month of
// hourly samples for every region has to fit in one ConfigMap (1 MiB).
func (s Sample) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]int64{s.At.Unix(), s.Used, s.Limit})
}

// UnmarshalJSON reads what MarshalJSON writes; times come back in UTC.
func (s *Sample) UnmarshalJSON(b []byte) error {
	var v [3]int64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("reading a quota sample: %w", err)
	}
	*s = Sample{At: time.Unix(v[0], 0).UTC(), Used: v[1], Limit: v[2]}
	return nil
}

// A series keeps one sample an hour for the last day and one a day before
// that: a month of every region's storage and traffic then fits in a few
// tens of KiB of the ConfigMap (1 MiB) instead of most of it, and the
// forecast weighs each sample by the time it stands for.
const (
	hourlyFor  = 24 * time.Hour
	maxSamples = 80 // a day of hours and a month of days, and slack
)

// init makes the maps of a loaded State writable.
func (st *State) init() {
	if st.Quota == nil {
		st.Quota = map[string][]Sample{}
	}
	if st.Posted == nil {
		st.Posted = map[string]string{}
	}
}

// clone copies st deeply, without its origin.
func (st State) clone() State {
	out := State{Posted: maps.Clone(st.Posted)}
	if st.Quota != nil {
		out.Quota = make(map[string][]Sample, len(st.Quota))
		for k, v := range st.Quota {
			out.Quota[k] = slices.Clone(v)
		}
	}
	return out
}

// withOrigin returns st remembering that it was loaded at version.
func (st State) withOrigin(version kubestate.Version) State {
	st.origin = &origin{base: st.clone(), version: version}
	return st
}

// version is the version st was loaded at; "" when it was not loaded, or
// there was nothing to load.
func (st State) version() kubestate.Version {
	if st.origin == nil {
		return ""
	}
	return st.origin.version
}

// rebase applies what mine changed since its origin onto latest, which
// keeps latest's origin. Keys mine did not touch keep latest's values, so
// two sweeps saving one store do not undo each other.
func rebase(latest, mine State) State {
	var base State
	if mine.origin != nil {
		base = mine.origin.base
	}
	out := latest.clone()
	out.origin = latest.origin
	out.init()
	applyChanges(out.Posted, base.Posted, mine.Posted, func(a, b string) bool { return a == b })
	applyChanges(out.Quota, base.Quota, mine.Quota, samplesEqual)
	return out
}

// applyChanges sets in dst every key whose value differs between base and
// mine, and deletes the keys mine deleted.
func applyChanges[V any](dst, base, mine map[string]V, equal func(a, b V) bool) {
	for k, v := range mine {
		if b, ok := base[k]; !ok || !equal(b, v) {
			dst[k] = v
		}
	}
	for k := range base {
		if _, ok := mine[k]; !ok {
			delete(dst, k)
		}
	}
}

func samplesEqual(a, b []Sample) bool {
	return slices.EqualFunc(a, b, func(x, y Sample) bool {
		return x.At.Equal(y.At) && x.Used == y.Used && x.Limit == y.Limit
	})
}

// record adds s to a series and keeps only samples taken at or after
// since and before s: one a clock hour for the last day (a later sample in
// the same hour replaces the earlier one), one a day (the day's last)
// before that, at most maxSamples.
func record(series []Sample, s Sample, since time.Time) []Sample {
	out := make([]Sample, 0, len(series)+1)
	for _, old := range series {
		if !old.At.Before(since) && old.At.Before(s.At) {
			out = append(out, old)
		}
	}
	out = append(out, s)
	slices.SortStableFunc(out, func(a, b Sample) int { return a.At.Compare(b.At) })
	kept := out[:0]
	for i, x := range out {
		last := i+1 == len(out)
		if last || bucket(x.At, s.At) != bucket(out[i+1].At, s.At) {
			kept = append(kept, x)
		}
	}
	if len(kept) > maxSamples {
		kept = kept[len(kept)-maxSamples:]
	}
	return kept
}

// bucket is the period a sample taken at t falls in, seen at now: its
// clock hour within the last day, else its UTC day.
func bucket(t, now time.Time) time.Time {
	if now.Sub(t) < hourlyFor {
		return t.Truncate(time.Hour)
	}
	return t.UTC().Truncate(24 * time.Hour)
}
