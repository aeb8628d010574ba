package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/icr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkSecretRegistry: some pull secret must hold credentials for the
// image's registry host (a de.icr.io secret does not cover us.icr.io).
func checkSecretRegistry(ctx context.Context, t *Target) (Result, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	cf, err := t.credential(ctx)
	if err != nil {
		return Result{}, err
	}
	host := ref.Context().RegistryStr()
	if cf.found {
		return pass(fmt.Sprintf("secret %s has credentials for %s", cf.secret, host), fact("entry", "%s", cf.cred.Key))
	}
	if len(cf.hosts) == 0 {
		return Result{}, skip("no usable pull secret is listed")
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	switch rf.Problem {
	case registry.ProblemUnreachable:
		return Result{}, skip("the registry is unreachable, so whether it needs credentials is unknown")
	case registry.ProblemUnauthorized, registry.ProblemDenied, registry.ProblemLoginRefused:
	default:
		if !icr.IsRegistry(host) {
			return pass(fmt.Sprintf("no pull secret covers %s, and it serves the image without credentials", host))
		}
	}
	var remedies []Remedy
	if icr.IsRegistry(host) {
		ns := t.Request.Namespace
		s, _ := t.setup(ctx)
		if s != nil && s.nsCopy.missing && ns != "default" {
			remedies = append(remedies, copySecretRemedy(ns, ClusterPullSecretName))
		}
		remedies = append(remedies, manualRemedy("Use "+ClusterPullSecretName+", which covers every icr.io domain",
			"Lists all-icr-io in the workload's pod template.",
			fmt.Sprintf(`kubectl patch -n %s deployment/<name> --type=json -p '[{"op":"add","path":"/spec/template/spec/imagePullSecrets/-","value":{"name":"%s"}}]'`, ns, ClusterPullSecretName)))
	}
	return fail(fmt.Sprintf("no pull secret has credentials for %s", host), remedies,
		fact("secrets cover", "%s", strings.Join(cf.hosts, ", ")), fact("image registry", "%s", host))
}
