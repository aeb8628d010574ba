package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// output answers one request in Slack: ephemeral replies to the requester,
// and a thread for conversations.
type output struct {
	b       *Bot
	channel string
	user    string
	// clicked and root are set for button clicks: the clicked message and
	// the root of its thread.
	clicked, root string
}

func (b *Bot) newOutput(channel, user string) *output {
	return &output{b: b, channel: channel, user: user}
}

var _ commands.Output = (*output)(nil)

// Private posts an ephemeral message only the requester sees.
func (o *output) Private(ctx context.Context, m commands.Private) error {
	var msg blocks.Message
	switch m.Kind {
	case commands.UsageReply:
		msg = blocks.Usage(m.Text)
	case commands.HelpReply:
		msg = blocks.Help()
	case commands.RefusalReply:
		msg = blocks.Refusal(m.Text)
	case commands.FailureReply:
		msg = blocks.Failure(m.Text, m.Ref)
	default:
		msg = blocks.Note(m.Text)
		if m.By != "" {
			msg = blocks.NoteBy(m.Text, m.By)
		}
	}
	return o.ephemeral(ctx, msg)
}

// ephemeral posts m only the requester sees.
func (o *output) ephemeral(ctx context.Context, m blocks.Message) error {
	_, err := o.b.api.PostEphemeralContext(ctx, o.channel, o.user, m.MsgOptions()...)
	return err
}

// Open posts the root message of a new thread.
func (o *output) Open(ctx context.Context, kind, target string) (commands.Conversation, error) {
	ts, err := o.b.postPaced(ctx, o.channel, "", blocks.Diagnosing(kind, target))
	if err != nil {
		return nil, fmt.Errorf("posting the root message: %w", err)
	}
	return &conversation{o: o, root: ts, kind: kind, target: target}, nil
}

// Resume continues the thread a button was clicked in.
func (o *output) Resume(context.Context) (commands.Conversation, bool) {
	if o.clicked == "" || o.root == "" {
		return nil, false
	}
	return &conversation{o: o, root: o.root, clicked: o.clicked}, true
}

// conversation is one thread.
type conversation struct {
	o            *output
	root         string
	clicked      string
	kind, target string

	mu      sync.Mutex
	results []diagnose.Result
	checks  *live // the thread's checks message, from the first check on
}

func (c *conversation) reply(ctx context.Context, m blocks.Message) (string, error) {
	return c.o.b.postPaced(ctx, c.o.channel, c.root, m)
}

// Step shows a check as it completes, in the thread's one checks message:
// posted with the first check, edited in place as the others complete. It
// never waits for Slack, so the diagnosis does not either.
func (c *conversation) Step(ctx context.Context, r diagnose.Result) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results = append(c.results, r)
	if c.checks == nil {
		c.checks = c.o.b.checksMessage(c.o.channel, c.root)
	}
	c.checks.show(ctx, blocks.LiveChecks(c.results, len(diagnose.Catalogue)))
	return nil
}

// Verdict folds the checks message, then posts the root cause and its fix
// buttons below it. The buttons' block ID carries the thread's root, so a
// click can answer in the thread.
func (c *conversation) Verdict(ctx context.Context, rep *diagnose.Report, offers []commands.Offer) error {
	c.foldChecks(ctx, rep)
	m := blocks.Verdict(rep, buttons(offers)).WithActionsID(fixBlockPrefix + c.root)
	ts, err := c.reply(ctx, m)
	if err == nil {
		c.o.b.posted.put(c.o.channel+"/"+ts, m)
	}
	return err
}

// foldChecks gives the checks message its final form: what did not pass
// in view, the rest counted, and "Show all checks". It waits until the
// message is in the thread, not for the edit.
func (c *conversation) foldChecks(ctx context.Context, rep *diagnose.Report) {
	c.mu.Lock()
	checks := c.checks
	c.checks = nil
	c.mu.Unlock()
	if checks == nil || rep == nil {
		return
	}
	if ts := checks.settle(ctx, blocks.Checks(rep, showAllButton(rep.Request))); ts != "" {
		c.o.b.reports.put(c.o.channel+"/"+ts, rep)
	}
}

func (c *conversation) Finish(ctx context.Context, rep *diagnose.Report, headline string) error {
	if c.kind == "" { // a resumed thread: its root stays as it is
		return nil
	}
	m := blocks.Note(headline)
	if rep != nil {
		m = blocks.Root(c.kind, c.target, rep)
	}
	_, _, _, err := c.o.b.api.UpdateMessageContext(ctx, c.o.channel, c.root, m.MsgOptions()...)
	return err
}

func (c *conversation) Audit(ctx context.Context, user string, res fix.Result) error {
	_, err := c.reply(ctx, blocks.Audit(user, string(res.Action), res.Summary, res.DryRun))
	return err
}

// CloseOffers replaces the clicked message with itself minus its buttons, so
// a second click finds none; the closing line names who clicked.
func (c *conversation) CloseOffers(ctx context.Context, note string) error {
	if c.clicked == "" {
		return nil
	}
	m, _ := c.o.b.posted.get(c.o.channel + "/" + c.clicked) // a forgotten message closes with the note alone
	m = blocks.WithoutButtons(m, note, c.o.user)
	_, _, _, err := c.o.b.api.UpdateMessageContext(ctx, c.o.channel, c.clicked, m.MsgOptions()...)
	return err
}

func (c *conversation) Note(ctx context.Context, text string) error {
	_, err := c.reply(ctx, blocks.Note(text))
	return err
}

// fixBlockPrefix starts the block ID of an actions block; the rest is the
// thread's root timestamp.
const fixBlockPrefix = "fixes/"

// rootOf finds a clicked message's thread: from our block ID, else Slack's
// thread fields.
func rootOf(blockID string, cb slack.InteractionCallback) string {
	if ts, ok := strings.CutPrefix(blockID, fixBlockPrefix); ok && ts != "" {
		return ts
	}
	if cb.Container.ThreadTs != "" {
		return cb.Container.ThreadTs
	}
	return cb.Message.ThreadTimestamp
}

// buttons renders offers; action IDs are unique per message.
func buttons(offers []commands.Offer) []blocks.Button {
	var out []blocks.Button
	for _, o := range offers {
		b := blocks.Button{ActionID: "fix-" + string(o.Action), Text: o.Title, Value: o.Value, Danger: o.Disruptive,
			Primary: !o.Disruptive && o.Action != diagnose.Rerun}
		if o.Confirm != "" {
			b.Confirm = &blocks.Confirm{Title: "Apply " + string(o.Action) + "?", Text: o.Confirm, OK: "Apply", Deny: "Cancel"}
			if o.Action == commands.PlanAction {
				b.Confirm.Title, b.Confirm.OK = "Fix it: apply every step?", "Fix it"
			}
		}
		out = append(out, b)
	}
	return out
}

// postPaced posts m to channel (in root's thread when root is set)
// through the channel's pacer, and returns its ts.
func (b *Bot) postPaced(ctx context.Context, channel, root string, m blocks.Message) (string, error) {
	opts := m.MsgOptions()
	if root != "" {
		opts = append(opts, slack.MsgOptionTS(root))
	}
	var ts string
	err := b.pace.Send(ctx, channel, func(ctx context.Context) error {
		var err error
		_, ts, err = b.plain.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		return "", err // ts may still be written by an op that outlived ctx
	}
	return ts, nil
}

// checksMessage is the live checks message of a thread: posted through
// the pacer, edited at most every EditInterval.
func (b *Bot) checksMessage(channel, root string) *live {
	return newLive(liveConfig{
		post: func(ctx context.Context, m blocks.Message) (string, error) { return b.postPaced(ctx, channel, root, m) },
		update: func(ctx context.Context, ts string, m blocks.Message) error {
			_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, m.MsgOptions()...)
			return err
		},
		every: b.cfg.EditInterval, clock: b.cfg.Clock, log: b.log, wg: &b.writers,
	})
}
