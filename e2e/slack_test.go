//go:build e2e

package e2e

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
)

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// slackSide is the people in Slack: they type commands and click buttons,
// and wait for what pullcheck posts.
type slackSide struct {
	t   *testing.T
	ctx context.Context
	fs  *fakeslack.Server
}

func (s *slackSide) command(channel, text string) {
	s.t.Helper()
	env, err := s.fs.SlashCommand(onCall, channel, text)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.fs.WaitAck(s.ctx, env); err != nil {
		s.t.Fatal(err)
	}
}

func (s *slackSide) wait(channel, what string, match func(fakeslack.Message) bool) fakeslack.Message {
	s.t.Helper()
	var found fakeslack.Message
	defer func() {
		if s.t.Failed() && found.TS == "" {
			for _, m := range s.fs.Messages(channel) {
				s.t.Logf("in %s: ts %s thread %q ephemeral %t updates %d: %.300s", channel, m.TS, m.ThreadTS, m.Ephemeral, m.Updates, m.Text)
			}
		}
	}()
	waitFor(s.t, s.ctx, what, func() bool {
		for _, m := range s.fs.Messages(channel) {
			if match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// click presses a button offering actionID in the thread of root, as
// on-call, and returns the command its value holds.
func (s *slackSide) click(channel, root, actionID string) string {
	s.t.Helper()
	m := s.wait(channel, actionID+" offered", func(m fakeslack.Message) bool { return m.ThreadTS == root && buttonValue(m, actionID) != "" })
	value := buttonValue(m, actionID)
	env, err := s.fs.Click(fakeslack.Click{User: onCall, Channel: channel, MessageTS: m.TS, ActionID: actionID, BlockID: blockID(m), Value: value})
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.fs.WaitAck(s.ctx, env); err != nil {
		s.t.Fatal(err)
	}
	return value
}
