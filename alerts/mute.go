package alerts

import (
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// Ack records who acknowledged an alert, and when: the one on it.
type Ack struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// same reports whether a and b record the same acknowledgement.
func (a *Ack) same(b Ack) bool { return a.By == b.By && a.At.Equal(b.At) }

// Mute silences one workload's alerts of one cause, or (Workload "", a
// storm's) every alert of one cause in one channel, until Until: such
// incidents post nothing — no new alert, no storm membership — while it
// lasts. A new cause is not muted: it is a new alert.
type Mute struct {
	Workload string             `json:"workload,omitempty"`
	Cause    diagnose.FindingID `json:"cause"`
	Channel  string             `json:"channel,omitempty"`
	Until    time.Time          `json:"until"`
	By       string             `json:"by"`
	// At is when it was asked for.
	At time.Time `json:"at"`
}

// same reports whether mu and o record the same mute.
func (mu *Mute) same(o Mute) bool {
	return mu.key() == o.key() && mu.By == o.By && mu.Until.Equal(o.Until) && mu.At.Equal(o.At)
}

// key identifies what a mute silences.
func (mu *Mute) key() string {
	return strings.Join([]string{mu.Workload, string(mu.Cause), mu.Channel}, "|")
}

// active reports whether the mute still holds at now.
func (mu *Mute) active(now time.Time) bool { return now.Before(mu.Until) }

// covers reports whether the mute silences inc.
func (mu *Mute) covers(inc *Incident) bool {
	if mu.Cause != inc.Cause {
		return false
	}
	if mu.Workload == "" {
		return mu.Channel == inc.Channel
	}
	return mu.Workload == inc.Workload
}

// silences reports whether the mute is a storm's: one cause in s's channel.
func (mu *Mute) silences(s *Storm) bool {
	return mu.Workload == "" && mu.Cause == s.Cause && mu.Channel == s.Channel
}

// muteOf is the active mute that silences inc, or nil.
func (st *State) muteOf(inc *Incident, now time.Time) *Mute {
	for _, mu := range st.Mutes {
		if mu.active(now) && mu.covers(inc) {
			return mu
		}
	}
	return nil
}

// stormMute is the active mute of a storm's cause in its channel, or nil.
func (st *State) stormMute(s *Storm, now time.Time) *Mute {
	for _, mu := range st.Mutes {
		if mu.active(now) && mu.silences(s) {
			return mu
		}
	}
	return nil
}

// silenced lists the posted alerts that a mute silences, as alert keys.
func (st *State) silenced(mu *Mute) []string {
	var out []string
	for id, inc := range st.Incidents {
		if inc.Thread != nil && mu.covers(inc) {
			out = append(out, alertKey(commands.IncidentAlert, id))
		}
	}
	for id, s := range st.Storms {
		if s.Thread != nil && mu.silences(s) {
			out = append(out, alertKey(commands.StormAlert, id))
		}
	}
	return out
}

// expireMutes drops the mutes that ended by now, and returns the posted
// alerts they silenced, to show them anew.
func (st *State) expireMutes(now time.Time) []string {
	var touched []string
	for k, mu := range st.Mutes {
		if !mu.active(now) {
			touched = append(touched, st.silenced(mu)...)
			delete(st.Mutes, k)
		}
	}
	return touched
}

// report is what the root message of a posted incident shows of its
// diagnosis — pod, container, image and root cause — for showing the
// message anew: the diagnosis itself is not kept.
func (i *Incident) report() *diagnose.Report {
	rep := &diagnose.Report{Request: diagnose.Request{Namespace: i.Namespace}, Container: i.Container, Image: i.Image,
		Verdict: diagnose.VerdictUnproved}
	if len(i.Pods) > 0 {
		_, rep.Request.Pod, _ = strings.Cut(i.Pods[0], "/")
	}
	if i.Cause != diagnose.FindingID(diagnose.VerdictUnproved) {
		rep.Verdict = diagnose.RootCauseFound
		rep.RootCause = &diagnose.Result{ID: i.Cause, Status: diagnose.Fail, Summary: i.Summary}
	}
	return rep
}
