package diagnose

import (
	"context"
	"fmt"
	"time"
)

// checkAPIKeyDisabled: the key's details must not say disabled or expired.
func checkAPIKeyDisabled(ctx context.Context, t *Target) (Result, error) {
	kf, err := t.keyDetails(ctx)
	if err != nil {
		return Result{}, err
	}
	if kf.notFound {
		return Result{}, skip("IAM does not know the API key")
	}
	facts := []Fact{fact("key", "%s (%s)", kf.ID, kf.Name), fact("iam_id", "%s", kf.IAMID), fact("account", "%s", kf.AccountID)}
	now := t.e.opts.Now()
	switch {
	case kf.Disabled:
		return fail(fmt.Sprintf("API key %s is disabled", kf.Name), keyRemedies(ctx, t, credentialOrNil(ctx, t)), facts...)
	case kf.ExpiresAt != nil && !kf.ExpiresAt.After(now):
		facts = append(facts, fact("expires_at", "%s", kf.ExpiresAt.UTC().Format(time.RFC3339)))
		return fail(fmt.Sprintf("API key %s expired on %s", kf.Name, kf.ExpiresAt.UTC().Format("2006-01-02")),
			keyRemedies(ctx, t, credentialOrNil(ctx, t)), facts...)
	case kf.ExpiresAt != nil:
		facts = append(facts, fact("expires_at", "%s", kf.ExpiresAt.UTC().Format(time.RFC3339)))
	}
	return pass(fmt.Sprintf("API key %s is enabled", kf.Name), facts...)
}

func credentialOrNil(ctx context.Context, t *Target) *credentialFacts {
	cf, _ := t.credential(ctx)
	return cf
}
