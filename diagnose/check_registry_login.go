package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkRegistryLogin: the registry's token endpoint must accept the
// credential (docker login).
func checkRegistryLogin(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	switch {
	case rf.Anonymous:
		return Result{}, skip("no credential was sent")
	case rf.Problem == registry.ProblemUnreachable:
		return Result{}, skip("the registry is unreachable")
	case rf.Problem == registry.ProblemLoginRefused, rf.Problem == registry.ProblemUnsupportedAuth,
		rf.Problem == registry.ProblemUnauthorized && !denied(rf):
		cf, _ := t.credential(ctx)
		facts := append([]Fact{fact("registry", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200))}, rf.failedAttempts()...)
		return fail(fmt.Sprintf("registry %s refused the login with secret %s", rf.ref, rf.secret), keyRemedies(ctx, t, cf), facts...)
	}
	if refused := refusedBefore(rf); len(refused) > 0 {
		return warn(fmt.Sprintf("registry %s accepted the login with secret %s; the kubelet tries %s first, which the registry refuses",
			rf.ref, rf.secret, strings.Join(refused, ", ")), rf.failedAttempts()...)
	}
	return pass(fmt.Sprintf("registry %s accepted the login with secret %s", rf.ref, rf.secret))
}

// refusedBefore names the secrets whose credentials the kubelet tries before
// the one that works and that the registry refuses: dead weight that slows
// every pull, not the cause of a failure.
func refusedBefore(rf *registryFacts) []string {
	var out []string
	for _, a := range rf.attempts {
		if a.try == rf.chosen {
			break
		}
		if p := a.out.Problem; p == registry.ProblemLoginRefused || p == registry.ProblemUnsupportedAuth || p == registry.ProblemUnauthorized {
			out = append(out, a.try.secret)
		}
	}
	return out
}
