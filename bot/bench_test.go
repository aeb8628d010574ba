package bot_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
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
// trip (Slack's Web API, the registry, IAM, the registry API) and Slack's
// rate limits enforced by the fake (chat.postMessage: 4 at once, then 1 per
// second per channel; chat.update Tier 3), what people in the channel see
// of "/pullcheck pod …": the time from the envelope to its ack, to the
// first check shown in the thread and to the verdict, how many messages
// the thread holds, and how many calls Slack refused with 429. The
// sub-benchmarks send 1, 2 and 10 commands at once in one channel and
// report the time to the last verdict. Each iteration uses a fresh
// channel, so that one iteration's posts do not slow the next.
func BenchmarkSlashCommand(b *testing.B) {
	for _, n := range []int{1, 2, 10} {
		b.Run(fmt.Sprintf("at-once=%d", n), func(b *testing.B) { benchAtOnce(b, n) })
	}
}

func benchAtOnce(b *testing.B, n int) {
	const rtt = 50 * time.Millisecond
	h := startWith(b, setup{hc: &http.Client{Transport: slowNet{http.DefaultTransport, rtt}},
		limits: fakeslack.SlackLimits(), timeout: 15 * time.Minute}, sandbox.WithLatency(rtt))
	pod := scenarioB(b, "analytics").Build(h.world)
	var sum diagnosis
	var last time.Duration
	limited := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := count429(h.slack)
		ds := h.atOnce(fmt.Sprintf("C0BENCH%04d", i), n, "pod analytics/"+pod)
		limited += count429(h.slack) - before
		for _, d := range ds {
			sum.ack += d.ack
			sum.firstStep += d.firstStep
			sum.verdict += d.verdict
			sum.messages += d.messages
			last = max(last, d.verdict)
		}
		if i < b.N-1 {
			last = 0 // report the last iteration's
		}
	}
	runs := float64(b.N * n)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / runs }
	b.ReportMetric(ms(sum.ack), "ms-to-ack")
	b.ReportMetric(ms(sum.firstStep), "ms-to-first-step")
	b.ReportMetric(ms(sum.verdict), "ms-to-verdict")
	if n > 1 {
		b.ReportMetric(float64(last.Microseconds())/1000, "ms-to-last-verdict")
	}
	b.ReportMetric(float64(sum.messages)/runs, "msgs/thread")
	b.ReportMetric(float64(limited)/float64(b.N), "429s/op")
}

// diagnosis is what one slash command cost, as the fake Slack saw it: the
// times are from the command's envelope.
type diagnosis struct {
	ack, firstStep, verdict time.Duration
	messages                int // bot messages in the thread, root included
}

// atOnce sends n identical slash commands to ch back to back, waits until
// every diagnosis is finished (its root updated) and reads the timings of
// each from the fake's call log.
func (h *harness) atOnce(ch string, n int, text string) []diagnosis {
	h.t.Helper()
	var envs []string
	for range n {
		env, err := h.slack.SlashCommand(visitor, ch, text)
		if err != nil {
			h.t.Fatal(err)
		}
		envs = append(envs, env)
	}
	sent := h.slack.SentAt(envs[0])
	out := make([]diagnosis, n)
	for i, env := range envs {
		a, err := h.slack.WaitAck(h.ctx, env)
		if err != nil {
			h.t.Fatal(err)
		}
		out[i].ack = a.At.Sub(h.slack.SentAt(env))
	}
	roots := h.finishedRoots(ch, n)
	calls := h.slack.Calls()
	msgs := h.slack.Messages(ch)
	for i, root := range roots {
		out[i].firstStep = firstPost(calls, root, func(fakeslack.Call) bool { return true }).Sub(sent)
		out[i].verdict = firstPost(calls, root, func(c fakeslack.Call) bool {
			return strings.Contains(c.Form.Get("blocks"), `"block_id":"fixes/`)
		}).Sub(sent)
		for _, m := range msgs {
			if !m.Ephemeral && (m.TS == root || m.ThreadTS == root) {
				out[i].messages++
			}
		}
	}
	return out
}

// finishedRoots waits until ch holds n thread roots whose diagnosis is
// finished (the root was updated to the verdict) and returns their ts.
func (h *harness) finishedRoots(ch string, n int) []string {
	h.t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		var roots []string
		for _, m := range h.slack.Messages(ch) {
			if !m.Ephemeral && m.ThreadTS == "" && m.Updates > 0 {
				roots = append(roots, m.TS)
			}
		}
		if len(roots) >= n {
			return roots
		}
		select {
		case <-tick.C:
		case <-h.ctx.Done():
			h.t.Fatalf("waiting for %d finished diagnoses in %s: %v (%d so far)", n, ch, h.ctx.Err(), len(roots))
		}
	}
}

// firstPost is when Slack accepted the first chat.postMessage in the
// thread root that match accepts.
func firstPost(calls []fakeslack.Call, root string, match func(fakeslack.Call) bool) time.Time {
	i := slices.IndexFunc(calls, func(c fakeslack.Call) bool {
		return c.Method == "chat.postMessage" && c.Status == http.StatusOK && c.Form.Get("thread_ts") == root && match(c)
	})
	if i < 0 {
		return time.Time{}
	}
	return calls[i].At
}

// count429 counts the calls the fake refused with 429 so far.
func count429(s *fakeslack.Server) int {
	n := 0
	for _, c := range s.RateLimitedCalls() {
		n += c
	}
	return n
}

func scenarioB(b *testing.B, name string) sandbox.Scenario {
	b.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		b.Fatalf("no sandbox scenario %q", name)
	}
	return s
}
