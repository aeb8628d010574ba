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
	if t.inOtherRegion(ctx) {
		return Result{}, skip("the registry namespace is not in the image's region (see image-in-other-region)")
	}
	if err := t.iamExplainsDenial(ctx); err != nil {
		return Result{}, err
	}
	cbr := manualRemedy("Check context-based restrictions", "Lists the rules that may block pulls from this network.",
		"ibmcloud cbr rules --service-name container-registry")
	return fail(fmt.Sprintf("registry %s denied the pull after a good login", rf.ref), []Remedy{cbr},
		fact("registry", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200)))
}

// iamExplainsDenial returns an error when the account and policy checks
// before this one could not decide: then a denial is not "unexplained".
func (t *Target) iamExplainsDenial(ctx context.Context) error {
	if _, err := t.apiKey(ctx); err != nil {
		return nil // not an IAM key: IAM cannot explain it either way
	}
	if _, err := t.ownerAccount(ctx); err != nil && !isSkip(err) {
		return fmt.Errorf("cannot tell whether the namespace's account explains the denial: %w", err)
	}
	if _, err := t.pullAccess(ctx); err != nil && !isSkip(err) {
		return fmt.Errorf("cannot tell whether IAM policies explain the denial: %w", err)
	}
	return nil
}
