package diagnose

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
	return fail("IAM refuses the pull secret's API key: it was deleted or is wrong", keyRemedies(ctx, t, cf), keyFact, iam)
}

// keyRemedies fixes a bad key: re-applying the cluster pull secret when the
// secret is the cluster's own, else replacing the key by hand.
func keyRemedies(ctx context.Context, t *Target, cf *credentialFacts) []Remedy {
	if cf != nil && (cf.secret == ClusterPullSecretName || strings.HasSuffix(cf.secret, "-icr-io")) {
		return []Remedy{applyClusterSecretRemedy(t.clusterID(ctx))}
	}
	name := "<secret>"
	if cf != nil {
		name = cf.secret
	}
	return []Remedy{manualRemedy("Put a valid API key in "+name, "Re-creates the pull secret with a new service ID API key.",
		fmt.Sprintf("ibmcloud iam service-api-key-create pull-key <service-id> && kubectl create secret docker-registry %s -n %s --docker-server=<region>.icr.io --docker-username=iamapikey --docker-password=<new key> --dry-run=client -o yaml | kubectl apply -f -", name, t.Request.Namespace))}
}
