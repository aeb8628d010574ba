package fakeslack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
)

// stepClock is a clock a test moves by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// limitedClient is a real slack-go client, without retries, against a fake
// with Slack's limits on a clock the test moves.
func limitedClient(t *testing.T) (*Server, *slack.Client, *stepClock) {
	t.Helper()
	clk := &stepClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := startServer(t, Options{Limits: SlackLimits(), Now: clk.Now})
	return s, slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL())), clk
}

// retryAfter is the wait a rate-limited error asks for; 0 for a call that
// passed, -1 for any other error.
func retryAfter(err error) time.Duration {
	var rl *slack.RateLimitedError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &rl):
		return rl.RetryAfter
	}
	return -1
}

// TestPostMessagePerChannel: four posts pass at once, the fifth in the
// channel is refused for a second while another channel posts freely, and
// the budget comes back at one post a second.
func TestPostMessagePerChannel(t *testing.T) {
	s, api, clk := limitedClient(t)
	post := func(channel string) time.Duration {
		_, _, err := api.PostMessage(channel, slack.MsgOptionText("x", false))
		return retryAfter(err)
	}
	var got []time.Duration
	for range 5 {
		got = append(got, post("C1"))
	}
	got = append(got, post("C2"))
	clk.step(time.Second)
	got = append(got, post("C1"), post("C1"))
	want := []time.Duration{0, 0, 0, 0, time.Second, 0, 0, time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retry-After of each post (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"chat.postMessage": 2}, s.RateLimitedCalls()); diff != "" {
		t.Errorf("RateLimitedCalls (-want +got):\n%s", diff)
	}
	if n := len(s.Messages("C1")); n != 5 {
		t.Errorf("%d messages stored in C1, want 5: a refused post stores nothing", n)
	}
}

// TestTiers: each method runs out after its burst and asks for the wait
// until its tier's next call; chat.update shares one budget across
// channels, views.publish has one per user.
func TestTiers(t *testing.T) {
	tests := []struct {
		method string
		form   func(i int) url.Values
		burst  int
		wait   time.Duration
	}{
		{"chat.update", func(i int) url.Values { return url.Values{"channel": {[]string{"C1", "C2"}[i%2]}, "ts": {"1.2"}} }, 20, 2 * time.Second},
		{"chat.postEphemeral", func(int) url.Values { return url.Values{"channel": {"C1"}, "user": {"U1"}, "text": {"x"}} }, 50, time.Second},
		{"users.info", func(int) url.Values { return url.Values{"user": {"U1"}} }, 50, time.Second},
		{"usergroups.users.list", func(int) url.Values { return url.Values{"usergroup": {"S1"}} }, 10, 3 * time.Second},
		{"views.publish", func(int) url.Values { return url.Values{"user_id": {"U1"}} }, 50, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			s, _, _ := limitedClient(t)
			for i := range tt.burst {
				if status, _ := call(t, s, tt.method, tt.form(i)); status != http.StatusOK {
					t.Fatalf("call %d: HTTP %d within the burst", i+1, status)
				}
			}
			status, after := call(t, s, tt.method, tt.form(tt.burst))
			if status != http.StatusTooManyRequests || after != tt.wait {
				t.Errorf("call past the burst: HTTP %d, Retry-After %v; want 429 after %v", status, after, tt.wait)
			}
			if tt.method == "views.publish" {
				if status, _ := call(t, s, tt.method, url.Values{"user_id": {"U2"}}); status != http.StatusOK {
					t.Errorf("another user's views.publish: HTTP %d", status)
				}
			}
		})
	}
}

// call posts a form to a method with the bot token and returns the HTTP
// status and Retry-After; it checks the body of a 429 is Slack's.
func call(t *testing.T, s *Server, method string, form url.Values) (int, time.Duration) {
	t.Helper()
	form.Set("token", "xoxb-test")
	resp, err := http.PostForm(s.APIURL()+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		return resp.StatusCode, 0
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || !cmp.Equal(body, map[string]any{"ok": false, "error": "ratelimited"}) {
		t.Errorf("429 body = %v, %v", body, err)
	}
	secs, err := time.ParseDuration(resp.Header.Get("Retry-After") + "s")
	if err != nil {
		t.Errorf("Retry-After %q: %v", resp.Header.Get("Retry-After"), err)
	}
	return resp.StatusCode, secs
}

// TestConnectionsOpenTier1: a socket may reconnect a few times at once; then
// apps.connections.open waits a minute, and slack-go is told so.
func TestConnectionsOpenTier1(t *testing.T) {
	s, _, _ := limitedClient(t)
	api := slack.New("xoxb-test", slack.OptionAppLevelToken("xapp-test"), slack.OptionAPIURL(s.APIURL()))
	var got []time.Duration
	for range 4 {
		_, _, err := api.StartSocketModeContext(t.Context())
		got = append(got, retryAfter(err))
	}
	if diff := cmp.Diff([]time.Duration{0, 0, 0, time.Minute}, got); diff != "" {
		t.Errorf("Retry-After of apps.connections.open (-want +got):\n%s", diff)
	}
}

// TestNoLimitsByDefault: without Options.Limits nothing is refused.
func TestNoLimitsByDefault(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	for i := range 30 {
		if _, _, err := api.PostMessage("C1", slack.MsgOptionText("x", false)); err != nil {
			t.Fatalf("post %d: %v", i+1, err)
		}
	}
	if n := len(s.RateLimitedCalls()); n != 0 {
		t.Errorf("RateLimitedCalls = %v, want none", s.RateLimitedCalls())
	}
}
