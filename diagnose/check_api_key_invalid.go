package diagnose

import (
	"context"
	"errors"

	"github.com/pullcheck/pullcheck/diagnose/dockercfg"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// checkAPIKeyInvalid: IAM must exchange the secret's API key for a token; a
// deleted or mistyped key is refused (BXNIM0415E).
func checkAPIKeyInvalid(ctx context.Context, t *Target) (Result, error) {
	key, err := t.apiKey(ctx)
	if err != nil {
		return Result{}, err
	}
	keyFact := fact("key", "%s", dockercfg.Fingerprint(key))
	err = t.keyExchange(ctx)
	var rej *ibmcloud.KeyRejectedError
	switch {
	case err == nil:
		return pass("IAM accepts the API key", keyFact)
	case !errors.As(err, &rej):
		return Result{}, t.ibmError(err, "exchange the pull secret's API key")
	}
	iam := fact("IAM", "HTTP %d %s %s", rej.Status, rej.Code, rej.Message)
	if kf, derr := t.keyDetails(ctx); derr == nil && !kf.notFound {
		return pass("the API key exists; IAM refuses it for another reason (see api-key-disabled)", keyFact, iam)
	}
	cf, _ := t.credential(ctx)
	facts := []Fact{keyFact, iam}
	if rf, err := t.registryProbe(ctx); err == nil {
		facts = append(facts, rf.failedAttempts()...)
	}
	return fail("IAM refuses the pull secret's API key: it was deleted or is wrong", keyRemedies(ctx, t, cf), facts...)
}
