package bot

import (
	"context"

	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// showAllAction is the action ID of the "Show all checks" button.
const showAllAction = "show-all-checks"

// showAllButton is the button of a checks message, nil for a report that
// names no pod or image. Its value is the command that diagnoses the same
// target: the replica that posted the message answers from the report it
// keeps, and any other replica, or one that has since forgotten it, runs
// that command again and says the list is from a new run.
func showAllButton(req diagnose.Request) *blocks.Button {
	cmd := commands.Command{Verb: commands.Pod, Ref: commands.ObjectRef{Namespace: req.Namespace, Name: req.Pod}}
	switch {
	case req.Preflight():
		cmd = commands.Command{Verb: commands.Image, Image: req.Image, Namespace: req.Namespace}
	case req.Pod == "":
		return nil
	}
	return &blocks.Button{ActionID: showAllAction, Text: "Show all checks", Value: cmd.String()}
}

// showAll posts every check of the checks message ts, only to user. value
// is the button's: only a diagnosis may run from it, never a fix.
func (b *Bot) showAll(ctx context.Context, channel, user, ts, value string) {
	out := b.newOutput(channel, user)
	if rep, ok := b.reports.get(channel + "/" + ts); ok {
		if err := out.ephemeral(ctx, blocks.AllChecks(rep, false)); err != nil {
			b.log.Warn("posting all checks", "err", err)
		}
		return
	}
	if cmd, err := commands.Parse(value); err != nil || (cmd.Verb != commands.Pod && cmd.Verb != commands.Image) {
		_ = out.Private(ctx, commands.Private{Kind: commands.RefusalReply, Text: "this button does not name a diagnosis"})
		return
	}
	if err := b.svc.Handle(ctx, commands.Request{User: user, Text: value}, allChecksOutput{out}); err != nil {
		b.log.Info("showing all checks ended with an error", "user", user, "err", err)
	}
}

// allChecksOutput answers a diagnosis run again for "Show all checks":
// the full list, only to the person who clicked, and nothing in the
// channel.
type allChecksOutput struct{ *output }

func (o allChecksOutput) Open(context.Context, string, string) (commands.Conversation, error) {
	return allChecks{o.output}, nil
}

func (o allChecksOutput) Resume(context.Context) (commands.Conversation, bool) { return nil, false }

// allChecks is the conversation of allChecksOutput: only the report counts.
type allChecks struct{ o *output }

var _ commands.Conversation = allChecks{}

func (a allChecks) Step(context.Context, diagnose.Result) error { return nil }

func (a allChecks) Verdict(ctx context.Context, rep *diagnose.Report, _ []commands.Offer) error {
	return a.o.ephemeral(ctx, blocks.AllChecks(rep, true))
}

func (a allChecks) Finish(context.Context, *diagnose.Report, string) error { return nil }

func (a allChecks) Audit(context.Context, string, fix.Result) error { return nil }

func (a allChecks) CloseOffers(context.Context, string) error { return nil }

func (a allChecks) Note(ctx context.Context, text string) error {
	return a.o.Private(ctx, commands.Private{Kind: commands.InfoReply, Text: text})
}
