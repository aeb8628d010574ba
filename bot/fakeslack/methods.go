package fakeslack

import (
	"encoding/json"
	"net/url"
	"slices"
)

// Message is a message the bot posted.
type Message struct {
	Channel, TS string
	// ThreadTS is the thread root's ts for a reply, empty otherwise.
	ThreadTS string
	Text     string
	Blocks   json.RawMessage // as posted in the "blocks" form field; nil if none
	// Updates counts the chat.update calls that changed the message.
	Updates   int
	Ephemeral bool
	User      string // who an ephemeral message was shown to
}

// userGroup is a user group set with SetUserGroup.
type userGroup struct {
	id, handle string
	users      []string
}

// apiMethods answers the Web API methods the fake implements, with s.mu held.
var apiMethods = map[string]func(*Server, url.Values) map[string]any{
	"auth.test":             (*Server).authTest,
	"chat.postMessage":      (*Server).postMessage,
	"chat.update":           (*Server).updateMessage,
	"chat.postEphemeral":    (*Server).postEphemeral,
	"users.info":            (*Server).userInfo,
	"usergroups.list":       (*Server).userGroups,
	"usergroups.users.list": (*Server).userGroupUsers,
	"views.publish":         (*Server).publishView,
}

func (s *Server) authTest(url.Values) map[string]any {
	return map[string]any{"ok": true, "url": "https://fake.slack.com/", "team": "fake", "user": "pullcheck",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID}
}

func (s *Server) postMessage(f url.Values) map[string]any {
	m, errBody := s.newMessage(f)
	if errBody != nil {
		return errBody
	}
	return map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "message": m.wire()}
}

func (s *Server) postEphemeral(f url.Values) map[string]any {
	if f.Get("user") == "" {
		return slackError("user_not_found")
	}
	m, errBody := s.newMessage(f)
	if errBody != nil {
		return errBody
	}
	m.Ephemeral, m.User = true, f.Get("user")
	return map[string]any{"ok": true, "message_ts": m.TS}
}

// newMessage stores the message f posts.
func (s *Server) newMessage(f url.Values) (*Message, map[string]any) {
	if f.Get("channel") == "" {
		return nil, slackError("channel_not_found")
	}
	blocks, ok := formBlocks(f)
	if !ok {
		return nil, slackError("invalid_blocks")
	}
	m := &Message{Channel: f.Get("channel"), TS: s.nextTS(), ThreadTS: f.Get("thread_ts"),
		Text: f.Get("text"), Blocks: blocks}
	s.messages = append(s.messages, m)
	return m, nil
}

// updateMessage replaces the text and blocks the call carries; fields it
// leaves out keep their value, as on Slack.
func (s *Server) updateMessage(f url.Values) map[string]any {
	m := s.find(f.Get("channel"), f.Get("ts"))
	if m == nil {
		return slackError("message_not_found")
	}
	blocks, ok := formBlocks(f)
	if !ok {
		return slackError("invalid_blocks")
	}
	if f.Has("text") {
		m.Text = f.Get("text")
	}
	if f.Has("blocks") {
		m.Blocks = blocks
	}
	m.Updates++
	return map[string]any{"ok": true, "channel": m.Channel, "ts": m.TS, "text": m.Text, "message": m.wire()}
}

func (s *Server) userInfo(f url.Values) map[string]any {
	id := f.Get("user")
	name, ok := s.users[id]
	if !ok {
		return slackError("user_not_found")
	}
	return map[string]any{"ok": true, "user": map[string]any{
		"id": id, "team_id": TeamID, "name": name, "real_name": name, "tz": "Etc/UTC",
		"profile": map[string]any{"real_name": name, "display_name": name},
	}}
}

func (s *Server) userGroups(url.Values) map[string]any {
	groups := []map[string]any{}
	for _, g := range s.groups {
		groups = append(groups, map[string]any{"id": g.id, "team_id": TeamID, "handle": g.handle,
			"name": g.handle, "users": g.users, "user_count": len(g.users)})
	}
	return map[string]any{"ok": true, "usergroups": groups}
}

func (s *Server) userGroupUsers(f url.Values) map[string]any {
	i := slices.IndexFunc(s.groups, func(g userGroup) bool { return g.id == f.Get("usergroup") })
	if i < 0 {
		return slackError("no_such_subteam")
	}
	return map[string]any{"ok": true, "users": s.groups[i].users}
}

// formBlocks returns the "blocks" field; ok is false if it is not JSON.
func formBlocks(f url.Values) (blocks json.RawMessage, ok bool) {
	b := f.Get("blocks")
	if b == "" {
		return nil, true
	}
	return json.RawMessage(b), json.Valid([]byte(b))
}

// find returns the stored non-ephemeral message; s.mu must be held.
func (s *Server) find(channel, ts string) *Message {
	for _, m := range s.messages {
		if m.Channel == channel && m.TS == ts && !m.Ephemeral {
			return m
		}
	}
	return nil
}

// wire is the message as the Web API and payloads show it.
func (m *Message) wire() map[string]any {
	w := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "text": m.Text, "ts": m.TS}
	if m.ThreadTS != "" {
		w["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		w["blocks"] = m.Blocks
	}
	return w
}

// Messages returns the messages posted to channel, ephemeral ones included,
// in post order.
func (s *Server) Messages(channel string) []Message {
	return s.messagesWhere(func(m *Message) bool { return m.Channel == channel })
}

// Thread returns the replies posted in the thread rootTS of channel, in order.
func (s *Server) Thread(channel, rootTS string) []Message {
	return s.messagesWhere(func(m *Message) bool { return m.Channel == channel && rootTS != "" && m.ThreadTS == rootTS })
}

func (s *Server) messagesWhere(keep func(*Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if keep(m) {
			out = append(out, *m)
		}
	}
	return out
}

// SetUser adds or replaces a user users.info knows.
func (s *Server) SetUser(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = name
}

// SetUserGroup adds or replaces a user group and its members.
func (s *Server) SetUserGroup(id, handle string, users ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := userGroup{id: id, handle: handle, users: append([]string{}, users...)}
	if i := slices.IndexFunc(s.groups, func(g userGroup) bool { return g.id == id }); i >= 0 {
		s.groups[i] = g
		return
	}
	s.groups = append(s.groups, g)
}
