package diagnose

import (
	"context"
	"fmt"

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
		return fail(fmt.Sprintf("registry %s refused the login with secret %s", rf.ref, rf.secret), keyRemedies(ctx, t, cf),
			fact("registry", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200)))
	}
	return pass(fmt.Sprintf("registry %s accepted the login with secret %s", rf.ref, rf.secret))
}
