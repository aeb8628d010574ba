package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/commands"
)

// TestServeReadOnlyPostsNoFixButtons runs serve read-only against the
// sandbox with alerts and both sweeps on, a broken rollout and a typed
// diagnosis: no message it posts or updates carries a fix button. Buttons
// that only read (run the diagnosis again) may stay.
func TestServeReadOnlyPostsNoFixButtons(t *testing.T) {
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-test", BotToken: "xoxb-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	for k, v := range map[string]string{"SLACK_APP_TOKEN": "xapp-test", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": fs.APIURL(),
		"PULLCHECK_READ_ONLY": "true", "PULLCHECK_ONCALL_USERS": "U0ONCALL", "PULLCHECK_HTTP_ADDR": "127.0.0.1:0",
		"PULLCHECK_ALERT_CHANNEL": "C0ALERTS", "PULLCHECK_ALERT_GRACE": "0s", "PULLCHECK_ALERT_HOLD": "1s",
		"PULLCHECK_QUOTA_SCHEDULE": "@every 1s", "PULLCHECK_HYGIENE_SCHEDULE": "@every 1s"} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--sandbox", "--sandbox-break", "1s"}, &bytes.Buffer{}, &stderr)
	}()
	if err := fs.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("serve did not connect: %v\n%s", err, stderr.String())
	}
	env, err := fs.SlashCommand("U0ONCALL", "C1", "namespace team-a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(ctx, env); err != nil {
		t.Fatal(err)
	}
	waits := map[string]func(fakeslack.Call) bool{
		"an alert verdict": func(c fakeslack.Call) bool {
			return c.Form.Get("channel") == "C0ALERTS" && c.Form.Get("thread_ts") != "" && strings.Contains(c.Form.Get("text"), "Root cause")
		},
		"a hygiene sweep finding": func(c fakeslack.Call) bool {
			return c.Form.Get("channel") == "C0ALERTS" && strings.Contains(c.Form.Get("text"), "pull-secret problem")
		},
		"the namespace's verdict": func(c fakeslack.Call) bool {
			return c.Form.Get("channel") == "C1" && strings.Contains(c.Form.Get("text"), "Root cause")
		},
	}
	for what, match := range waits {
		if _, err := fs.WaitCall(ctx, match); err != nil {
			t.Fatalf("no %s: %v\n%s", what, err, stderr.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	posts := 0
	for _, c := range fs.Calls() {
		if !strings.HasPrefix(c.Method, "chat.") {
			continue
		}
		posts++
		for _, v := range buttonValues(t, c.Form.Get("blocks")) {
			if cmd, err := commands.Parse(v); err != nil || cmd.Verb == commands.Fix {
				t.Errorf("%s to %s carries a fix button %q (read-only): %s", c.Method, c.Form.Get("channel"), v, c.Form.Get("text"))
			}
		}
	}
	if posts == 0 {
		t.Fatal("nothing was posted")
	}
}

// buttonValues returns the value of every button in a blocks form field.
func buttonValues(t *testing.T, raw string) []string {
	t.Helper()
	if raw == "" {
		return nil
	}
	var bl slack.Blocks
	if err := json.Unmarshal([]byte(raw), &bl); err != nil {
		t.Fatalf("blocks %s: %v", raw, err)
	}
	var out []string
	for _, b := range bl.BlockSet {
		switch b := b.(type) {
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					out = append(out, btn.Value)
				}
			}
		case *slack.SectionBlock:
			if b.Accessory != nil && b.Accessory.ButtonElement != nil {
				out = append(out, b.Accessory.ButtonElement.Value)
			}
		}
	}
	return out
}
