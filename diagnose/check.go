package diagnose

import (
	"context"
	"errors"
	"fmt"
)

// Check decides one finding. An error means "could not decide" and is
// reported as inconclusive with the error's (user-safe) text; a diagnosed
// problem is a Fail result, never an error.
type Check interface {
	ID() FindingID
	Run(ctx context.Context, t *Target) (Result, error)
}

// checkFunc adapts a function to Check.
type checkFunc struct {
	id  FindingID
	run func(ctx context.Context, t *Target) (Result, error)
}

func (c checkFunc) ID() FindingID { return c.id }

func (c checkFunc) Run(ctx context.Context, t *Target) (Result, error) { return c.run(ctx, t) }

// skipped is returned by probes and checks when a finding does not apply.
type skipped struct{ reason string }

func (s *skipped) Error() string { return s.reason }

func skip(format string, args ...any) error { return &skipped{reason: fmt.Sprintf(format, args...)} }

func isSkip(err error) bool {
	var sk *skipped
	return errors.As(err, &sk)
}

// outcome turns what a check returned into its Result.
func outcome(id FindingID, res Result, err error) Result {
	var sk *skipped
	switch {
	case errors.As(err, &sk):
		return Result{ID: id, Status: Skip, Summary: sk.reason}
	case err != nil:
		return Result{ID: id, Status: Inconclusive, Summary: "could not decide: " + err.Error()}
	}
	res.ID = id
	return res
}

func pass(summary string, facts ...Fact) (Result, error) {
	return Result{Status: Pass, Summary: summary, Evidence: facts}, nil
}

func warn(summary string, facts ...Fact) (Result, error) {
	return Result{Status: Warn, Summary: summary, Evidence: facts}, nil
}

func fail(summary string, remedies []Remedy, facts ...Fact) (Result, error) {
	return Result{Status: Fail, Summary: summary, Evidence: facts, Remedies: remedies}, nil
}

func fact(name, format string, args ...any) Fact {
	return Fact{Name: name, Value: fmt.Sprintf(format, args...)}
}
