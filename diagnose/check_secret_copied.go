package diagnose

import (
	"context"
	"fmt"
)

// checkSecretCopied: a pod relying on the standard setup outside default
// needs the namespace's own all-icr-io copy.
func checkSecretCopied(ctx context.Context, t *Target) (Result, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return Result{}, err
	}
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	ns := t.Request.Namespace
	switch {
	case !s.standard:
		return Result{}, skip("the pod uses its own pull secrets")
	case ns == "default":
		return pass("the pod runs in default, where " + ClusterPullSecretName + " lives")
	case !s.nsCopy.missing:
		return pass(fmt.Sprintf("%s/%s exists", ns, ClusterPullSecretName), fact("content", "%s", s.nsCopy.hash))
	}
	d, err := t.defaultSecrets(ctx)
	if err != nil {
		return Result{}, err
	}
	if d.all.missing {
		return Result{}, skip("default has no %s to copy", ClusterPullSecretName)
	}
	remedies := []Remedy{copySecretRemedy(ns, ClusterPullSecretName)}
	if len(s.podSecrets) == 0 && !contains(s.sa.secrets, ClusterPullSecretName) {
		remedies = append(remedies, patchSARemedy(ns, s.sa.name, ClusterPullSecretName))
		remedies = append(remedies, t.restartRemedies(ctx)...)
	}
	return fail(fmt.Sprintf("namespace %s has no %s copy; default has one", ns, ClusterPullSecretName), remedies,
		fact("default/"+ClusterPullSecretName, "%s", d.all.hash), fact("pod lists", "%s", joinOrNone(s.podSecrets)))
}
