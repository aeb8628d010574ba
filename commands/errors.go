package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// UserError is an error that may be shown to users: UserMessage says what
// went wrong without anything secret or internal. An error that does not
// implement it (anywhere in its chain) reaches users as a reference to a
// log line only.
type UserError interface {
	error
	UserMessage() string
}

// The errors users may see; ibmcloud.ErrNoBotKey is one too.
var (
	_ UserError = (*UsageError)(nil)
	_ UserError = (*refusal)(nil)
	_ UserError = (*timeoutError)(nil)
	_ UserError = (*fix.PreconditionError)(nil)
	_ UserError = (*ibmcloud.PermissionError)(nil)
	_ UserError = (*ibmcloud.KeyRejectedError)(nil)
	_ UserError = (*ibmcloud.UnreachableError)(nil)
	_ UserError = (*ibmcloud.NotFoundError)(nil)
	_ UserError = (*ibmcloud.APIError)(nil)
)

// UserMessage returns Msg: it says what is wrong with the request.
func (e *UsageError) UserMessage() string { return e.Msg }

// refusal is a request pullcheck declines as it stands, having changed
// nothing: its message says why, and what to send instead.
type refusal struct{ msg string }

func refusef(format string, args ...any) error { return &refusal{msg: fmt.Sprintf(format, args...)} }

func (e *refusal) Error() string { return e.msg }

// UserMessage says why the request was declined.
func (e *refusal) UserMessage() string { return e.msg }

// timeoutError is a request that ran past its deadline.
type timeoutError struct{ err error }

func (e *timeoutError) Error() string { return "the request ran out of time: " + e.err.Error() }

func (e *timeoutError) Unwrap() error { return e.err }

func (e *timeoutError) UserMessage() string { return "the request took too long and was stopped" }

// fail tells the user about err: its UserMessage when it has one, else a
// reference to the log line that holds the error.
func (s *Service) fail(ctx context.Context, out Output, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = &timeoutError{err: err}
	}
	var ue UserError
	if errors.As(err, &ue) {
		kind, r := FailureReply, (*refusal)(nil)
		if errors.As(err, &r) {
			kind = RefusalReply
		}
		_ = out.Private(ctx, Private{Kind: kind, Text: ue.UserMessage()})
		return err
	}
	ref := newRef()
	s.Logger.Error("request failed", "ref", ref, "err", err)
	_ = out.Private(ctx, Private{Kind: FailureReply, Text: "pullcheck hit an internal error", Ref: ref})
	return err
}
