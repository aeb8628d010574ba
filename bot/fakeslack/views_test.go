package fakeslack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func homeView(n int) slack.HomeTabViewRequest {
	v := slack.HomeTabViewRequest{Type: slack.VTHomeTab}
	for range n {
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, slack.NewDividerBlock())
	}
	return v
}

// TestPublishView: views.publish records the Home tab of each user and
// refuses what Slack refuses: another token, a view that is not a Home
// tab, more than 100 blocks.
func TestPublishView(t *testing.T) {
	s, api := webClient(t, "xoxb-test")
	resp, err := api.PublishViewContext(context.Background(), slack.PublishViewContextRequest{UserID: "U1", View: homeView(2)})
	if err != nil || resp.View.Type != slack.VTHomeTab || len(resp.View.Blocks.BlockSet) != 2 {
		t.Fatalf("PublishView = %+v, %v", resp, err)
	}
	got := s.Views("U1")
	if len(got) != 1 || string(got[0].Blocks) != `[{"type":"divider"},{"type":"divider"}]` {
		t.Errorf("Views(U1) = %+v", got)
	}
	if v, err := s.WaitView(context.Background(), "U1", 1); err != nil || v.User != "U1" {
		t.Errorf("WaitView = %+v, %v", v, err)
	}
	for _, tc := range []struct {
		name, token string
		view        slack.HomeTabViewRequest
		want        string
	}{
		{"another token", "xoxb-other", homeView(1), "invalid_auth"},
		{"a modal", "xoxb-test", slack.HomeTabViewRequest{Type: slack.VTModal}, "invalid_arguments"},
		{"101 blocks", "xoxb-test", homeView(101), "invalid_blocks"},
	} {
		_, err := slack.New(tc.token, slack.OptionAPIURL(s.APIURL())).PublishViewContext(context.Background(),
			slack.PublishViewContextRequest{UserID: "U1", View: tc.view})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if n := len(s.Views("U1")); n != 1 {
		t.Errorf("refused views were recorded: %d", n)
	}
}

// TestPublishViewPerUser: views.publish is limited per user, as Slack's
// Tier 4 is: one user's burst does not hold back another's.
func TestPublishViewPerUser(t *testing.T) {
	s, api, clk := limitedClient(t)
	publish := func(user string) time.Duration {
		_, err := api.PublishViewContext(context.Background(), slack.PublishViewContextRequest{UserID: user, View: homeView(1)})
		return retryAfter(err)
	}
	for i := range Tier4.Burst {
		if d := publish("U1"); d != 0 {
			t.Fatalf("call %d of the burst waited %s", i+1, d)
		}
	}
	if d := publish("U1"); d != time.Second {
		t.Errorf("a call beyond the burst: Retry-After %s, want 1s", d)
	}
	if d := publish("U2"); d != 0 {
		t.Errorf("another user waited %s", d)
	}
	clk.step(Tier4.Every)
	if d := publish("U1"); d != 0 {
		t.Errorf("after %s: Retry-After %s", Tier4.Every, d)
	}
	if n := s.RateLimitedCalls()["views.publish"]; n != 1 {
		t.Errorf("%d views.publish calls limited, want 1", n)
	}
}

func TestHomeOpened(t *testing.T) {
	s, _, events := start(t)
	if _, err := s.HomeOpened("U1"); err != nil {
		t.Fatal(err)
	}
	e := next(t, events, socketmode.EventTypeEventsAPI)
	ev := e.Data.(slackevents.EventsAPIEvent)
	h, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if ev.Type != slackevents.CallbackEvent || !ok || h.User != "U1" || h.Tab != "home" || h.Channel != "DU1" {
		t.Errorf("event = %+v, inner = %+v", ev, ev.InnerEvent.Data)
	}
}
