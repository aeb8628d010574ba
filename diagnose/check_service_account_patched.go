package diagnose

import (
	"context"
	"fmt"
)

// checkServiceAccountPatched: a pod that lists no pull secret gets them from
// its service account, which must list the namespace's all-icr-io.
func checkServiceAccountPatched(ctx context.Context, t *Target) (Result, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return Result{}, err
	}
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	ns, sa := t.Request.Namespace, s.sa
	switch {
	case len(s.podSecrets) > 0:
		return Result{}, skip("the pod lists its pull secrets itself")
	case s.nsCopy.missing:
		return Result{}, skip("%s has no %s yet", ns, ClusterPullSecretName)
	case sa.missing:
		return Result{}, skip("service account %s does not exist", sa.name)
	case len(sa.secrets) > 0:
		return pass(fmt.Sprintf("service account %s lists %s", sa.name, joinOrNone(sa.secrets)))
	}
	remedies := []Remedy{patchSARemedy(ns, sa.name, ClusterPullSecretName)}
	remedies = append(remedies, t.restartRemedies(ctx)...)
	return fail(fmt.Sprintf("service account %s does not list %s, and the pod lists no pull secret", sa.name, ClusterPullSecretName),
		remedies, fact("service account "+sa.name, "imagePullSecrets: none"), fact(ns+"/"+ClusterPullSecretName, "%s", s.nsCopy.hash))
}
