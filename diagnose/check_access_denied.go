package diagnose

import (
	"context"
	"fmt"
)

// checkAccessDenied: after a good login the registry must not deny the pull.
// The accounts, policies and private-only checks before it explain most
// denials; what is left (insufficient scope, context-based restrictions) is
// named here.
func checkAccessDenied(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	if !denied(rf) {
		return passOrSkipAfterRegistry(rf, "the registry did not deny the pull")
	}
	cbr := manualRemedy("Check context-based restrictions", "Lists the rules that may block pulls from this network.",
		"ibmcloud cbr rules --service-name container-registry")
	return fail(fmt.Sprintf("registry %s denied the pull after a good login", rf.ref), []Remedy{cbr},
		fact("registry", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200)))
}
