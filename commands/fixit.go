package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// planOffer is the Fix it button of a report whose remedies form a plan
// (Plan) that pullcheck can apply whole; none otherwise. A plan with a
// disruptive step asks for one confirmation, which lists every step.
func (s *Service) planOffer(rep *diagnose.Report) []Offer {
	steps := Plan(rep)
	if steps == nil || slices.ContainsFunc(steps, func(r diagnose.Remedy) bool { return s.Fixes != nil && !s.Fixes.Has(r.Action) }) {
		return nil
	}
	cmd := Command{Verb: FixIt, Ref: ObjectRef{Namespace: rep.Request.Namespace, Name: rep.Request.Pod}, Steps: actions(steps)}
	o := Offer{Action: PlanAction, Title: "Fix it", Value: cmd.String(), Disruptive: PlanDisruptive(steps)}
	if o.Disruptive {
		o.Confirm = planConfirm(steps)
	}
	return []Offer{o}
}

// confirmBudget is how long a confirmation may be: chat clients show about
// 300 characters.
const confirmBudget = 280

// planConfirm lists every step of a plan, by title when that fits the
// budget, else by action.
func planConfirm(steps []diagnose.Remedy) string {
	text := ""
	for _, titled := range []bool{true, false} {
		parts := make([]string, len(steps))
		for i, r := range steps {
			name := string(r.Action)
			if titled {
				name = r.Title
			}
			if r.Risk == diagnose.Disruptive {
				name += " (disrupts running pods)"
			}
			parts[i] = fmt.Sprintf("%d. %s", i+1, name)
		}
		text = "Applies in order: " + strings.Join(parts, "; ") + ". Each step is checked before it is applied; a failing step stops the rest."
		if utf8.RuneCountInString(text) <= confirmBudget {
			break
		}
	}
	return text
}

func actions(steps []diagnose.Remedy) []diagnose.Action {
	out := make([]diagnose.Action, len(steps))
	for i, r := range steps {
		out[i] = r.Action
	}
	return out
}

// fixIt applies a plan, the steps in order, as fix applies one remedy: only
// for on-call, once per clicked button, only when a fresh diagnosis still
// calls for a plan of confirmed steps, with its arguments. It audits every
// step, stops at the first that fails and says what was and was not
// applied; when all are applied it follows the pod until it runs.
func (s *Service) fixIt(ctx context.Context, req Request, cmd Command, out Output) error {
	if ok, err := s.authoriseFix(ctx, req.User, out); !ok {
		return err
	}
	if ok, err := s.claimClick(ctx, req, out); !ok {
		return err
	}
	conv, err := s.resumeOrOpen(ctx, out, "fix it", cmd.String())
	if err != nil {
		return err
	}
	dreq := diagnose.Request{Namespace: cmd.Ref.Namespace, Pod: cmd.Ref.Name}
	before := s.Engine.Diagnose(ctx, dreq, nil)
	if err := ctx.Err(); err != nil {
		s.releaseClick(context.WithoutCancel(ctx), req)
		return err // an unfinished diagnosis cannot tell whether the plan still holds
	}
	steps, why := confirmedPlan(before, cmd.Steps)
	if why != "" {
		return s.planRefused(ctx, why, before, conv)
	}
	owner := controllerUID(ctx, s.Kube, dreq) // before a restart deletes the pod
	if n, err := s.applySteps(ctx, req, dreq.Namespace, steps, conv); err != nil {
		return s.planStopped(ctx, req, dreq, steps, n, err, conv)
	}
	if req.DryRun {
		return nil
	}
	if err := conv.CloseOffers(ctx, "fix it applied: "+stepList(steps)); err != nil {
		s.Logger.Warn("removing the buttons", "err", err)
	}
	if !s.Follow.Off {
		s.afterFix(dreq, owner, conv)
	}
	return nil
}

// resumeOrOpen continues the clicked thread, or opens one for a typed request.
func (s *Service) resumeOrOpen(ctx context.Context, out Output, kind, target string) (Conversation, error) {
	if conv, ok := out.Resume(ctx); ok {
		return conv, nil
	}
	conv, err := out.Open(ctx, kind, target)
	if err != nil {
		return nil, fmt.Errorf("opening the conversation: %w", err)
	}
	return conv, nil
}

// confirmedPlan is the plan of a fresh report when every step of it was
// confirmed; otherwise it says why the plan does not apply.
func confirmedPlan(rep *diagnose.Report, confirmed []diagnose.Action) ([]diagnose.Remedy, string) {
	steps := Plan(rep)
	if steps == nil {
		return nil, "fix it is no longer needed as planned: " + headline(rep)
	}
	for _, r := range steps {
		if !slices.Contains(confirmed, r.Action) {
			return nil, fmt.Sprintf("fix it was not applied: the plan now needs %s, which was not confirmed (plan: %s)", r.Action, stepList(steps))
		}
	}
	return steps, ""
}

// planRefused closes the clicked offers, says why, and offers what the
// fresh diagnosis calls for.
func (s *Service) planRefused(ctx context.Context, why string, rep *diagnose.Report, conv Conversation) error {
	_ = conv.CloseOffers(ctx, why)
	if err := conv.Note(ctx, why); err != nil {
		return err
	}
	if rep.RootCause == nil || rep.RootCause.ID == diagnose.PodNotFound {
		return nil
	}
	return conv.Verdict(ctx, rep, s.Offers(rep))
}

// applySteps applies steps in order in namespace ns, each checked again by
// its fixer and audited; it returns how many were applied, and the error
// of the first that failed.
func (s *Service) applySteps(ctx context.Context, req Request, ns string, steps []diagnose.Remedy, conv Conversation) (int, error) {
	for i, r := range steps {
		res, err := s.Fixes.Apply(ctx, fix.Request{Action: r.Action, Namespace: ns, Args: r.Args, Actor: req.User, DryRun: req.DryRun})
		if err != nil {
			return i, err
		}
		if err := conv.Audit(ctx, req.User, res); err != nil {
			s.Logger.Warn("posting the audit", "err", err)
		}
	}
	return len(steps), nil
}

// planStopped reports a plan that stopped at step n (from 0): what was
// applied and what was not, and why. When nothing was applied the button
// may be used again; otherwise its message is closed and the thread gets a
// fresh verdict to go on from. err goes back to the clicker, privately.
func (s *Service) planStopped(ctx context.Context, req Request, dreq diagnose.Request, steps []diagnose.Remedy, n int, err error, conv Conversation) error {
	why := "pullcheck hit an internal error (the reference was sent to whoever clicked)"
	var ue UserError
	if errors.As(err, &ue) {
		why = ue.UserMessage()
	} else if errors.Is(err, context.DeadlineExceeded) {
		why = "the request ran out of time"
	}
	note := fmt.Sprintf("fix it stopped at step %d of %d (%s): %s", n+1, len(steps), steps[n].Action, why)
	if n == 0 {
		s.releaseClick(context.WithoutCancel(ctx), req)
		_ = conv.Note(ctx, note+". Nothing was applied.")
		return err
	}
	_ = conv.Note(ctx, fmt.Sprintf("%s. Applied: %s. Not applied: %s.", note, stepList(steps[:n]), stepList(steps[n:])))
	_ = conv.CloseOffers(ctx, fmt.Sprintf("fix it stopped at %s", steps[n].Action))
	if ctx.Err() != nil {
		return err
	}
	if rep := s.diagnose(ctx, dreq); rep.RootCause != nil && rep.RootCause.ID != diagnose.PodNotFound {
		_ = conv.Verdict(ctx, rep, s.Offers(rep))
	}
	return err
}

// stepList names steps in order: "copy-pull-secret → restart-pod".
func stepList(steps []diagnose.Remedy) string {
	names := make([]string, len(steps))
	for i, r := range steps {
		names[i] = string(r.Action)
	}
	return strings.Join(names, " → ")
}
