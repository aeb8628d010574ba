package diagnose

import (
	"context"
	"fmt"
	"strings"
)

// checkSecretMissing: every listed pull secret must exist. A missing
// all-icr-io on an icr.io image is pull-secret-not-copied instead.
func checkSecretMissing(ctx context.Context, t *Target) (Result, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(s.effective) == 0 {
		return Result{}, skip("no pull secret is listed")
	}
	_, _, notICR := t.icrImage(ctx)
	var missing []string
	for _, sf := range s.effective {
		if sf.missing && (notICR != nil || sf.name != ClusterPullSecretName) {
			missing = append(missing, sf.name)
		}
	}
	if len(missing) == 0 {
		return pass(fmt.Sprintf("the %s's pull secrets exist", s.source), fact("secrets", "%s", names(s.effective)))
	}
	ns := t.Request.Namespace
	var remedies []Remedy
	for _, m := range missing {
		if src, err := t.secret(ctx, "default", m); err == nil && !src.missing && ns != "default" {
			remedies = append(remedies, copySecretRemedy(ns, m))
		}
	}
	if len(remedies) == 0 && notICR == nil {
		remedies = append(remedies, copySecretRemedy(ns, ClusterPullSecretName),
			manualRemedy("Point the workload at "+ClusterPullSecretName, "Replaces the missing secret in the pod template.",
				fmt.Sprintf(`kubectl patch -n %s deployment/<name> -p '{"spec":{"template":{"spec":{"imagePullSecrets":[{"name":"%s"}]}}}}'`, ns, ClusterPullSecretName)))
	}
	return fail(fmt.Sprintf("the %s lists pull secret %s, which does not exist in %s", s.source, strings.Join(missing, ", "), ns),
		remedies, fact("listed", "%s", names(s.effective)))
}

func names(sfs []*secretFacts) string {
	var out []string
	for _, sf := range sfs {
		out = append(out, sf.name)
	}
	return joinOrNone(out)
}
