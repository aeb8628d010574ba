package diagnose

import (
	"context"
	"fmt"
)

// checkServiceAccountPatched: a pod that lists no pull secret gets them from
// its service account, which must list the namespace's all-icr-io (see
// JudgeSetup).
func checkServiceAccountPatched(ctx context.Context, t *Target) (Result, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return Result{}, err
	}
	j, err := t.judgeSetup(ctx)
	if err != nil {
		return Result{}, err
	}
	ns, sa := t.Request.Namespace, j.sa
	if p, ok := j.problem(ServiceAccountNotPatched); ok {
		remedies := append(p.Remedies, t.restartRemedies(ctx)...)
		return fail(fmt.Sprintf("service account %s does not list %s, and the pod lists no pull secret", sa.name, ClusterPullSecretName),
			remedies, fact("service account "+sa.name, "imagePullSecrets: none"), fact(ns+"/"+ClusterPullSecretName, "%s", j.facts.Copy.Hash))
	}
	switch {
	case len(j.podSecrets) > 0:
		return Result{}, skip("the pod lists its pull secrets itself")
	case !j.facts.Copy.Exists:
		return Result{}, skip("%s has no %s yet", ns, ClusterPullSecretName)
	case sa.missing:
		return Result{}, skip("service account %s does not exist", sa.name)
	}
	return pass(fmt.Sprintf("service account %s lists %s", sa.name, joinOrNone(sa.secrets)))
}
