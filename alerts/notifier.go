package alerts

import (
	"context"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// Notifier posts alerts in chat; the bot implements it. Every method may
// wait for Slack's rate limits; none may drop a message silently.
type Notifier interface {
	// Incident posts one incident's thread: the alert, its checks and the
	// verdict with fix buttons.
	Incident(ctx context.Context, channel string, a IncidentAlert) (Thread, error)
	// Storm posts one grouped alert for incidents that share a cause.
	Storm(ctx context.Context, channel string, s StormAlert) (Thread, error)
	// UpdateStorm refreshes a storm's counts and lists the workloads added
	// since the last update in its thread.
	UpdateStorm(ctx context.Context, t Thread, s StormAlert, added []string) error
	// Reply adds a line to a thread ("resolved after 12 min").
	Reply(ctx context.Context, t Thread, text string) error
	// UpdateIncident shows a posted incident's root message anew: who
	// acknowledged it, until when it is muted.
	UpdateIncident(ctx context.Context, t Thread, a IncidentAlert) error
}

// Thread is a posted alert.
type Thread struct {
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

// IncidentAlert is a new incident, already diagnosed.
type IncidentAlert struct {
	// Cluster is the cluster it happens in; "" for the only one.
	Cluster  string
	Report   *diagnose.Report
	Offers   []commands.Offer
	Workload string
	Pods     int
	// ID names the incident in its root message's buttons (Actions:
	// acknowledge, mute); Ack and Mute are what on-call did about it.
	ID      string
	Actions []commands.Offer
	Ack     *Ack
	Mute    *Mute
}

// StormAlert is a group of incidents with one root cause.
type StormAlert struct {
	// Cluster is the cluster of its incidents; "" for the only one.
	Cluster string
	Cause   diagnose.FindingID
	Summary string
	// Pods and Incidents count what the storm covers.
	Pods, Incidents int
	// Namespaces and Workloads are sorted by how many pods they have, most first.
	Namespaces []string
	Workloads  []string
	// Representative is one member's report, with its fixes.
	Representative *diagnose.Report
	Offers         []commands.Offer
	Since          time.Time
	// ID names the storm in its root message's buttons (Actions:
	// acknowledge, mute); Ack and Mute are what on-call did about it.
	ID      string
	Actions []commands.Offer
	Ack     *Ack
	Mute    *Mute
}
