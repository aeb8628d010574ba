package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/diagnose"
)

// maxThread is how many bot messages one diagnosis may take, root included.
const maxThread = 6

// finalChecks waits until the checks message ts has its final, folded
// form and returns it.
func (h *harness) finalChecks(ts string) fakeslack.Message {
	h.t.Helper()
	final := fmt.Sprintf("%d checks:", len(diagnose.Catalogue))
	return h.waitIn(channelOf(h, ts), func(m fakeslack.Message) bool {
		return m.TS == ts && strings.HasPrefix(m.Text, final)
	}, 0)
}

// channelOf finds the channel of a message.
func channelOf(h *harness, ts string) string {
	for _, c := range h.slack.Calls() {
		if c.Method == "chat.postMessage" && c.Status == 200 {
			for _, m := range h.slack.Messages(c.Form.Get("channel")) {
				if m.TS == ts {
					return m.Channel
				}
			}
		}
	}
	h.t.Fatalf("no message %s", ts)
	return ""
}

// TestFewMessagesPerDiagnosis: under Slack's rate limits, a diagnosis of
// any outcome is a root, one checks message and the verdict, within
// maxThread; the checks message ends folded, every check that did not pass
// shown with its evidence; and Slack refuses nothing.
func TestFewMessagesPerDiagnosis(t *testing.T) {
	h := start(t)
	for _, name := range []string{"team-a", "shop", "storefront", "ghost", "frozen", "steady"} { // each in its namespace
		t.Run(name, func(t *testing.T) {
			pod := scenario(t, name).Build(h.world)
			ch := "C0" + strings.ToUpper(strings.ReplaceAll(name, "-", ""))
			root := h.commandIn(ch, visitor, "pod "+name+"/"+pod)
			thread := h.slack.Thread(ch, root.TS)
			if n := len(thread) + 1; n > maxThread || n != 3 {
				t.Fatalf("%d messages in the thread, want root, checks and verdict (at most %d)", n, maxThread)
			}
			checks := h.finalChecks(thread[0].TS)
			text := strings.Join(mrkdwnTexts(t, string(checks.Blocks)), "\n")
			rep := h.svc.Engine.Diagnose(h.ctx, diagnose.Request{Namespace: name, Pod: pod}, nil)
			for _, r := range rep.Results {
				shown := strings.Contains(text, "`"+string(r.ID)+"`")
				if want := r.Status == diagnose.Fail || r.Status == diagnose.Warn || r.Status == diagnose.Inconclusive; shown != want {
					t.Errorf("%s (%s) shown in the checks message: %t, want %t", r.ID, r.Status, shown, want)
				}
				if shown && len(r.Evidence) > 0 && !strings.Contains(text, "*"+r.Evidence[0].Name+":*") {
					t.Errorf("%s is shown without its evidence %q", r.ID, r.Evidence[0].Name)
				}
			}
			if btns, _ := buttonsIn(t, checks); btns["show-all-checks"] == "" {
				t.Errorf("the checks message has no Show all checks button: %v", btns)
			}
		})
	}
	if n := count429(h.slack); n != 0 {
		t.Errorf("Slack refused %d calls: %v", n, h.slack.RateLimitedCalls())
	}
}

// TestChecksEditedAtSlacksPace: the checks message is posted with the first
// check and edited in place, at most once per second, and its last edit is
// the folded form.
func TestChecksEditedAtSlacksPace(t *testing.T) {
	h := start(t)
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	ts := h.slack.Thread(channel, root.TS)[0].TS
	final := h.finalChecks(ts)

	var posted time.Time
	var edits []fakeslack.Call
	for _, c := range h.slack.Calls() {
		switch {
		case c.Method == "chat.postMessage" && c.Status == 200 && c.Form.Get("thread_ts") == root.TS && posted.IsZero():
			posted = c.At
			if !strings.HasPrefix(c.Form.Get("text"), "Checks: ") {
				t.Errorf("the checks message was first posted as %q, want the live form", c.Form.Get("text"))
			}
		case c.Method == "chat.update" && c.Form.Get("ts") == ts:
			edits = append(edits, c)
		}
	}
	if len(edits) == 0 || edits[len(edits)-1].Form.Get("text") != final.Text {
		t.Fatalf("%d edits; the last is not the folded form %q", len(edits), final.Text)
	}
	// Edits start a second apart; allow a little for the network.
	if span := edits[len(edits)-1].At.Sub(posted); len(edits) > 1+int(span/(900*time.Millisecond)) {
		t.Errorf("%d edits within %v of the post: more than one a second", len(edits), span)
	}
}

// TestShowAllChecks: "Show all checks" lists every check only to the person
// who clicked: from the report the replica kept, and from a new run on a
// replica that never saw it; a button value naming anything but a
// diagnosis is refused.
func TestShowAllChecks(t *testing.T) {
	h := start(t)
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	checks := h.finalChecks(h.slack.Thread(channel, root.TS)[0].TS)
	if btns, _ := buttonsIn(t, checks); btns["show-all-checks"] != "pod team-a/"+pod {
		t.Fatalf("Show all checks button value %q", btns["show-all-checks"])
	}

	h.click(onCall, checks, "show-all-checks")
	kept := h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && strings.HasPrefix(m.Text, "All ") }, 0)
	h.checkFullList(kept, onCall, "diagnosed at")

	h.replica(2) // envelopes now go to a replica that never saw the thread
	h.click(grouped, checks, "show-all-checks")
	fresh := h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == grouped && strings.HasPrefix(m.Text, "All ")
	}, 0)
	h.checkFullList(fresh, grouped, "diagnosed again just now")

	env, err := h.slack.Click(fakeslack.Click{User: onCall, Channel: channel, MessageTS: "1.000001", ActionID: "show-all-checks",
		BlockID: "pullcheck-checks", Value: "fix copy-pull-secret team-a/" + pod})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "does not name a diagnosis")
	}, 0)
	if h.secretExists("team-a", "all-icr-io") {
		t.Error("a Show all checks button applied a fix")
	}
	for _, m := range h.slack.Messages(channel) {
		if !m.Ephemeral && m.TS != root.TS && m.ThreadTS != root.TS {
			t.Errorf("Show all checks posted to the channel: %q", m.Text)
		}
	}
	checkAllMessages(t, h)
}

// checkFullList holds an ephemeral full list: to the clicker, every check
// of the catalogue in it, passes included.
func (h *harness) checkFullList(m fakeslack.Message, user, when string) {
	h.t.Helper()
	text := strings.Join(mrkdwnTexts(h.t, string(m.Blocks)), "\n")
	if m.User != user || !strings.Contains(text, when) {
		h.t.Errorf("full list to %s, want %s, saying %q: %s", m.User, user, when, text)
	}
	for _, c := range diagnose.Catalogue {
		if !strings.Contains(text, "`"+string(c.ID())+"`") {
			h.t.Errorf("the full list lacks %s", c.ID())
		}
	}
}

// TestIncidentCompact: an alert is its root, one folded checks message and
// the verdict; its Show all checks answers from the report.
func TestIncidentCompact(t *testing.T) {
	h := start(t)
	pod := scenario(t, "team-a").Build(h.world)
	rep := h.svc.Engine.Diagnose(h.ctx, diagnose.Request{Namespace: "team-a", Pod: pod}, nil)
	box := outbox.New(outbox.Options{Burst: 4})
	defer box.Close()
	th, err := h.bot.NewNotifier(box).Incident(h.ctx, channel, alerts.IncidentAlert{Report: rep, Offers: h.svc.Offers(rep),
		Workload: "deployment team-a/web", Pods: 1})
	if err != nil {
		t.Fatal(err)
	}
	thread := h.slack.Thread(channel, th.TS)
	if len(thread) != 2 {
		t.Fatalf("the alert's thread has %d replies, want the checks and the verdict%s", len(thread), h.dump())
	}
	if !strings.HasPrefix(thread[0].Text, fmt.Sprintf("%d checks:", len(diagnose.Catalogue))) {
		t.Errorf("the alert's checks are not folded: %q", thread[0].Text)
	}
	h.click(visitor, thread[0], "show-all-checks")
	list := h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && strings.HasPrefix(m.Text, "All ") }, 0)
	h.checkFullList(list, visitor, "diagnosed at")
	checkNoForgedMarkup(t, h)
}
