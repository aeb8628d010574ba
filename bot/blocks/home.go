package blocks

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"
)

// maxViewBlocks is the most blocks a Home tab view may have.
const maxViewBlocks = 100

// Home is what the App Home tab shows a user: the open alerts, the
// sweeps' last results and who is on call.
type Home struct {
	// Alerts are the open alerts, newest first. AlertsNote, when set, says
	// why none can be listed (alerts are off, the state cannot be read).
	Alerts     []HomeAlert
	AlertsNote string
	// Sweeps are the sweeps' last results; SweepsNote as AlertsNote.
	Sweeps     []HomeSweep
	SweepsNote string
	// OnCallUsers and OnCallGroups are the Slack user and user-group IDs
	// of pullcheck's configuration.
	OnCallUsers, OnCallGroups []string
	// Now is when the view is made: ages count from it.
	Now time.Time
}

// HomeAlert is one open alert: an incident, or a storm of them (Incidents
// > 1). AckBy and MutedBy are Slack user IDs that pullcheck got from Slack.
type HomeAlert struct {
	Cause, Summary string
	// Workloads are the affected workloads, most affected first.
	Workloads []string
	Incidents int
	// Cluster names the cluster, when known.
	Cluster string
	Pods    int
	Opened  time.Time
	// Held: not posted yet (waiting for others of its cause, or muted).
	Held       bool
	AckBy      string
	MutedBy    string
	MutedUntil time.Time
}

// HomeSweep is one line of the sweeps' last results.
type HomeSweep struct{ Severity, Text string }

// View is a Home tab view: only HomeView makes one, so that its text went
// through the same escaping as messages; the bot publishes it with Publish.
type View struct{ blocks []slack.Block }

// Blocks are the view's blocks (a copy of the list).
func (v View) Blocks() []slack.Block { return append([]slack.Block(nil), v.blocks...) }

// Publish is the views.publish request that shows v on user's Home tab.
func (v View) Publish(user string) slack.PublishViewContextRequest {
	return slack.PublishViewContextRequest{UserID: user,
		View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: v.blocks}}}
}

// HomeView renders h within the limits of a Home tab: alerts beyond what
// 100 blocks hold are counted ("and 12 more").
func HomeView(h Home) View {
	head := []slack.Block{slack.NewHeaderBlock(plainText("pullcheck")),
		contextLine(textf("Image pulls from IBM Cloud Container Registry, as of %s.", h.Now.UTC().Format("Jan 2 15:04 MST")))}
	tail := append([]slack.Block{slack.NewDividerBlock()}, sweepBlocks(h)...)
	tail = append(tail, slack.NewDividerBlock(), section(onCallText(h)),
		contextLine(lit("Only on-call may apply fixes, acknowledge and mute alerts. /pullcheck help explains the rest.")))
	room := maxViewBlocks - len(head) - len(tail)
	return View{blocks: append(append(head, alertBlocks(h, room)...), tail...)}
}

// alertBlocks lists the open alerts in at most room blocks.
func alertBlocks(h Home, room int) []slack.Block {
	out := []slack.Block{section(textf("*Open alerts* (%d)", len(h.Alerts)))}
	if len(h.Alerts) == 0 {
		return append(out, section(untrusted(orElse(h.AlertsNote, "No open alerts: every pod pullcheck watches pulls its images."))))
	}
	shown := h.Alerts
	if len(shown) > room-1 {
		shown = shown[:room-2]
	}
	for _, a := range shown {
		out = append(out, section(alertText(a, h.Now)))
	}
	if more := len(h.Alerts) - len(shown); more > 0 {
		out = append(out, contextLine(textf("… and %d more open alerts; the alert channels have every one.", more)))
	}
	return out
}

// alertText is one alert: cause and where, age, and who is on it.
func alertText(a HomeAlert, now time.Time) mrkdwn {
	where := textf("in %s", line(first(a.Workloads), 300))
	if a.Incidents > 1 {
		where = textf("in %d workloads: %s", a.Incidents, listed(a.Workloads))
	}
	if a.Cluster != "" {
		where = textf("%s · cluster %s", where, code(a.Cluster, 100))
	}
	s := textf(":rotating_light: %s %s · %d pod(s) · open %s", code(a.Cause, maxFindingLen), where, a.Pods, age(now.Sub(a.Opened)))
	if a.Summary != "" {
		s = textf("%s\n%s", s, line(a.Summary, maxSummary))
	}
	var status []mrkdwn
	if a.AckBy == "" {
		status = append(status, lit("_not acknowledged_"))
	}
	if st := statusLine(AlertStatus{AckBy: a.AckBy, MutedBy: a.MutedBy, MutedUntil: a.MutedUntil}); !st.blank() {
		status = append(status, st)
	}
	if a.Held {
		status = append(status, lit(":hourglass: not posted yet (held for others of its cause, or muted)"))
	}
	return textf("%s\n%s", s, join(status, " · "))
}

// first is the first of names, or a stand-in.
func first(names []string) string {
	if len(names) == 0 {
		return "(workload not kept)"
	}
	return names[0]
}

// age renders how long an alert is open: "12 min", "3 h", "2 days".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// sweepBlocks lists the sweeps' last results.
func sweepBlocks(h Home) []slack.Block {
	out := []slack.Block{section(lit("*Last sweeps* (registry quota and pull-secret hygiene)"))}
	if len(h.Sweeps) == 0 {
		return append(out, section(untrusted(orElse(h.SweepsNote, "No sweep has recorded anything yet."))))
	}
	var lines []mrkdwn
	for _, r := range h.Sweeps {
		lines = append(lines, textf("%s %s", severityEmoji(r.Severity), line(r.Text, 500)))
	}
	for i, c := range chunks(lines, maxSectionText) {
		if i == maxListingSections {
			return append(out, contextLine(lit("… more results left out")))
		}
		out = append(out, section(c))
	}
	return out
}

func severityEmoji(sev string) mrkdwn {
	switch sev {
	case "critical":
		return lit(":rotating_light:")
	case "warning":
		return lit(":warning:")
	}
	return lit(":white_check_mark:")
}

// onCallText names who is on call: users and user groups.
func onCallText(h Home) mrkdwn {
	var who []mrkdwn
	for _, u := range h.OnCallUsers {
		who = append(who, mention(u))
	}
	for _, g := range h.OnCallGroups {
		who = append(who, groupMention(g))
	}
	if len(who) == 0 {
		return lit("*On call*: nobody is configured (PULLCHECK_ONCALL_USERS, PULLCHECK_ONCALL_GROUPS), so nobody may apply fixes.")
	}
	return fit(textf("*On call*: %s", join(who, ", ")), maxSectionText)
}
