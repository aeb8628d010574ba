package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose"
)

// TestUsageAndHelp: bad input gets an ephemeral usage message and changes
// nothing; help and mentions take the same path.
func TestUsageAndHelp(t *testing.T) {
	h := start(t)
	for _, tc := range []struct{ text, want string }{
		{"frobnicate", "unknown command"},
		{"pod Shop/web", "not a valid namespace name"},
		{"fix rm-rf shop/web", "is not a fix"},
		{"help", "deployment"},
		{"", "deployment"},
	} {
		env, err := h.slack.SlashCommand(visitor, channel, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
			t.Fatal(err)
		}
		h.waitMessage(func(m fakeslack.Message) bool {
			return m.Ephemeral && m.User == visitor && strings.Contains(m.Text+string(m.Blocks), tc.want)
		}, 0)
	}
	for _, m := range h.slack.Messages(channel) {
		if !m.Ephemeral {
			t.Errorf("bad input posted to the channel: %s", m.Text)
		}
	}
	s := scenario(t, "shop")
	pod := s.Build(h.world)
	if _, err := h.slack.Mention(visitor, channel, "<@"+fakeslack.BotUserID+"> pod shop/"+pod); err != nil {
		t.Fatal(err)
	}
	root := h.waitMessage(func(m fakeslack.Message) bool { return !m.Ephemeral && m.ThreadTS == "" && m.Updates > 0 }, 0)
	if !strings.Contains(root.Text, string(diagnose.ImageTagNotFound)) {
		t.Errorf("mention diagnosis root: %q", root.Text)
	}
	checkAllMessages(t, h)
}

// TestRateLimitedAndReconnected: a 429 waits Retry-After and retries, so no
// step is lost; after Slack's "disconnect" the bot reconnects and serves.
func TestRateLimitedAndReconnected(t *testing.T) {
	h := start(t)
	s := scenario(t, "shop")
	pod := s.Build(h.world)
	h.slack.RateLimit("chat.postMessage", 1, time.Second)
	root := h.command(visitor, "pod shop/"+pod)
	thread := h.slack.Thread(channel, root.TS)
	if n := len(thread); n != 2 {
		t.Fatalf("thread has %d replies after a 429, want the checks and the verdict%s", n, h.dump())
	}
	h.finalChecks(thread[0].TS)
	limited := 0
	for _, c := range h.slack.Calls() {
		if c.Status == 429 {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d rate-limited calls, want 1", limited)
	}

	if err := h.slack.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if err := h.slack.WaitConnected(h.ctx, 2); err != nil {
		t.Fatal(err)
	}
	again := h.command(visitor, "pod shop/"+pod)
	if again.TS == root.TS || !strings.Contains(again.Text, string(diagnose.ImageTagNotFound)) {
		t.Errorf("after reconnect: %+v", again)
	}
}

// TestGroupsQuotaPreflightReadOnly covers the other verbs.
func TestGroupsQuotaPreflight(t *testing.T) {
	h := startWith(t, setup{unlimited: true})
	for _, name := range []string{"shop", "team-a"} {
		scenario(t, name).Build(h.world)
	}
	dep := h.command(visitor, "deployment shop/web")
	if !strings.Contains(dep.Text, "image-tag-not-found ×1") {
		t.Errorf("deployment root: %q", dep.Text)
	}
	ns := h.command(visitor, "namespace team-a")
	thread := h.slack.Thread(channel, ns.TS)
	if len(thread) == 0 || !strings.Contains(thread[0].Text, "no all-icr-io copy") {
		t.Errorf("namespace setup line missing: %s", h.dump())
	}
	img := h.command(visitor, "image us.icr.io/shop/web:9.9 in shop")
	if !strings.Contains(img.Text, string(diagnose.ImageTagNotFound)) {
		t.Errorf("preflight root: %q", img.Text)
	}
	env, err := h.slack.SlashCommand(visitor, channel, "quota us-south")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "us-south: storage 130.0 MiB of 512.0 MiB")
	}, 0)
	checkAllMessages(t, h)
}

// TestReadOnly offers no buttons and refuses typed fixes.
func TestReadOnly(t *testing.T) {
	h := start(t)
	h.svc.ReadOnly = true
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(onCall, "pod team-a/"+pod)
	for _, m := range h.slack.Thread(channel, root.TS) {
		if b, _ := buttonsIn(t, m); len(b) > 1 || (len(b) == 1 && b["fix-rerun"] == "") {
			t.Errorf("read-only mode offered fix buttons: %v", b)
		}
	}
	env, _ := h.slack.SlashCommand(onCall, channel, "fix copy-pull-secret team-a/"+pod)
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && strings.Contains(m.Text, "read-only") }, 0)
	if h.secretExists("team-a", "all-icr-io") {
		t.Error("read-only mode applied a fix")
	}
}
