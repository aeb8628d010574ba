package outbox_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	clocktesting "k8s.io/utils/clock/testing"

	"github.com/pullcheck/pullcheck/bot/outbox"
)

// The tests run in a synctest bubble: synctest.Wait returns once every
// goroutine of the outbox is blocked, so a test can step the fake clock
// exactly when the workers wait on it. No test sleeps or waits in real time.

// t0 is when every test starts on the fake clock.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// errNetwork is what an op returns while Slack is unreachable.
var errNetwork = &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}

// event is one thing the harness saw, At fake time after t0.
type event struct {
	At      time.Duration
	Kind    string // "call", "sent", "drop" or "retry"
	Channel string
	What    string // the op's name for a call, the reason for a drop
}

// harness is an Outbox on a fake clock whose hooks and ops record events.
type harness struct {
	t   *testing.T
	fc  *clocktesting.FakeClock
	b   *outbox.Outbox
	log bytes.Buffer // JSON log lines; written by the outbox only

	mu     sync.Mutex
	events []event
}

// newHarness must be called inside the test's bubble; it closes the outbox
// when the test ends.
func newHarness(t *testing.T, o outbox.Options) *harness {
	h := &harness{t: t, fc: clocktesting.NewFakeClock(t0)}
	o.Clock = h.fc
	o.Logger = slog.New(slog.NewJSONHandler(&h.log, nil))
	o.OnSent = func(ch string) { h.record("sent", ch, "") }
	o.OnDrop = func(ch, reason string) { h.record("drop", ch, reason) }
	o.OnRetry = func(ch string, err error) { h.record("retry", ch, "") }
	h.b = outbox.New(o)
	t.Cleanup(h.b.Close)
	return h
}

func (h *harness) record(kind, channel, what string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, event{At: h.fc.Since(t0), Kind: kind, Channel: channel, What: what})
}

// op returns an op named name that fails with errs, one per call, and then
// succeeds.
func (h *harness) op(channel, name string, errs ...error) outbox.Op {
	return func(context.Context) error {
		h.record("call", channel, name)
		if len(errs) == 0 {
			return nil
		}
		err := errs[0]
		errs = errs[1:]
		return err
	}
}

// post queues an op and fails the test if the outbox refuses it.
func (h *harness) post(channel, name string, errs ...error) {
	h.t.Helper()
	if err := h.b.Post(channel, h.op(channel, name, errs...)); err != nil {
		h.t.Fatalf("Post(%s, %s): %v", channel, name, err)
	}
}

// advance moves the fake clock forward by d in steps of step, letting the
// workers run after each step.
func (h *harness) advance(d, step time.Duration) {
	for end := h.fc.Now().Add(d); h.fc.Now().Before(end); {
		synctest.Wait()
		h.fc.Step(min(step, end.Sub(h.fc.Now())))
	}
	synctest.Wait()
}

// seen returns the events so far of the given kinds (all if none), ordered
// by time and then channel; events of one channel keep their order.
func (h *harness) seen(kinds ...string) []event {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []event
	for _, e := range h.events {
		if len(kinds) == 0 || slices.Contains(kinds, e.Kind) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b event) int {
		return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Channel, b.Channel))
	})
	return out
}

// send runs Send on its own goroutine; read the result from the channel.
func (h *harness) send(ctx context.Context, channel, name string, errs ...error) <-chan error {
	res := make(chan error, 1)
	go func() { res <- h.b.Send(ctx, channel, h.op(channel, name, errs...)) }()
	return res
}

// Builders of expected events.
func call(at time.Duration, ch, name string) event { return event{at, "call", ch, name} }
func sent(at time.Duration, ch string) event       { return event{at, "sent", ch, ""} }
func retry(at time.Duration, ch string) event      { return event{at, "retry", ch, ""} }
func drop(at time.Duration, ch, reason string) event {
	return event{at, "drop", ch, reason}
}

func secs(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }
