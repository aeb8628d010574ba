package fakeslack

import (
	"encoding/json"
	"fmt"
	"time"
)

// Command is the slash command SlashCommand sends.
const Command = "/pullcheck"

// Click is a press of a button on a message.
type Click struct {
	User, Channel string
	// MessageTS is the message carrying the button; if the fake stored it,
	// its text and blocks travel with the payload as Slack's do.
	MessageTS         string
	ActionID, BlockID string
	Value             string
}

// SlashCommand sends a "slash_commands" envelope for "/pullcheck text"
// typed by user in channel. Its response_url points back at the fake.
func (s *Server) SlashCommand(user, channel, text string) (envelopeID string, err error) {
	return s.push("slash_commands", true, func(n int) any {
		return map[string]any{
			"token": "fake-verification-token", "team_id": TeamID, "team_domain": "fake",
			"channel_id": channel, "channel_name": channel,
			"user_id": user, "user_name": s.userName(user),
			"command": Command, "text": text, "api_app_id": AppID,
			"response_url": s.responseURL(n), "trigger_id": fmt.Sprintf("trigger-%d", n),
		}
	})
}

// Click sends an "interactive" envelope with a block_actions payload for a
// press of a button.
func (s *Server) Click(c Click) (envelopeID string, err error) {
	return s.push("interactive", false, func(n int) any {
		message := map[string]any{"type": "message", "ts": c.MessageTS}
		if m := s.find(c.Channel, c.MessageTS); m != nil {
			message = m.wire()
		}
		return map[string]any{
			"type": "block_actions", "api_app_id": AppID, "token": "fake-verification-token",
			"user":    map[string]any{"id": c.User, "name": s.userName(c.User), "team_id": TeamID},
			"channel": map[string]any{"id": c.Channel, "name": c.Channel},
			"team":    map[string]any{"id": TeamID, "domain": "fake"},
			"container": map[string]any{
				"type": "message", "message_ts": c.MessageTS, "channel_id": c.Channel, "is_ephemeral": false,
			},
			"message":      message,
			"response_url": s.responseURL(n),
			"trigger_id":   fmt.Sprintf("trigger-%d", n),
			"actions": []map[string]any{{
				"action_id": c.ActionID, "block_id": c.BlockID, "value": c.Value,
				"type": "button", "action_ts": s.nextTS(),
			}},
		}
	})
}

// Mention sends an "events_api" envelope carrying an app_mention event with
// a unique event_id; text should contain "<@UBOT>" as Slack's would.
func (s *Server) Mention(user, channel, text string) (envelopeID string, err error) {
	return s.push("events_api", false, func(n int) any {
		ts := s.nextTS()
		return map[string]any{
			"token": "fake-verification-token", "team_id": TeamID, "api_app_id": AppID,
			"type": "event_callback", "event_id": fmt.Sprintf("Ev%06d", n),
			"event_time": time.Now().Unix(),
			"event": map[string]any{
				"type": "app_mention", "user": user, "text": text,
				"ts": ts, "channel": channel, "event_ts": ts,
			},
		}
	})
}

// userName is the name SetUser gave id, or id itself; s.mu must be held.
func (s *Server) userName(id string) string {
	if name, ok := s.users[id]; ok {
		return name
	}
	return id
}

// push sends an envelope of typ to the current socket. payload builds the
// payload for envelope number n and runs with s.mu held.
func (s *Server) push(typ string, acceptsPayload bool, payload func(n int) any) (string, error) {
	s.mu.Lock()
	c := s.current
	if c == nil {
		s.mu.Unlock()
		return "", errNoConnection
	}
	n := s.nextSeq()
	id := fmt.Sprintf("env-%d", n)
	env := map[string]any{
		"envelope_id": id, "type": typ, "accepts_response_payload": acceptsPayload,
		"payload": payload(n),
	}
	if typ == "events_api" {
		env["retry_attempt"], env["retry_reason"] = 0, ""
	}
	data, err := json.Marshal(env)
	if err != nil {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: encoding %s envelope: %w", typ, err)
	}
	s.sent[id] = time.Now()
	s.mu.Unlock()
	if err := c.write(data); err != nil {
		return "", fmt.Errorf("fakeslack: sending %s envelope: %w", typ, err)
	}
	return id, nil
}
