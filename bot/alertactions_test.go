package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/commands"
)

// alerting is the harness's bot posting alerts: a Manager whose ticks the
// test drives, its desk shared with the bot's commands.
type alerting struct {
	h     *harness
	mgr   *alerts.Manager
	clock *clocktesting.FakeClock
}

func (h *harness) alerting() *alerting {
	h.t.Helper()
	clock := clocktesting.NewFakeClock(time.Now())
	desk := alerts.NewConfigMapDesk(h.world.Kube, "pullcheck")
	desk.Now, h.svc.Alerts = clock.Now, desk
	box := outbox.New(outbox.Options{})
	h.t.Cleanup(box.Close)
	m, err := alerts.NewManager(h.ctx, alerts.Options{Engine: h.world.Engine(), Offers: h.svc.Offers, Notify: h.bot.NewNotifier(box),
		Store: alerts.NewConfigMapStore(h.world.Kube, "pullcheck"), Routes: alerts.Routes{Default: channel}, Clock: clock,
		Desk: desk.Doc, AlertOffers: commands.AlertOffers})
	if err != nil {
		h.t.Fatal(err)
	}
	return &alerting{h: h, mgr: m, clock: clock}
}

// tick runs a round of the Manager and waits for its posts.
func (a *alerting) tick() {
	a.h.t.Helper()
	if err := a.mgr.Tick(a.h.ctx); err != nil {
		a.h.t.Fatal(err)
	}
	a.mgr.WaitPosted()
}

// alert has the Manager see the failing pod and post its alert; it
// returns the alert's root message.
func (a *alerting) alert(ns, pod string) fakeslack.Message {
	a.h.t.Helper()
	p, err := a.h.world.Kube.CoreV1().Pods(ns).Get(context.Background(), pod, metav1.GetOptions{})
	if err != nil {
		a.h.t.Fatal(err)
	}
	a.mgr.Observe(a.h.ctx, p)
	a.clock.Step(10 * time.Second) // the hold
	a.tick()
	a.tick() // saves the alert's thread
	return a.h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "Image pull failure")
	}, 0)
}

// statusAfter clicks a button of the alert as user, lets the Manager take
// the click in, and returns the alert's status line once it shows want.
func (a *alerting) statusAfter(user string, root fakeslack.Message, actionID, want string) string {
	a.h.t.Helper()
	before := len(a.h.slack.Messages(channel))
	a.h.click(user, a.h.find(root.TS), actionID)
	a.h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && m.User == user }, before)
	a.tick()
	var line string
	a.h.waitMessage(func(m fakeslack.Message) bool {
		line = statusLine(a.h.t, m)
		return m.TS == root.TS && strings.Contains(line, want)
	}, 0)
	return line
}

// statusLine is the text of a message's alert status line.
func statusLine(t testing.TB, m fakeslack.Message) string {
	t.Helper()
	var bl slack.Blocks
	if err := json.Unmarshal(m.Blocks, &bl); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	for _, b := range bl.BlockSet {
		if c, ok := b.(*slack.ContextBlock); ok && c.BlockID == "pullcheck-alert-status" {
			return c.ContextElements.Elements[0].(*slack.TextBlockObject).Text
		}
	}
	return ""
}

// TestAlertButtons: an alert's root message offers Acknowledge and Mute;
// a visitor's click is refused privately and changes nothing; on-call's
// acknowledgement shows on the message, a second one by someone else
// replaces it, and a mute shows until when.
func TestAlertButtons(t *testing.T) {
	h := start(t)
	a := h.alerting()
	pod := scenario(t, "team-a").Build(h.world)
	root := a.alert("team-a", pod)
	btns, _ := buttonsIn(t, root)
	for _, id := range []string{"alert-ack", "alert-mute-1h", "alert-mute-1d"} {
		if !strings.HasPrefix(btns[id], "ack incident ") && !strings.HasPrefix(btns[id], "mute incident ") {
			t.Errorf("button %s has value %q", id, btns[id])
		}
	}

	h.click(visitor, root, "alert-ack")
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == visitor && strings.Contains(m.Text, "only on-call engineers may acknowledge or mute alerts")
	}, 0)
	a.tick()
	if m := h.find(root.TS); m.Updates != 0 {
		t.Errorf("a visitor's click updated the alert: %s", m.Blocks)
	}

	if line := a.statusAfter(onCall, root, "alert-ack", "acknowledged by <@"+onCall); line == "" {
		t.Fatal("no status line")
	}
	if line := a.statusAfter(grouped, root, "alert-ack", "acknowledged by <@"+grouped); strings.Contains(line, onCall) {
		t.Errorf("the second acknowledgement kept the first: %s", line)
	}
	line := a.statusAfter(onCall, root, "alert-mute-1h", "muted until")
	if !strings.Contains(line, "by <@"+onCall) || !strings.Contains(line, "acknowledged by <@"+grouped) {
		t.Errorf("status after the mute: %s", line)
	}
	if b, _ := buttonsIn(t, h.find(root.TS)); len(b) != 3 {
		t.Errorf("the alert lost its buttons: %v", b)
	}
	checkAllMessages(t, h)
}
