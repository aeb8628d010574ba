package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
)

// desk records what it is asked.
type desk struct{ calls []string }

func (d *desk) Acknowledge(_ context.Context, a commands.AlertRef, user string) error {
	d.calls = append(d.calls, "ack "+a.String()+" by "+user)
	return nil
}

func (d *desk) Mute(_ context.Context, a commands.AlertRef, user string, for_ time.Duration) error {
	d.calls = append(d.calls, "mute "+a.String()+" for "+for_.String()+" by "+user)
	return nil
}

// TestAlertActions: the buttons of an alert are commands; on-call's clicks
// reach the desk, others are refused, read-only mode allows them.
func TestAlertActions(t *testing.T) {
	_, svc := world(t)
	d := &desk{}
	offers := commands.AlertOffers(commands.AlertRef{Kind: commands.StormAlert, ID: "3f2a9c1b7d0e"})
	var values []string
	for _, o := range offers {
		values = append(values, o.Value)
	}
	if diff := cmp.Diff([]string{"ack storm 3f2a9c1b7d0e", "mute storm 3f2a9c1b7d0e 1h", "mute storm 3f2a9c1b7d0e 1d"}, values); diff != "" {
		t.Errorf("alert offers (-want +got):\n%s", diff)
	}
	if out := handle(t, svc, commands.Request{User: "cli", Text: values[0]}); !strings.Contains(out, "alerts are off here") {
		t.Errorf("without a desk: %s", out)
	}
	svc.Alerts, svc.ReadOnly = d, true
	if out := handle(t, svc, commands.Request{User: "U0VISITOR", Text: values[1]}); !strings.Contains(out, "only on-call engineers may acknowledge or mute alerts") {
		t.Errorf("visitor: %s", out)
	}
	for i, want := range []string{"acknowledged: the alert shows that you are on it", "muted for 1 hour", "muted for 1 day"} {
		if out := handle(t, svc, commands.Request{User: "cli", Text: values[i]}); !strings.Contains(out, want) {
			t.Errorf("%s: %s", values[i], out)
		}
	}
	want := []string{"ack storm 3f2a9c1b7d0e by cli", "mute storm 3f2a9c1b7d0e for 1h0m0s by cli", "mute storm 3f2a9c1b7d0e for 24h0m0s by cli"}
	if diff := cmp.Diff(want, d.calls); diff != "" {
		t.Errorf("desk calls (-want +got):\n%s", diff)
	}
}
