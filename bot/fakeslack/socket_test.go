package fakeslack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// start runs a fake and a real socket-mode client connected to it; events
// carries everything the client emits.
func start(t *testing.T, opts ...socketmode.Option) (*Server, *socketmode.Client, <-chan socketmode.Event) {
	t.Helper()
	s := startServer(t, Options{})
	sm, events, _ := runClient(t, s, "xapp-test", opts...)
	if err := s.WaitConnected(ctxT(t), 1); err != nil {
		t.Fatal(err)
	}
	return s, sm, events
}

func startServer(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// runClient runs socketmode.Client.RunContext until the test ends; its
// result arrives on the returned channel.
func runClient(t *testing.T, s *Server, appToken string, opts ...socketmode.Option) (*socketmode.Client, <-chan socketmode.Event, <-chan error) {
	api := slack.New("xoxb-test", slack.OptionAppLevelToken(appToken), slack.OptionAPIURL(s.APIURL()))
	sm := socketmode.New(api, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	events, done, finished := make(chan socketmode.Event, 256), make(chan error, 1), make(chan struct{})
	go func() { // drain until RunContext returns, so it never blocks on Events
		for {
			select {
			case e := <-sm.Events:
				select {
				case events <- e:
				default: // the test stopped looking
				}
			case <-finished:
				return
			}
		}
	}()
	go func() {
		done <- sm.RunContext(ctx)
		close(finished)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
			t.Error("RunContext did not return after cancel")
		}
	})
	return sm, events, done
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// next returns the next event of type typ, skipping others.
func next(t *testing.T, events <-chan socketmode.Event, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	ctx := ctxT(t)
	for {
		select {
		case e := <-events:
			if e.Type == typ {
				return e
			}
		case <-ctx.Done():
			t.Fatalf("no %s event", typ)
		}
	}
}

func TestSlashCommandAckAndResponseURL(t *testing.T) {
	s, sm, events := start(t)
	id, err := s.SlashCommand("U1", "C1", "shop/web-1")
	if err != nil {
		t.Fatal(err)
	}
	e := next(t, events, socketmode.EventTypeSlashCommand)
	cmd := e.Data.(slack.SlashCommand)
	if cmd.Command != Command || cmd.Text != "shop/web-1" || cmd.UserID != "U1" || cmd.ChannelID != "C1" ||
		cmd.TeamID != TeamID || cmd.TriggerID == "" || !strings.HasPrefix(cmd.ResponseURL, s.base+"/response/") {
		t.Errorf("slash command = %+v", cmd)
	}
	if e.Request.EnvelopeID != id || !e.Request.AcceptsResponsePayload || s.SentAt(id).IsZero() {
		t.Errorf("request = %+v, sent at %v", e.Request, s.SentAt(id))
	}
	sm.Ack(*e.Request, map[string]any{"response_type": "ephemeral", "text": "checking shop/web-1"})
	ack, err := s.WaitAck(ctxT(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(ack.Payload), `{"response_type":"ephemeral","text":"checking shop/web-1"}`; got != want {
		t.Errorf("ack payload = %s, want %s", got, want)
	}

	_, _, err = sm.PostMessage("", slack.MsgOptionText("done", false),
		slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeInChannel), slack.MsgOptionReplaceOriginal(cmd.ResponseURL))
	if err != nil {
		t.Fatal(err)
	}
	posts := s.ResponseURLPosts()
	var body struct {
		Text            string `json:"text"`
		ReplaceOriginal bool   `json:"replace_original"`
	}
	if len(posts) != 1 || posts[0].URL != cmd.ResponseURL || json.Unmarshal(posts[0].Body, &body) != nil ||
		body.Text != "done" || !body.ReplaceOriginal {
		t.Errorf("response_url posts = %+v", posts)
	}
}

func TestClick(t *testing.T) {
	s, sm, events := start(t)
	blocks := slack.MsgOptionBlocks(slack.NewActionBlock("actions",
		slack.NewButtonBlockElement("apply_fix", "shop/web-1", slack.NewTextBlockObject(slack.PlainTextType, "Apply", false, false))))
	_, ts, err := sm.PostMessage("C1", slack.MsgOptionText("diagnosis", false), blocks)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Click(Click{User: "U1", Channel: "C1", MessageTS: ts, ActionID: "apply_fix", BlockID: "actions", Value: "shop/web-1"})
	if err != nil {
		t.Fatal(err)
	}
	e := next(t, events, socketmode.EventTypeInteractive)
	cb := e.Data.(slack.InteractionCallback)
	acts := cb.ActionCallback.BlockActions
	if cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != "U1" || cb.Channel.ID != "C1" ||
		cb.Container.MessageTs != ts || cb.Message.Timestamp != ts || cb.Message.Text != "diagnosis" ||
		len(cb.Message.Blocks.BlockSet) != 1 || cb.ResponseURL == "" ||
		len(acts) != 1 || acts[0].ActionID != "apply_fix" || acts[0].BlockID != "actions" || acts[0].Value != "shop/web-1" {
		t.Errorf("callback = %+v", cb)
	}
	sm.Ack(*e.Request)
	if ack, err := s.WaitAck(ctxT(t), id); err != nil || ack.Payload != nil {
		t.Errorf("ack = %+v, %v", ack, err)
	}
}

func TestMention(t *testing.T) {
	s, _, events := start(t)
	if _, err := s.Mention("U1", "C1", "<@UBOT> check shop/web-1"); err != nil {
		t.Fatal(err)
	}
	e := next(t, events, socketmode.EventTypeEventsAPI)
	ev := e.Data.(slackevents.EventsAPIEvent)
	m, ok := ev.InnerEvent.Data.(*slackevents.AppMentionEvent)
	if ev.Type != slackevents.CallbackEvent || !ok || m.User != "U1" || m.Channel != "C1" ||
		m.Text != "<@UBOT> check shop/web-1" || m.TimeStamp == "" {
		t.Errorf("event = %+v, inner = %+v", ev, ev.InnerEvent.Data)
	}
}

func TestReconnectAfterDisconnect(t *testing.T) {
	s, _, events := start(t)
	if err := s.Disconnect(); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitConnected(ctxT(t), 2); err != nil {
		t.Fatal(err)
	}
	if n := s.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
	if _, err := s.SlashCommand("U1", "C1", "after"); err != nil {
		t.Fatal(err)
	}
	if cmd := next(t, events, socketmode.EventTypeSlashCommand).Data.(slack.SlashCommand); cmd.Text != "after" {
		t.Errorf("text = %q", cmd.Text)
	}
}

// TestPingsKeepConnection runs the client with a short ping dead-man: without
// the fake's pings it would reconnect every 300ms.
func TestPingsKeepConnection(t *testing.T) {
	s := startServer(t, Options{PingInterval: 20 * time.Millisecond})
	_, events, _ := runClient(t, s, "xapp-test", socketmode.OptionPingInterval(300*time.Millisecond))
	next(t, events, socketmode.EventTypeConnected)
	quiet := time.After(time.Second)
	for {
		select {
		case e := <-events:
			if e.Type == socketmode.EventTypeConnecting {
				t.Fatalf("client reconnected: connections = %d", s.Connections())
			}
		case <-quiet:
			if n := s.Connections(); n != 1 {
				t.Errorf("connections = %d, want 1", n)
			}
			return
		}
	}
}

func TestWrongAppToken(t *testing.T) {
	s := startServer(t, Options{})
	_, _, done := runClient(t, s, "xapp-wrong")
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("RunContext = %v, want invalid_auth", err)
		}
	case <-ctxT(t).Done():
		t.Fatal("RunContext did not give up")
	}
}

func TestNoConnection(t *testing.T) {
	s := startServer(t, Options{})
	if _, err := s.SlashCommand("U1", "C1", "x"); err == nil {
		t.Error("SlashCommand without a socket: no error")
	}
	if err := s.Disconnect(); err == nil {
		t.Error("Disconnect without a socket: no error")
	}
}
