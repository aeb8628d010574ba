package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/outbox"
)

// A 429 holds the channel for Retry-After, then the same op is tried again;
// it does not grow the backoff and nothing is lost.
func TestRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		limited := &slack.RateLimitedError{RetryAfter: 30 * time.Second}
		h.post("C1", "a", limited, limited)
		h.post("C1", "b")
		h.advance(secs(90), secs(0.5))

		want := []event{
			call(0, "C1", "a"), retry(0, "C1"),
			call(secs(30), "C1", "a"), retry(secs(30), "C1"),
			call(secs(60), "C1", "a"), sent(secs(60), "C1"),
			call(secs(61), "C1", "b"), sent(secs(61), "C1"),
		}
		if diff := cmp.Diff(want, h.seen()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

// While Slack is unreachable the head op is retried with a doubling backoff
// capped at a minute; after recovery everything arrives, in order.
func TestOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		down := t0.Add(5 * time.Minute)
		flaky := func(name string) outbox.Op {
			return func(context.Context) error {
				h.record("call", "C1", name)
				if h.fc.Now().Before(down) {
					return &url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: errNetwork}
				}
				return nil
			}
		}
		for _, name := range []string{"a", "b", "c"} {
			if err := h.b.Post("C1", flaky(name)); err != nil {
				t.Fatal(err)
			}
		}
		h.advance(6*time.Minute, secs(1))

		var want []event
		for _, at := range []float64{0, 2, 6, 14, 30, 62, 122, 182, 242, 302} {
			want = append(want, call(secs(at), "C1", "a"))
		}
		want = append(want, call(secs(303), "C1", "b"), call(secs(304), "C1", "c"))
		if diff := cmp.Diff(want, h.seen("call")); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
		if got := len(h.seen("sent")); got != 3 {
			t.Errorf("%d ops sent, want 3", got)
		}
	})
}

// Every kind of outage error is retried, including Slack's own ok:false
// errors that report trouble on its side.
func TestTransientErrorsRetried(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"network", errNetwork},
		{"HTTP 503", slack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"}},
		{"HTTP 429 without Retry-After", slack.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}},
		{"ok:false internal_error", slack.SlackErrorResponse{Err: "internal_error"}},
		{"ok:false service_unavailable", slack.SlackErrorResponse{Err: "service_unavailable"}},
		{"wrapped", fmt.Errorf("posting the root message: %w", slack.StatusCodeError{Code: 502})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, outbox.Options{})
				res := h.send(t.Context(), "C1", "a", tt.err)
				h.advance(secs(3), secs(1))
				if err := <-res; err != nil {
					t.Errorf("Send = %v, want nil", err)
				}
				want := []event{call(0, "C1", "a"), retry(0, "C1"), call(secs(2), "C1", "a"), sent(secs(2), "C1")}
				if diff := cmp.Diff(want, h.seen()); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// An op not delivered within the TTL is dropped as "expired", and so is an
// op queued behind it; Send says so and keeps the last error.
func TestExpired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{TTL: 10 * time.Second})
		down := slack.StatusCodeError{Code: 503, Status: "503 Service Unavailable"}
		res := h.send(t.Context(), "C1", "a", down, down, down, down)
		synctest.Wait()
		h.post("C1", "b")
		h.advance(secs(20), secs(0.5))

		err := <-res
		var sc slack.StatusCodeError
		if !errors.Is(err, outbox.ErrDropped) || !errors.As(err, &sc) || sc.Code != 503 {
			t.Errorf("Send = %v, want ErrDropped wrapping the 503", err)
		}
		want := []event{
			call(0, "C1", "a"), retry(0, "C1"),
			call(secs(2), "C1", "a"), retry(secs(2), "C1"),
			call(secs(6), "C1", "a"), retry(secs(6), "C1"),
			drop(secs(10), "C1", "expired"), drop(secs(10), "C1", "expired"),
		}
		if diff := cmp.Diff(want, h.seen()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

// A Retry-After longer than the TTL left ends in "expired" at the TTL.
func TestExpiredWhileRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{TTL: time.Minute})
		res := h.send(t.Context(), "C1", "a", &slack.RateLimitedError{RetryAfter: time.Hour})
		h.advance(2*time.Minute, secs(1))
		if err := <-res; !errors.Is(err, outbox.ErrDropped) {
			t.Errorf("Send = %v, want ErrDropped", err)
		}
		want := []event{call(0, "C1", "a"), retry(0, "C1"), drop(time.Minute, "C1", "expired")}
		if diff := cmp.Diff(want, h.seen()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}
