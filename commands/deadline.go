package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// replyGrace bounds one answer. Answers do not share their request's
// deadline: a request that ran out of time must still say so.
const replyGrace = 30 * time.Second

// diagnose runs the chain on req within the request timeout (for work
// that runs outside Handle: the follow-up after a fix).
func (s *Service) diagnose(ctx context.Context, req diagnose.Request) *diagnose.Report {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	return s.Engine.Diagnose(ctx, req, nil)
}

// replyContext is ctx for an answer: it outlives ctx's deadline by up to
// replyGrace, but ends when ctx is cancelled (shutdown, a superseded
// follow-up).
func replyContext(ctx context.Context) (context.Context, context.CancelFunc) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), replyGrace)
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return rctx, func() { stop(); cancel() }
}

// graceOutput gives every answer its replyContext.
type graceOutput struct{ out Output }

func (g graceOutput) Private(ctx context.Context, m Private) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.out.Private(ctx, m)
}

func (g graceOutput) Open(ctx context.Context, kind, target string) (Conversation, error) {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	c, err := g.out.Open(ctx, kind, target)
	if err != nil {
		return nil, err
	}
	return graceConversation{c}, nil
}

func (g graceOutput) Resume(ctx context.Context) (Conversation, bool) {
	c, ok := g.out.Resume(ctx)
	if !ok {
		return nil, false
	}
	return graceConversation{c}, true
}

// graceConversation gives every message of a thread its replyContext.
type graceConversation struct{ c Conversation }

func (g graceConversation) Step(ctx context.Context, r diagnose.Result) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.Step(ctx, r)
}

func (g graceConversation) Verdict(ctx context.Context, rep *diagnose.Report, offers []Offer) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.Verdict(ctx, rep, offers)
}

func (g graceConversation) Finish(ctx context.Context, rep *diagnose.Report, headline string) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.Finish(ctx, rep, headline)
}

func (g graceConversation) Audit(ctx context.Context, user string, res fix.Result) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.Audit(ctx, user, res)
}

func (g graceConversation) CloseOffers(ctx context.Context, note string) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.CloseOffers(ctx, note)
}

func (g graceConversation) Note(ctx context.Context, text string) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return g.c.Note(ctx, text)
}
