package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/bot/outbox"
)

// The real slack-go client against the fake Slack: a 429 on the root holds
// the channel for Retry-After, then the root and its replies arrive in order
// and in the root's thread; a refused channel is dropped as "rejected".
func TestWithSlackClient(t *testing.T) {
	srv, err := fakeslack.Start(fakeslack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.RateLimit("chat.postMessage", 1, 3*time.Second)

	synctest.Test(t, func(t *testing.T) {
		// No keep-alive: an idle connection's reader would never block
		// durably, and synctest.Wait would wait for it forever.
		httpClient := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		api := slack.New("xoxb-test", slack.OptionAPIURL(srv.APIURL()), slack.OptionHTTPClient(httpClient))
		h := newHarness(t, outbox.Options{})
		post := func(channel, text string, opts ...slack.MsgOption) outbox.Op {
			return func(ctx context.Context) error {
				h.record("call", channel, text)
				_, _, err := api.PostMessageContext(ctx, channel, append(opts, slack.MsgOptionText(text, false))...)
				return err
			}
		}

		var root string
		rootOp := func(ctx context.Context) error {
			h.record("call", "C1", "root")
			_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("root", false))
			root = ts
			return err
		}
		res := make(chan error, 1)
		go func() { res <- h.b.Send(t.Context(), "C1", rootOp) }()
		h.advance(secs(5), secs(0.5))
		if err := <-res; err != nil {
			t.Fatalf("Send(root) = %v", err)
		}
		srv.Fail("chat.postMessage", 1, "channel_not_found")
		gone := h.b.Send(t.Context(), "C9", post("C9", "alert"))
		var se slack.SlackErrorResponse
		if !errors.Is(gone, outbox.ErrDropped) || !errors.As(gone, &se) || se.Err != "channel_not_found" {
			t.Errorf("Send to a missing channel = %v, want ErrDropped with channel_not_found", gone)
		}
		for _, text := range []string{"step 1", "step 2", "verdict"} {
			if err := h.b.Post("C1", post("C1", text, slack.MsgOptionTS(root))); err != nil {
				t.Fatal(err)
			}
		}
		h.advance(secs(5), secs(0.5))

		want := []event{
			call(0, "C1", "root"), retry(0, "C1"),
			call(secs(3), "C1", "root"), sent(secs(3), "C1"),
			call(secs(5), "C1", "step 1"), sent(secs(5), "C1"),
			call(secs(5), "C9", "alert"), drop(secs(5), "C9", "rejected"),
			call(secs(6), "C1", "step 2"), sent(secs(6), "C1"),
			call(secs(7), "C1", "verdict"), sent(secs(7), "C1"),
		}
		if diff := cmp.Diff(want, h.seen()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})

	var statuses []int
	for _, c := range srv.Calls() {
		statuses = append(statuses, c.Status)
	}
	if diff := cmp.Diff([]int{429, 200, 200, 200, 200, 200}, statuses); diff != "" {
		t.Errorf("HTTP statuses of the calls (-want +got):\n%s", diff)
	}
	var got [][2]string
	msgs := srv.Messages("C1")
	for _, m := range msgs {
		got = append(got, [2]string{m.Text, m.ThreadTS})
	}
	root := ""
	if len(msgs) > 0 {
		root = msgs[0].TS
	}
	want := [][2]string{{"root", ""}, {"step 1", root}, {"step 2", root}, {"verdict", root}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages in C1 (text, thread) (-want +got):\n%s", diff)
	}
}

// TestHonoursSlackLimits: an outbox paced faster than Slack allows meets
// the fake's real limits (four posts, then one a second per channel).
// slack-go reports each 429 as a *slack.RateLimitedError with Slack's
// Retry-After, the outbox waits that long before the same post again, and
// every post arrives, in order. It runs in real time, about two seconds.
func TestHonoursSlackLimits(t *testing.T) {
	srv, err := fakeslack.Start(fakeslack.Options{Limits: fakeslack.SlackLimits()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.APIURL()))
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	box := outbox.New(outbox.Options{Interval: time.Millisecond, Burst: 10, OnRetry: func(_ string, err error) {
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			mu.Lock()
			waits = append(waits, rl.RetryAfter)
			mu.Unlock()
		}
	}})
	t.Cleanup(box.Close)
	post := func(text string) outbox.Op {
		return func(ctx context.Context) error {
			_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText(text, false))
			return err
		}
	}
	var want []string
	for i := range 6 {
		want = append(want, fmt.Sprint("post ", i))
		if i < 5 {
			if err := box.Post("C1", post(want[i])); err != nil {
				t.Fatal(err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := box.Send(ctx, "C1", post(want[5])); err != nil {
		t.Fatalf("Send: %v", err)
	}

	var got []string
	for _, m := range srv.Messages("C1") {
		got = append(got, m.Text)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	limited := srv.RateLimitedCalls()["chat.postMessage"]
	if limited == 0 || len(waits) != limited {
		t.Errorf("%d posts refused, %d rate-limit errors seen by the outbox: want as many, at least one", limited, len(waits))
	}
	for _, w := range waits {
		if w != time.Second {
			t.Errorf("RetryAfter = %v, want Slack's 1s", w)
		}
	}
	calls := srv.Calls()
	for i, c := range calls[:len(calls)-1] {
		if c.Status == http.StatusTooManyRequests && calls[i+1].At.Sub(c.At) < time.Second {
			t.Errorf("call %d came %v after a 429 that asked for 1s", i+2, calls[i+1].At.Sub(c.At))
		}
	}
}
