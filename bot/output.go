package bot

import (
	"context"
	"fmt"
	"strings"

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
	_, err := o.b.api.PostEphemeralContext(ctx, o.channel, o.user, msg.MsgOptions()...)
	return err
}

// Open posts the root message of a new thread.
func (o *output) Open(ctx context.Context, kind, target string) (commands.Conversation, error) {
	_, ts, err := o.b.api.PostMessageContext(ctx, o.channel, blocks.Diagnosing(kind, target).MsgOptions()...)
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
}

func (c *conversation) reply(ctx context.Context, m blocks.Message) (string, error) {
	_, ts, err := c.o.b.api.PostMessageContext(ctx, c.o.channel, append(m.MsgOptions(), slack.MsgOptionTS(c.root))...)
	return ts, err
}

func (c *conversation) Step(ctx context.Context, r diagnose.Result) error {
	_, err := c.reply(ctx, blocks.Step(r))
	return err
}

// Verdict posts the root cause and its fix buttons. The buttons' block ID
// carries the thread's root, so a click can answer in the thread.
func (c *conversation) Verdict(ctx context.Context, rep *diagnose.Report, offers []commands.Offer) error {
	m := blocks.Verdict(rep, buttons(offers)).WithActionsID(fixBlockPrefix + c.root)
	ts, err := c.reply(ctx, m)
	if err == nil {
		c.o.b.posted.put(c.o.channel+"/"+ts, m)
	}
	return err
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
		}
		out = append(out, b)
	}
	return out
}
