package diagnose

import (
	"context"
	"fmt"
)

// checkSecretStale: a namespace's all-icr-io copy should match
// default/all-icr-io; a difference means the key was rotated after the copy.
func checkSecretStale(ctx context.Context, t *Target) (Result, error) {
	ns := t.Request.Namespace
	if ns == "default" {
		return Result{}, skip("the pod runs in default, which holds the original")
	}
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	if s.nsCopy.missing {
		return Result{}, skip("%s has no %s copy", ns, ClusterPullSecretName)
	}
	d, err := t.defaultSecrets(ctx)
	if err != nil {
		return Result{}, err
	}
	if d.all.missing {
		return Result{}, skip("default has no %s", ClusterPullSecretName)
	}
	facts := []Fact{fact(ns+"/"+ClusterPullSecretName, "%s (managed by pullcheck: %t)", s.nsCopy.hash, s.nsCopy.managed),
		fact("default/"+ClusterPullSecretName, "%s", d.all.hash)}
	if s.nsCopy.hash == d.all.hash {
		return pass(fmt.Sprintf("%s/%s matches default", ns, ClusterPullSecretName), facts...)
	}
	res, _ := warn(fmt.Sprintf("%s/%s differs from default/%s (key rotated after the copy?)", ns, ClusterPullSecretName, ClusterPullSecretName), facts...)
	if s.nsCopy.managed {
		res.Remedies = []Remedy{syncSecretRemedy(ns)}
		return res, nil
	}
	res.Remedies = []Remedy{manualRemedy("Replace the copy with default's", "pullcheck only refreshes copies it made; this one was made by hand.",
		syncSecretRemedy(ns).Manual)}
	return res, nil
}
