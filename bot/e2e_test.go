package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

const (
	channel = "C0SHOP"
	onCall  = "U0ONCALL"
	grouped = "U0GROUP"
	visitor = "U0VISITOR"
	group   = "S0ONCALL"
)

// harness is the real bot, serving the sandbox, connected to a fake Slack.
type harness struct {
	t     testing.TB
	ctx   context.Context
	slack *fakeslack.Server
	world *sandbox.World
	svc   *commands.Service
	bot   *bot.Bot
	setup setup
}

func start(t testing.TB, opts ...sandbox.Option) *harness {
	return startWith(t, setup{}, opts...)
}

// setup is what a harness may change from its defaults.
type setup struct {
	// hc, when set, carries the bot's Web API calls.
	hc *http.Client
	// world configures the sandbox (startWith's options are added to it).
	world []sandbox.Option
	// workers is the bot's worker pool; default the bot's.
	workers int
	// requestTimeout bounds each request the service handles.
	requestTimeout time.Duration
	// registry wraps the world's transport for the engine's registry probes.
	registry func(http.RoundTripper) http.RoundTripper
	// logs receives the bot's, the commands' and the engine's logs, debug
	// level included.
	logs io.Writer
	// limits are the fake Slack's rate limits; Slack's by default.
	limits fakeslack.Limits
	// unlimited turns the fake's rate limits off, and the bot's pacing
	// with them, for tests that do not care about pace.
	unlimited bool
	// timeout bounds the whole test; default 60 s.
	timeout time.Duration
	// home is what the App Home tab shows; nil leaves the tab alone.
	home *bot.HomeSources
}

// startWith starts the harness as set up.
func startWith(t testing.TB, su setup, opts ...sandbox.Option) *harness {
	t.Helper()
	if su.timeout <= 0 {
		su.timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), su.timeout)
	t.Cleanup(cancel)
	if su.limits == nil && !su.unlimited {
		su.limits = fakeslack.SlackLimits()
	}
	fs, err := fakeslack.Start(fakeslack.Options{Limits: su.limits})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fs.Close)
	w, err := sandbox.NewWorld(append(su.world, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	h := &harness{t: t, ctx: ctx, slack: fs, world: w, setup: su}
	h.svc, h.bot = h.replica(1)
	return h
}

// replica starts a bot serving the harness's world, as the n-th
// connection to the fake Slack; envelopes go to the last one connected.
func (h *harness) replica(n int) (*commands.Service, *bot.Bot) {
	t, ctx := h.t, h.ctx
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	if h.setup.logs != nil {
		logger = slog.New(slog.NewJSONHandler(h.setup.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eopts := h.world.EngineOptions(h.world.BotKey)
	eopts.Cluster, eopts.Logger = sandbox.ClusterID, logger
	if h.setup.registry != nil {
		eopts.Registry = registry.New(h.setup.registry(h.world.Transport()))
	}
	svc := commands.New(commands.Options{Diagnose: eopts, Timeout: h.setup.requestTimeout, Logger: logger,
		Follow: commands.FollowOptions{Interval: 10 * time.Millisecond, Timeout: 20 * time.Second}})
	cfg := bot.Config{AppToken: "xapp-test", BotToken: "xoxb-test", APIURL: h.slack.APIURL(), PingInterval: time.Minute,
		HTTPClient: h.setup.hc, Workers: h.setup.workers, Logger: logger, Home: h.setup.home}
	if h.setup.unlimited {
		cfg.PostBurst, cfg.PostInterval = 1000, time.Millisecond
	}
	b, err := bot.New(cfg, svc)
	if err != nil {
		t.Fatal(err)
	}
	h.slack.SetUserGroup(group, "oncall", grouped)
	svc.Auth = commands.NewAuthorizer([]string{onCall}, []string{group}, groups{b.API()}, time.Minute, nil)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bot.Run: %v", err)
		}
	})
	if err := h.slack.WaitConnected(ctx, n); err != nil {
		t.Fatal(err)
	}
	return svc, b
}

type groups struct{ api *slack.Client }

func (g groups) GetUserGroupMembersContext(ctx context.Context, id string) ([]string, error) {
	return g.api.GetUserGroupMembersContext(ctx, id)
}

// command sends a slash command, waits for its ack, and returns the root
// message once its thread is finished (the root was updated).
func (h *harness) command(user, text string) fakeslack.Message {
	h.t.Helper()
	return h.commandIn(channel, user, text)
}

// commandIn is command in channel ch.
func (h *harness) commandIn(ch, user, text string) fakeslack.Message {
	h.t.Helper()
	before := len(h.slack.Messages(ch))
	env, err := h.slack.SlashCommand(user, ch, text)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		h.t.Fatalf("no ack: %v", err)
	}
	root := h.waitIn(ch, func(m fakeslack.Message) bool { return m.ThreadTS == "" && !m.Ephemeral }, before)
	return h.waitIn(ch, func(m fakeslack.Message) bool { return m.TS == root.TS && m.Updates > 0 }, 0)
}

// waitMessage waits for a message (after the first skip ones) that matches.
func (h *harness) waitMessage(match func(fakeslack.Message) bool, skip int) fakeslack.Message {
	h.t.Helper()
	return h.waitIn(channel, match, skip)
}

// waitIn waits for a message of channel ch (after the first skip ones)
// that matches.
func (h *harness) waitIn(ch string, match func(fakeslack.Message) bool, skip int) fakeslack.Message {
	h.t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		msgs := h.slack.Messages(ch)
		for i := skip; i < len(msgs); i++ {
			if match(msgs[i]) {
				return msgs[i]
			}
		}
		select {
		case <-tick.C:
		case <-h.ctx.Done():
			h.t.Fatalf("waiting for a message: %v\nmessages: %s", h.ctx.Err(), h.dump())
		}
	}
}

func (h *harness) find(ts string) fakeslack.Message {
	for _, m := range h.slack.Messages(channel) {
		if m.TS == ts {
			return m
		}
	}
	h.t.Fatalf("no message %s", ts)
	return fakeslack.Message{}
}

func (h *harness) dump() string {
	var b strings.Builder
	for _, m := range h.slack.Messages(channel) {
		fmt.Fprintf(&b, "\n[%s thread=%s eph=%t upd=%d] %s", m.TS, m.ThreadTS, m.Ephemeral, m.Updates, m.Text)
	}
	return b.String()
}

// buttonsIn returns the buttons of a message: action ID -> value, and the block ID.
func buttonsIn(t testing.TB, m fakeslack.Message) (map[string]string, string) {
	t.Helper()
	var bl slack.Blocks
	if err := json.Unmarshal(m.Blocks, &bl); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	out, blockID := map[string]string{}, ""
	for _, b := range bl.BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			blockID = a.BlockID
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					out[btn.ActionID] = btn.Value
				}
			}
		}
	}
	return out, blockID
}

// verdictWith waits for a thread reply offering the action and returns it.
func (h *harness) verdictWith(root string, actionID string) fakeslack.Message {
	h.t.Helper()
	return h.waitMessage(func(m fakeslack.Message) bool {
		if m.ThreadTS != root {
			return false
		}
		b, _ := buttonsIn(h.t, m)
		_, ok := b[actionID]
		return ok
	}, 0)
}

func (h *harness) click(user string, m fakeslack.Message, actionID string) string {
	h.t.Helper()
	btns, blockID := buttonsIn(h.t, m)
	env, err := h.slack.Click(fakeslack.Click{User: user, Channel: channel, MessageTS: m.TS, ActionID: actionID, BlockID: blockID, Value: btns[actionID]})
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		h.t.Fatalf("click not acked: %v", err)
	}
	return env
}

func (h *harness) secretExists(ns, name string) bool {
	_, err := h.world.Kube.CoreV1().Secrets(ns).Get(context.Background(), name, metav1.GetOptions{})
	return err == nil
}
