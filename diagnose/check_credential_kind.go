package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/dockercfg"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// checkCredentialKind: icr.io logins are iamapikey (an API key, does not
// expire), iambearer / iamrefresh (tokens that expire) or token (registry
// tokens, discontinued on 19 August 2021).
func checkCredentialKind(ctx context.Context, t *Target) (Result, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	cf, err := t.credential(ctx)
	if err != nil {
		return Result{}, err
	}
	if !cf.found {
		return Result{}, skip("no credential for this registry")
	}
	src := fact("secret", "%s (entry %s)", cf.secret, cf.cred.Key)
	if !icr.IsRegistry(ref.Context().RegistryStr()) {
		return pass("credential for a registry outside IBM Cloud", src)
	}
	switch cf.cred.Username {
	case "iamapikey":
		return pass("the credential is an IAM API key", src, fact("key", "%s", dockercfg.Fingerprint(cf.cred.Password)))
	case "iambearer", "iamrefresh":
		return warn(fmt.Sprintf("the credential is an expiring IAM token (%s); use an API key", cf.cred.Username), src)
	case "token":
		return fail("the credential is a registry token, discontinued since 19 August 2021",
			[]Remedy{applyClusterSecretRemedy(t.clusterID(ctx))}, src)
	}
	return warn("the credential's username is not one icr.io accepts (iamapikey, iambearer, iamrefresh)", src)
}
