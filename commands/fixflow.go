package commands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// fix applies a fix: only for on-call, only once per clicked message, and
// only the one remedy the command names, when a fresh diagnosis still calls
// for exactly it (pick); a disruptive one only when confirmed. A button's
// value is never trusted beyond naming that remedy.
func (s *Service) fix(ctx context.Context, req Request, cmd Command, out Output) error {
	if ok, err := s.authoriseFix(ctx, req.User, out); !ok {
		return err
	}
	if ok, err := s.claimClick(ctx, req, out); !ok {
		return err
	}
	dreq := diagnose.Request{Namespace: cmd.Ref.Namespace, Pod: cmd.Ref.Name}
	before := s.Engine.Diagnose(ctx, dreq, nil)
	if err := ctx.Err(); err != nil {
		s.releaseClick(ctx, req)
		return err // an unfinished diagnosis cannot tell whether the fix is still needed
	}
	remedy, err := pick(before, cmd)
	var gone *notNeeded
	if err != nil && !errors.As(err, &gone) {
		s.releaseClick(ctx, req) // nothing was applied: the button may be used again
		return err
	}
	conv, err := s.fixConversation(ctx, cmd, out)
	if err != nil {
		return err
	}
	if gone != nil {
		note := gone.note(headline(before))
		_ = conv.CloseOffers(ctx, note)
		return conv.Note(ctx, note)
	}
	owner := controllerUID(ctx, s.Kube, dreq) // before a restart deletes the pod
	res, err := s.Fixes.Apply(ctx, fix.Request{Action: cmd.Action, Namespace: cmd.Ref.Namespace, Args: remedy.Args,
		Actor: req.User, DryRun: req.DryRun})
	if err != nil {
		s.releaseClick(ctx, req)
		return err
	}
	if err := conv.Audit(ctx, req.User, res); err != nil {
		s.Logger.Warn("posting the audit", "err", err)
	}
	if req.DryRun {
		return nil
	}
	if err := conv.CloseOffers(ctx, fmt.Sprintf("%s applied", cmd.Action)); err != nil {
		s.Logger.Warn("removing the buttons", "err", err)
	}
	if !s.Follow.Off {
		s.afterFix(dreq, owner, conv)
	}
	return nil
}

// fixConversation is the thread a button was clicked in, or a new one for
// a typed fix.
func (s *Service) fixConversation(ctx context.Context, cmd Command, out Output) (Conversation, error) {
	if conv, ok := out.Resume(ctx); ok {
		return conv, nil
	}
	conv, err := out.Open(ctx, "fix", cmd.String())
	if err != nil {
		return nil, fmt.Errorf("opening the conversation: %w", err)
	}
	return conv, nil
}

func (s *Service) mayFix(ctx context.Context, user string) (bool, error) {
	if s.Auth == nil {
		return false, nil
	}
	return s.Auth.MayFix(ctx, user)
}

// afterFix re-diagnoses, offers what is left to fix, and follows the pod (or
// its replacement) until it runs or the follow times out. It runs in the
// background: the worker that applied the fix is free again.
func (s *Service) afterFix(req diagnose.Request, owner types.UID, conv Conversation) {
	f := s.Follow
	ctx, done, ok := s.followContext(req.String(), f.Timeout+time.Minute)
	if !ok {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer done()
		start := s.Now()
		rep := s.diagnose(ctx, req)
		if rep.RootCause != nil && rep.RootCause.ID != diagnose.PodNotFound {
			_ = conv.Verdict(ctx, rep, s.Offers(rep))
		}
		ok, pod := s.follow(ctx, req, owner, f)
		if ctx.Err() == context.Canceled {
			return // superseded by a later fix, or shutting down
		}
		if ok {
			_ = conv.Note(ctx, fmt.Sprintf(":white_check_mark: resolved in %ds: pod %s/%s is running", int(s.Now().Sub(start).Seconds()), req.Namespace, pod))
			return
		}
		if pod != "" {
			req.Pod = pod
		}
		still := s.diagnose(ctx, req)
		_ = conv.Note(ctx, fmt.Sprintf("still not running after %s: %s", f.Timeout, headline(still)))
	}()
}

// headline is a report's verdict in one line.
func headline(rep *diagnose.Report) string {
	switch {
	case rep.RootCause != nil:
		return fmt.Sprintf("%s: %s", rep.RootCause.ID, rep.RootCause.Summary)
	case rep.Verdict == diagnose.PullsFine:
		return "the pod pulls its images fine"
	}
	return "inconclusive"
}
