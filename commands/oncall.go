package commands

import (
	"context"
	"fmt"
)

// authoriseFix reports whether user may change the cluster: pullcheck does
// not run read-only and user is on call. When not, it has told user why.
func (s *Service) authoriseFix(ctx context.Context, user string, out Output) (bool, error) {
	if s.ReadOnly {
		return false, s.private(ctx, out, RefusalReply, "pullcheck runs read-only here: fixes are disabled")
	}
	return s.authoriseOnCall(ctx, user, "apply fixes", out)
}

// authoriseOnCall reports whether user is on call; when not, it has told
// user that only on-call may do what (a verb phrase: "apply fixes").
func (s *Service) authoriseOnCall(ctx context.Context, user, what string, out Output) (bool, error) {
	ok, err := s.mayFix(ctx, user)
	if ok {
		return true, nil
	}
	msg := fmt.Sprintf("only on-call engineers may %s; anyone may diagnose", what)
	if s.Auth == nil || !s.Auth.Configured() {
		msg = fmt.Sprintf("no on-call engineers are configured (PULLCHECK_ONCALL_USERS or PULLCHECK_ONCALL_GROUPS), so nobody may %s", what)
	} else if err != nil {
		s.Logger.Warn("reading on-call groups", "err", err)
	}
	return false, s.private(ctx, out, RefusalReply, msg)
}

// claimClick records req's user as the one applying the clicked button, so
// that a double click applies once. When someone claimed it first, it tells
// the user who, and reports false. Typed requests claim nothing.
func (s *Service) claimClick(ctx context.Context, req Request, out Output) (bool, error) {
	if req.Claim == "" {
		return true, nil
	}
	by, ok, err := s.claims().Claim(ctx, req.Claim, req.User)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, out.Private(ctx, Private{Kind: InfoReply, Text: "this fix was already applied (or is being applied)", By: by})
	}
	return true, nil
}

// releaseClick forgets the claim of a click that changed nothing, so that
// the button may be used again.
func (s *Service) releaseClick(ctx context.Context, req Request) {
	if req.Claim == "" {
		return
	}
	ctx, cancel := replyContext(ctx) // also when the request ran out of time
	defer cancel()
	if err := s.claims().Release(ctx, req.Claim); err != nil {
		s.Logger.Warn("releasing a claim", "err", err)
	}
}
