package blocks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
)

var homeNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func home(alerts int) blocks.Home {
	h := blocks.Home{Now: homeNow, OnCallUsers: []string{"U1"}, OnCallGroups: []string{"S0ONCALL"},
		Sweeps: []blocks.HomeSweep{{Severity: "critical", Text: "us-south storage: 41.0 GiB of 50.0 GiB (82 %)"},
			{Severity: "warning", Text: "2 namespaces with pull-secret problems: team-a, team-b"}}}
	for i := range alerts {
		h.Alerts = append(h.Alerts, blocks.HomeAlert{Cause: "pull-secret-not-copied", Summary: "team-a has no all-icr-io copy",
			Workloads: []string{fmt.Sprintf("Deployment/team-%03d/web", i)}, Incidents: 1, Cluster: "c0ffee", Pods: 2,
			Opened: homeNow.Add(-12 * time.Minute)})
	}
	return h
}

// TestHomeView: the Home tab lists the open alerts with cause, workload,
// cluster, age and who is on them, the sweeps and the on-call set; beyond
// 100 blocks the alerts are counted, and the view stays within Block
// Kit's limits.
func TestHomeView(t *testing.T) {
	h := home(2)
	h.Alerts[0].AckBy, h.Alerts[1].MutedBy, h.Alerts[1].MutedUntil = "U2", "U3", homeNow.Add(time.Hour)
	h.Alerts = append(h.Alerts, blocks.HomeAlert{Cause: "api-key-invalid", Workloads: []string{"Deployment/a/x", "Deployment/b/y"},
		Incidents: 14, Pods: 40, Opened: homeNow.Add(-3 * time.Hour), Held: true})
	v := blocks.HomeView(h)
	if err := blocks.ValidateView(v); err != nil {
		t.Fatal(err)
	}
	text := viewText(v)
	for _, want := range []string{
		"*Open alerts* (3)",
		"`pull-secret-not-copied` in Deployment/team-000/web · cluster `c0ffee` · 2 pod(s) · open 12 min",
		"acknowledged by <@U2>",
		"_not acknowledged_ · :mute: muted until Nov 26 10:00 UTC by <@U3>",
		"`api-key-invalid` in 14 workloads: Deployment/a/x, Deployment/b/y · 40 pod(s) · open 3 h",
		"not posted yet",
		":rotating_light: us-south storage: 41.0 GiB of 50.0 GiB (82 %)",
		"*On call*: <@U1>, <!subteam^S0ONCALL>",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the view lacks %q:\n%s", want, text)
		}
	}

	big := blocks.HomeView(home(500))
	if err := blocks.ValidateView(big); err != nil {
		t.Fatalf("500 alerts: %v", err)
	}
	if n := len(big.Blocks()); n != 100 {
		t.Errorf("500 alerts take %d blocks, want the 100 a Home tab holds", n)
	}
	if text := viewText(big); !strings.Contains(text, "… and 410 more open alerts") {
		t.Errorf("the view does not count the alerts left out:\n%s", text[len(text)-600:])
	}
	if err := blocks.ValidateViewBlocks(append(big.Blocks(), big.Blocks()[0])); err == nil || !strings.Contains(err.Error(), "101 blocks, limit 100") {
		t.Errorf("ValidateView of 101 blocks = %v", err)
	}

	empty := blocks.HomeView(blocks.Home{Now: homeNow, AlertsNote: "Alerts are off (PULLCHECK_ALERT_CHANNEL is not set)."})
	if text := viewText(empty); !strings.Contains(text, "Alerts are off") || !strings.Contains(text, "nobody is configured") {
		t.Errorf("an empty view:\n%s", text)
	}
	if req := v.Publish("U9"); req.UserID != "U9" || req.View.Type != slack.VTHomeTab || len(req.View.Blocks.BlockSet) != len(v.Blocks()) {
		t.Errorf("Publish = %+v", req)
	}
}

// viewText is every text of a view, a line per block.
func viewText(v blocks.View) string {
	var b strings.Builder
	for _, bl := range v.Blocks() {
		switch bl := bl.(type) {
		case *slack.SectionBlock:
			b.WriteString(bl.Text.Text)
		case *slack.ContextBlock:
			b.WriteString(bl.ContextElements.Elements[0].(*slack.TextBlockObject).Text)
		case *slack.HeaderBlock:
			b.WriteString(bl.Text.Text)
		}
		b.WriteString("\n")
	}
	return b.String()
}
