package outbox_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/outbox"
)

// A full queue refuses at once, counts the drop, and leaves other channels
// alone.
func TestCapacity(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{Capacity: 2})
		h.post("C1", "a", errNetwork) // stays queued, backing off
		h.post("C1", "b")
		synctest.Wait()

		err := h.b.Post("C1", h.op("C1", "c"))
		if !errors.Is(err, outbox.ErrFull) || !errors.Is(err, outbox.ErrDropped) {
			t.Errorf("Post on a full queue = %v, want ErrFull (an ErrDropped)", err)
		}
		if err := h.b.Send(t.Context(), "C1", h.op("C1", "d")); !errors.Is(err, outbox.ErrFull) {
			t.Errorf("Send on a full queue = %v, want ErrFull", err)
		}
		h.post("C2", "e")
		synctest.Wait()
		if n := h.b.Len("C1"); n != 2 {
			t.Errorf("Len = %d, want 2", n)
		}
		want := []event{drop(0, "C1", "full"), drop(0, "C1", "full")}
		if diff := cmp.Diff(want, h.seen("drop")); diff != "" {
			t.Errorf("drops (-want +got):\n%s", diff)
		}
	})
}

// Slack errors that retrying cannot fix drop the op as "rejected" after one
// call; Send returns the Slack error, the log names it, and the next op runs.
func TestRejected(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		logged  string
		wantErr string
	}{
		{"channel_not_found", slack.SlackErrorResponse{Err: "channel_not_found"}, `"err":"channel_not_found"`, "channel_not_found"},
		{"not_in_channel", slack.SlackErrorResponse{Err: "not_in_channel"}, `"err":"not_in_channel"`, "not_in_channel"},
		{"invalid_blocks", slack.SlackErrorResponse{Err: "invalid_blocks"}, `"err":"invalid_blocks"`, "invalid_blocks"},
		{"HTTP 404", slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, `404 Not Found`, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, outbox.Options{})
				res := h.send(t.Context(), "C1", "a", tt.err)
				synctest.Wait()
				h.post("C1", "b")
				h.advance(secs(2), secs(1))

				err := <-res
				if !errors.Is(err, outbox.ErrDropped) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Send = %v, want ErrDropped with %q", err, tt.wantErr)
				}
				want := []event{
					call(0, "C1", "a"), drop(0, "C1", "rejected"),
					call(secs(1), "C1", "b"), sent(secs(1), "C1"),
				}
				if diff := cmp.Diff(want, h.seen()); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
				if log := h.log.String(); !strings.Contains(log, tt.logged) || !strings.Contains(log, `"reason":"rejected"`) {
					t.Errorf("log lacks %s and the reason:\n%s", tt.logged, log)
				}
			})
		})
	}
}

// Close stops the workers and reports every op it leaves, the one in flight
// included; later ops are refused.
func TestClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		inFlight := func(ctx context.Context) error {
			h.record("call", "C1", "a")
			<-ctx.Done()
			return ctx.Err()
		}
		if err := h.b.Post("C1", inFlight); err != nil {
			t.Fatal(err)
		}
		h.post("C1", "b")
		res := h.send(t.Context(), "C2", "c", errNetwork)
		h.advance(secs(1), secs(1))

		h.b.Close()
		if err := <-res; !errors.Is(err, outbox.ErrDropped) || !strings.Contains(err.Error(), "closed") {
			t.Errorf("Send = %v, want ErrDropped (closed)", err)
		}
		if err := h.b.Post("C1", h.op("C1", "d")); !errors.Is(err, outbox.ErrDropped) {
			t.Errorf("Post after Close = %v, want ErrDropped", err)
		}
		h.b.Close() // a second Close is harmless

		want := []event{
			call(0, "C1", "a"), call(0, "C2", "c"), retry(0, "C2"),
			drop(secs(1), "C1", "closed"), drop(secs(1), "C1", "closed"), drop(secs(1), "C1", "closed"),
			drop(secs(1), "C2", "closed"),
		}
		if diff := cmp.Diff(want, h.seen()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if n := h.b.Len("C1"); n != 0 {
			t.Errorf("Len after Close = %d, want 0", n)
		}
	})
}

// A caller that stops waiting gets its context's error, but the op stays
// queued and is delivered.
func TestSendContextDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		h.post("C1", "a")
		ctx, cancel := context.WithCancel(t.Context())
		res := h.send(ctx, "C1", "b")
		synctest.Wait()
		cancel()
		if err := <-res; !errors.Is(err, context.Canceled) {
			t.Errorf("Send = %v, want context.Canceled", err)
		}
		h.advance(2*time.Second, secs(1))
		want := []event{call(0, "C1", "a"), call(secs(1), "C1", "b")}
		if diff := cmp.Diff(want, h.seen("call")); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
	})
}
