package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"k8s.io/utils/clock"

	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// Config configures a Bot.
type Config struct {
	AppToken, BotToken string
	// APIURL overrides Slack's Web API URL (tests); it must end with "/".
	APIURL string
	// Workers bounds concurrent requests (default 8); Queue bounds waiting
	// ones (default 64). A full queue gets a "busy" answer, never a stall of
	// the socket loop.
	Workers, Queue int
	// PingInterval is how long the socket may stay silent (default 30 s).
	PingInterval time.Duration
	// HTTPClient carries Web API calls (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// PostBurst and PostInterval pace the messages of conversations per
	// channel, as Slack allows about one a second after a short burst:
	// PostBurst at once (default 4), then one every PostInterval (default
	// 1.05 s: Slack's second and a margin for the network's jitter). A
	// message Slack has not taken within two minutes (an outage) is
	// dropped and logged.
	PostBurst    int
	PostInterval time.Duration
	// EditInterval is the least time between two edits of the checks
	// message of one diagnosis (default 1 s).
	EditInterval time.Duration
	// Clock times the edits (default the real clock).
	Clock clock.Clock
	// Home is what the App Home tab shows; nil leaves the tab alone.
	Home *HomeSources
}

// Service is what serves the bot's requests: a commands.Service, or a
// commands.Router in front of one per cluster.
type Service interface {
	Handle(ctx context.Context, req commands.Request, out commands.Output) error
	// Stop cancels background follow-ups; Wait waits for them.
	Stop()
	Wait()
}

var (
	_ Service = (*commands.Service)(nil)
	_ Service = (*commands.Router)(nil)
)

// Bot serves pullcheck over Slack socket mode.
type Bot struct {
	cfg Config
	api *slack.Client
	// plain has no built-in retries, so that 429s of paced posts reach
	// the pacer.
	plain     *slack.Client
	sm        *socketmode.Client
	svc       Service
	jobs      chan job
	log       *slog.Logger
	connected atomic.Bool
	seen      recentSet                 // Events API event IDs: delivery is at least once
	posted    *recent[blocks.Message]   // verdict messages, to drop their buttons after a click
	reports   *recent[*diagnose.Report] // checks messages' reports, for "Show all checks"
	pace      *outbox.Outbox            // conversations' posts, per channel
	writers   sync.WaitGroup            // edits of checks messages in flight
}

// job is one request waiting for a worker, or (run set) other work.
type job struct {
	req commands.Request
	out commands.Output
	run func(ctx context.Context)
}

// New validates the configuration and returns a Bot.
func New(cfg Config, svc Service) (*Bot, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 64
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	cfg = withPace(cfg)
	base := []slack.Option{slack.OptionHTTPClient(cfg.HTTPClient), slack.OptionAppLevelToken(cfg.AppToken)}
	if cfg.APIURL != "" {
		base = append(base, slack.OptionAPIURL(cfg.APIURL))
	}
	// Retry after OptionHTTPClient, so that 429s on this client are retried.
	api := slack.New(cfg.BotToken, append(slices.Clone(base), slack.OptionRetry(8))...)
	b := &Bot{cfg: cfg, api: api, plain: slack.New(cfg.BotToken, base...), svc: svc, jobs: make(chan job, cfg.Queue),
		log: cfg.Logger, seen: recentSet{max: 1024}, posted: newRecent[blocks.Message](2048),
		reports: newRecent[*diagnose.Report](512)}
	b.pace = outbox.New(outbox.Options{Burst: cfg.PostBurst, Interval: cfg.PostInterval, TTL: 2 * time.Minute, Logger: cfg.Logger})
	b.sm = socketmode.New(api, socketmode.OptionPingInterval(cfg.PingInterval))
	return b, nil
}

// Connected reports whether the socket is up (for readiness probes).
func (b *Bot) Connected() bool { return b.connected.Load() }

// API is the Slack Web API client (user groups for the authorizer).
func (b *Bot) API() *slack.Client { return b.api }

// Run serves until ctx is done or Slack refuses the tokens.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range b.cfg.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); b.work(ctx) }()
	}
	runErr := make(chan error, 1)
	go func() { runErr <- b.sm.RunContext(ctx) }()
	err := b.loop(ctx, runErr)
	cancel()
	wg.Wait()
	b.writers.Wait()
	b.svc.Stop()
	b.svc.Wait()
	b.pace.Close()
	return err
}

// loop drains socket events: ack first, work after, never blocking.
func (b *Bot) loop(ctx context.Context, runErr <-chan error) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-runErr:
			if err == nil || errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-b.sm.Events:
			if err := b.dispatch(ctx, evt); err != nil {
				return err
			}
		}
	}
}

func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) error {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.connected.Store(true)
		b.log.Info("connected to Slack")
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		b.connected.Store(false)
	case socketmode.EventTypeInvalidAuth:
		return errors.New("slack refused the tokens (invalid_auth): check SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
	case socketmode.EventTypeSlashCommand:
		b.ack(evt)
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			b.enqueue(ctx, commands.Request{User: cmd.UserID, Channel: cmd.ChannelID, Text: cmd.Text}, b.newOutput(cmd.ChannelID, cmd.UserID))
		}
	case socketmode.EventTypeInteractive:
		b.ack(evt)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			b.click(ctx, cb)
		}
	case socketmode.EventTypeEventsAPI:
		b.ack(evt)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			b.event(ctx, evt, ev)
		}
	}
	return nil
}

func (b *Bot) ack(evt socketmode.Event) {
	if evt.Request == nil {
		return
	}
	if err := b.sm.Ack(*evt.Request); err != nil {
		b.log.Warn("ack", "envelope", evt.Request.EnvelopeID, "err", err)
	}
}

func (b *Bot) mention(ctx context.Context, evt socketmode.Event, ev slackevents.EventsAPIEvent) {
	m, ok := ev.InnerEvent.Data.(*slackevents.AppMentionEvent)
	if !ok {
		return
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && !b.seen.add(cb.EventID) {
		return // a redelivery
	}
	b.enqueue(ctx, commands.Request{User: m.User, Channel: m.Channel, Text: m.Text}, b.newOutput(m.Channel, m.User))
}

// click turns a button into the command its value holds. The value is only
// a request: commands re-reads and re-diagnoses before anything changes.
func (b *Bot) click(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	a := cb.ActionCallback.BlockActions[0]
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	if channel == "" {
		b.log.Warn("a click without a channel: ignored", "user", cb.User.ID)
		return // nowhere to answer, and no channel binding to judge it by
	}
	if a.ActionID == showAllAction {
		b.submit(ctx, job{run: func(ctx context.Context) { b.showAll(ctx, channel, cb.User.ID, cb.Container.MessageTs, a.Value) }},
			b.newOutput(channel, cb.User.ID))
		return
	}
	out := b.newOutput(channel, cb.User.ID)
	out.clicked = cb.Container.MessageTs
	if out.root = rootOf(a.BlockID, cb); out.root == "" {
		out.root = out.clicked // a top-level message (a sweep's): answer in its thread
	}
	claim := channel + "/" + out.clicked + "/" + a.ActionID
	b.enqueue(ctx, commands.Request{User: cb.User.ID, Channel: channel, Text: a.Value, Claim: claim}, out)
}

// enqueue hands a request to the worker pool, or says pullcheck is busy.
func (b *Bot) enqueue(ctx context.Context, req commands.Request, out *output) {
	b.submit(ctx, job{req: req, out: out}, out)
}

// submit hands a job to the worker pool, or tells out pullcheck is busy.
func (b *Bot) submit(ctx context.Context, j job, out *output) {
	select {
	case b.jobs <- j:
	default:
		go func() {
			_ = out.Private(ctx, commands.Private{Kind: commands.InfoReply,
				Text: "pullcheck is busy with other requests; try again in a minute"})
		}()
	}
}

func (b *Bot) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-b.jobs:
			if j.run != nil {
				j.run(ctx)
				continue
			}
			if err := b.svc.Handle(ctx, j.req, j.out); err != nil {
				b.log.Info("request ended with an error", "user", j.req.User, "err", err)
			}
		}
	}
}

// withPace fills the pacing defaults of cfg.
func withPace(cfg Config) Config {
	if cfg.PostBurst <= 0 {
		cfg.PostBurst = 4
	}
	if cfg.PostInterval <= 0 {
		cfg.PostInterval = 1050 * time.Millisecond
	}
	if cfg.EditInterval <= 0 {
		cfg.EditInterval = time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.RealClock{}
	}
	return cfg
}
