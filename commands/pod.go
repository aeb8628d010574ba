package commands

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/preflight"
)

// diagnosePod runs the chain on one pod in a new conversation: each check
// as it completes, the verdict, the root message.
func (s *Service) diagnosePod(ctx context.Context, req diagnose.Request, out Output) error {
	return s.converse(ctx, "pod", req.String(), out, func(emit func(diagnose.Result)) *diagnose.Report {
		return s.Engine.Diagnose(ctx, req, emit)
	})
}

// diagnoseImage asks whether a new pod in the command's namespace could
// pull its image, on any of the cluster's nodes: the preflight's one path,
// as "pullcheck preflight" takes it.
func (s *Service) diagnoseImage(ctx context.Context, cmd Command, out Output) error {
	subject := preflight.Subject{Namespace: cmd.Namespace, Image: cmd.Image}
	eng := s.Engine
	if s.ImageEngine != nil {
		eng = s.ImageEngine // an image a user typed: probed through the guarded prober
	}
	checker := preflight.NewChecker(eng, s.Kube)
	return s.converse(ctx, "image", subject.String(), out, func(emit func(diagnose.Result)) *diagnose.Report {
		return checker.Check(ctx, subject, emit)
	})
}

// converse opens a conversation about target, streams the diagnosis into
// it, then posts the verdict and finishes.
func (s *Service) converse(ctx context.Context, kind, target string, out Output, diagnosis func(emit func(diagnose.Result)) *diagnose.Report) error {
	conv, err := out.Open(ctx, kind, target)
	if err != nil {
		return fmt.Errorf("opening the conversation: %w", err)
	}
	rep := s.stream(ctx, conv, diagnosis)
	if err := conv.Verdict(ctx, rep, s.Offers(rep)); err != nil {
		return fmt.Errorf("posting the verdict: %w", err)
	}
	return conv.Finish(ctx, rep, "")
}

// stream runs a diagnosis, posting each result as a step.
func (s *Service) stream(ctx context.Context, conv Conversation, diagnosis func(emit func(diagnose.Result)) *diagnose.Report) *diagnose.Report {
	rep := diagnosis(func(r diagnose.Result) {
		if err := conv.Step(ctx, r); err != nil {
			s.Logger.Warn("posting a step", "finding", r.ID, "err", err)
		}
	})
	if s.OnReport != nil {
		s.OnReport(rep)
	}
	return rep
}

// Offers are the buttons for a report: Fix it when its remedies form a
// plan, the root cause's remedies that have a fixer that may apply them (no
// copy of a secret that is not a copy source), a refresh of a stale secret
// copy, and a rerun, as Allowed keeps them (read-only mode: only the
// rerun); preflights offer nothing.
func (s *Service) Offers(rep *diagnose.Report) []Offer {
	if rep.Request.Preflight() || rep.Request.Pod == "" {
		return nil
	}
	ref := ObjectRef{Namespace: rep.Request.Namespace, Name: rep.Request.Pod}
	rerun := Offer{Action: diagnose.Rerun, Title: "Run the diagnosis again", Value: Command{Verb: Pod, Ref: ref}.String()}
	var answers []diagnose.Result
	if rep.RootCause != nil {
		answers = append(answers, *rep.RootCause)
	}
	if stale, ok := rep.Result(diagnose.PullSecretStale); ok && stale.Status == diagnose.Warn {
		answers = append(answers, stale)
	}
	var offers []Offer
	for _, res := range answers {
		for _, r := range res.Remedies {
			if o, ok := s.offer(ref, res.ID, r); ok {
				offers = append(offers, o)
			}
		}
	}
	return s.Allowed(append(append(s.planOffer(rep), offers...), rerun))
}

// offer is the button of remedy r of finding id, when a fixer may apply it:
// its value names exactly that remedy (FixCommand).
func (s *Service) offer(ref ObjectRef, id diagnose.FindingID, r diagnose.Remedy) (Offer, bool) {
	if s.Fixes != nil && (!s.Fixes.Has(r.Action) || !s.Fixes.Permits(r.Action, r.Args)) {
		return Offer{}, false
	}
	cmd, ok := FixCommand(ref, id, r)
	if !ok {
		return Offer{}, false
	}
	o := Offer{Action: r.Action, Title: r.Title, Value: cmd.String(), Disruptive: r.Risk == diagnose.Disruptive}
	if o.Disruptive {
		o.Confirm = r.Effect
	}
	return o, true
}

// Allowed keeps the offers this service may show: all of them, or, when it
// runs read-only, only those that change nothing (run the diagnosis again).
// Every offer pullcheck posts passes through it, the sweeps' included, so
// that read-only mode is decided in one place.
func (s *Service) Allowed(offers []Offer) []Offer {
	if !s.ReadOnly {
		return offers
	}
	var kept []Offer
	for _, o := range offers {
		if o.Action == diagnose.Rerun {
			kept = append(kept, o)
		}
	}
	return kept
}
