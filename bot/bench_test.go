package bot_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// slowNet adds a delay before every request: a network round trip.
type slowNet struct {
	rt    http.RoundTripper
	delay time.Duration
}

func (s slowNet) RoundTrip(r *http.Request) (*http.Response, error) {
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	return s.rt.RoundTrip(r)
}

// BenchmarkSlashCommand measures, with 50 ms added to every network round
// trip (Slack's Web API, the registry, IAM, the registry API), the time from
// a slash-command envelope to its ack and to the first threaded reply.
func BenchmarkSlashCommand(b *testing.B) {
	const rtt = 50 * time.Millisecond
	h := startWith(b, setup{hc: &http.Client{Transport: slowNet{http.DefaultTransport, rtt}}, world: []sandbox.Option{sandbox.WithLatency(rtt)}})
	pod := scenarioB(b, "analytics").Build(h.world)
	var ack, first time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := len(h.slack.Messages(channel))
		env, err := h.slack.SlashCommand(visitor, channel, "pod analytics/"+pod)
		if err != nil {
			b.Fatal(err)
		}
		a, err := h.slack.WaitAck(h.ctx, env)
		if err != nil {
			b.Fatal(err)
		}
		sent := h.slack.SentAt(env)
		ack += a.At.Sub(sent)
		root := h.waitMessage(func(m fakeslack.Message) bool { return m.ThreadTS == "" && !m.Ephemeral }, before)
		h.waitMessage(func(m fakeslack.Message) bool { return m.ThreadTS == root.TS }, before)
		first += firstReplyAt(h, root.TS).Sub(sent)
		h.waitMessage(func(m fakeslack.Message) bool { return m.TS == root.TS && m.Updates > 0 }, before)
	}
	b.ReportMetric(float64(ack.Microseconds())/1000/float64(b.N), "ms-to-ack")
	b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "ms-to-first-step")
}

// firstReplyAt is when Slack received the thread's first chat.postMessage.
func firstReplyAt(h *harness, root string) time.Time {
	for _, c := range h.slack.Calls() {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.Form.Get("thread_ts") == root {
			return c.At
		}
	}
	return time.Time{}
}

func scenarioB(b *testing.B, name string) sandbox.Scenario {
	b.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		b.Fatalf("no sandbox scenario %q", name)
	}
	return s
}
