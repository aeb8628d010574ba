package diagnose

import (
	"context"
	"fmt"
)

// checkSecretStale: a namespace's all-icr-io copy should match
// default/all-icr-io; a difference means the key was rotated after the copy
// (see JudgeSetup).
func checkSecretStale(ctx context.Context, t *Target) (Result, error) {
	ns := t.Request.Namespace
	if ns == "default" {
		return Result{}, skip("the pod runs in default, which holds the original")
	}
	j, err := t.judgeSetup(ctx)
	if err != nil {
		return Result{}, err
	}
	cp, orig := j.facts.Copy, j.facts.Original
	switch {
	case !cp.Exists:
		return Result{}, skip("%s has no %s copy", ns, ClusterPullSecretName)
	case !orig.Exists:
		return Result{}, skip("default has no %s", ClusterPullSecretName)
	}
	facts := []Fact{fact(ns+"/"+ClusterPullSecretName, "%s (managed by pullcheck: %t)", cp.Hash, cp.Managed),
		fact("default/"+ClusterPullSecretName, "%s", orig.Hash)}
	p, ok := j.problem(PullSecretStale)
	if !ok {
		return pass(fmt.Sprintf("%s/%s matches default", ns, ClusterPullSecretName), facts...)
	}
	res, _ := warn(fmt.Sprintf("%s/%s differs from default/%s (key rotated after the copy?)", ns, ClusterPullSecretName, ClusterPullSecretName), facts...)
	res.Remedies = p.Remedies
	return res, nil
}
