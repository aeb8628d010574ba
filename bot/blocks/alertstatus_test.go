package blocks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

func alertButtons() []blocks.Button {
	return []blocks.Button{{ActionID: "alert-ack", Text: "Acknowledge", Value: "ack incident 3f2a9c1b7d0e", Primary: true},
		{ActionID: "alert-mute-1h", Text: "Mute 1 h", Value: "mute incident 3f2a9c1b7d0e 1h"},
		{ActionID: "alert-mute-1d", Text: "Mute 1 day", Value: "mute incident 3f2a9c1b7d0e 1d"}}
}

func acknowledgedAndMuted() blocks.AlertStatus {
	return blocks.AlertStatus{AckBy: "U1", MutedBy: "U2", MutedUntil: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
}

// TestAlertStatusShownAnew: showing an alert anew replaces its status line
// and buttons, never adds a second one; a status from a crafted user ID
// mentions no one.
func TestAlertStatusShownAnew(t *testing.T) {
	m := blocks.AlertRoot("deployment shop/web", 3, report(d.RootCauseFound)).WithAlertStatus(blocks.AlertStatus{}, alertButtons())
	if n := len(m.Blocks()); n != 4 {
		t.Fatalf("a fresh alert has %d blocks, want the alert's 3 and its buttons", n)
	}
	m = m.WithAlertStatus(blocks.AlertStatus{AckBy: "U1"}, alertButtons())
	m = m.WithAlertStatus(acknowledgedAndMuted(), alertButtons())
	if n := len(m.Blocks()); n != 5 {
		t.Fatalf("shown anew twice: %d blocks, want the alert's 3, one status line, one actions block", n)
	}
	status := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(marshal(t, m)))
	for _, want := range []string{"acknowledged by <@U1>", "muted until Nov 26 10:00 UTC by <@U2>"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q: %s", want, status)
		}
	}
	if err := blocks.Validate(m); err != nil {
		t.Error(err)
	}
	crafted := blocks.AlertRoot("x", 1, nil).WithAlertStatus(blocks.AlertStatus{AckBy: "<!channel>"}, nil)
	if strings.Contains(string(marshal(t, crafted)), `\u003c!channel`) {
		t.Error("a crafted user ID reached Slack as markup")
	}
	if got := m.Blocks()[4].(*slack.ActionBlock).BlockID; got != "pullcheck-alert" {
		t.Errorf("actions block ID %q", got)
	}
}
