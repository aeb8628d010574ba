package diagnose

import (
	"context"
	"fmt"
)

// checkSecretMalformed: every existing listed secret must be a readable
// docker config (type, key, base64 and JSON).
func checkSecretMalformed(ctx context.Context, t *Target) (Result, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	var facts []Fact
	var bad *secretFacts
	for _, sf := range s.effective {
		if sf.missing {
			continue
		}
		if sf.malformed != nil {
			facts = append(facts, fact(sf.name, "%s (type %s)", sf.malformed.Reason, sf.typ))
			if bad == nil {
				bad = sf
			}
			continue
		}
		facts = append(facts, fact(sf.name, "valid %s", sf.typ))
	}
	switch {
	case len(facts) == 0:
		return Result{}, skip("no listed pull secret exists")
	case bad == nil:
		return pass("the pull secrets are well-formed", facts...)
	}
	ns := t.Request.Namespace
	recreate := manualRemedy("Re-create secret "+bad.name, "Replaces the secret with a valid kubernetes.io/dockerconfigjson secret.",
		fmt.Sprintf("kubectl delete secret -n %s %s && kubectl create secret docker-registry %s -n %s --docker-server=<region>.icr.io --docker-username=iamapikey --docker-password=<api key>", ns, bad.name, bad.name, ns))
	return fail(fmt.Sprintf("pull secret %s is malformed: %s", bad.name, bad.malformed.Reason), []Remedy{recreate}, facts...)
}
