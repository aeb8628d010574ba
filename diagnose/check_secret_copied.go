package diagnose

import (
	"context"
	"fmt"
)

// checkSecretCopied: a pod relying on the standard setup outside default
// needs the namespace's own all-icr-io copy (see JudgeSetup).
func checkSecretCopied(ctx context.Context, t *Target) (Result, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return Result{}, err
	}
	j, err := t.judgeSetup(ctx)
	if err != nil {
		return Result{}, err
	}
	ns := t.Request.Namespace
	if p, ok := j.problem(PullSecretNotCopied); ok {
		remedies := p.Remedies
		if _, patch := p.Remedy(PatchServiceAccount); patch {
			remedies = append(remedies, t.restartRemedies(ctx)...)
		}
		return fail(fmt.Sprintf("namespace %s has no %s copy; default has one", ns, ClusterPullSecretName), remedies,
			fact("default/"+ClusterPullSecretName, "%s", j.facts.Original.Hash), fact("pod lists", "%s", joinOrNone(j.podSecrets)))
	}
	switch {
	case !j.standard:
		return Result{}, skip("the pod uses its own pull secrets")
	case ns == "default":
		return pass("the pod runs in default, where " + ClusterPullSecretName + " lives")
	case j.facts.Copy.Exists:
		return pass(fmt.Sprintf("%s/%s exists", ns, ClusterPullSecretName), fact("content", "%s", j.facts.Copy.Hash))
	}
	return Result{}, skip("default has no %s to copy", ClusterPullSecretName)
}
