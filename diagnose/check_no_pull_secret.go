package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkNoPullSecret: neither the pod nor its service account lists a pull
// secret, and the registry refuses an anonymous pull.
func checkNoPullSecret(ctx context.Context, t *Target) (Result, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(s.podSecrets) > 0 || len(s.sa.secrets) > 0 {
		return pass("pull secrets are listed", fact("pod", "%s", joinOrNone(s.podSecrets)), fact("service account "+s.sa.name, "%s", joinOrNone(s.sa.secrets)))
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	switch rf.Problem {
	case registry.ProblemUnauthorized, registry.ProblemDenied, registry.ProblemLoginRefused:
	case registry.ProblemUnreachable:
		return Result{}, fmt.Errorf("the registry is unreachable, so whether the image needs a pull secret is unknown")
	default:
		return pass("no pull secret is listed, and the registry serves the image without one")
	}
	ns := t.Request.Namespace
	var remedies []Remedy
	_, _, notICR := t.icrImage(ctx)
	switch {
	case notICR != nil:
		remedies = append(remedies, manualRemedy("Create a pull secret for "+rf.ref, "Creates a pull secret and adds it to the service account.",
			fmt.Sprintf("kubectl create secret docker-registry regcred -n %s --docker-server=%s --docker-username=<user> --docker-password=<password> && kubectl patch -n %s serviceaccount/%s -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}'", ns, rf.ref, ns, s.sa.name)))
	default:
		if d, err := t.defaultSecrets(ctx); err == nil && !d.all.missing && ns != "default" && s.nsCopy.missing {
			remedies = append(remedies, copySecretRemedy(ns, ClusterPullSecretName))
		}
		remedies = append(remedies, patchSARemedy(ns, s.sa.name, ClusterPullSecretName))
	}
	remedies = append(remedies, t.restartRemedies(ctx)...)
	return fail("the image is private and neither the pod nor its service account lists a pull secret", remedies,
		fact("registry", "anonymous pull refused (%s %s)", rf.Code, truncate(rf.Message, 200)))
}
