package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// View is a Home tab view the bot published with views.publish.
type View struct {
	User   string
	Blocks json.RawMessage // the view's "blocks", as published
	At     time.Time
}

// maxViewBlocks is the most blocks Slack takes in a Home tab view.
const maxViewBlocks = 100

// publishView stores the view of a views.publish call, refusing what Slack
// refuses: no user, a view that is not a Home tab, more than 100 blocks.
func (s *Server) publishView(f url.Values) map[string]any {
	if f.Get("user_id") == "" {
		return slackError("user_not_found")
	}
	var v struct {
		Type   string            `json:"type"`
		Blocks []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(f.Get("view")), &v); err != nil || v.Type != "home" {
		return slackError("invalid_arguments")
	}
	if len(v.Blocks) > maxViewBlocks {
		return slackError("invalid_blocks")
	}
	blocks, _ := json.Marshal(v.Blocks)
	s.views = append(s.views, View{User: f.Get("user_id"), Blocks: blocks, At: s.opts.Now()})
	n := len(s.views)
	return map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("V%06d", n), "type": "home",
		"blocks": json.RawMessage(blocks), "hash": fmt.Sprintf("%d.%d", n, n)}}
}

// Views returns the views published for user, in order.
func (s *Server) Views(user string) []View {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []View
	for _, v := range s.views {
		if v.User == user {
			out = append(out, v)
		}
	}
	return out
}

// WaitView blocks until the n-th view (from 1) is published for user, and
// returns it.
func (s *Server) WaitView(ctx context.Context, user string, n int) (View, error) {
	var got View
	err := s.wait(ctx, fmt.Sprintf("view %d of %s", n, user), func() bool {
		seen := 0
		for _, v := range s.views {
			if v.User == user {
				if seen++; seen == n {
					got = v
					return true
				}
			}
		}
		return false
	})
	return got, err
}

// HomeOpened sends an "events_api" envelope carrying an app_home_opened
// event: user opened the app's Home tab.
func (s *Server) HomeOpened(user string) (envelopeID string, err error) {
	return s.push("events_api", false, func(n int) any {
		ts := s.nextTS()
		return map[string]any{
			"token": "fake-verification-token", "team_id": TeamID, "api_app_id": AppID,
			"type": "event_callback", "event_id": fmt.Sprintf("Ev%06d", n),
			"event_time": time.Now().Unix(),
			"event": map[string]any{
				"type": "app_home_opened", "user": user, "channel": "D" + user,
				"tab": "home", "event_ts": ts,
			},
		}
	})
}
