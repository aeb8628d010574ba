package diagnose

import (
	"context"
	"fmt"
	"strings"
)

// checkClusterPullSecret: default must hold all-icr-io (or legacy *-icr-io)
// for a pod that relies on the cluster's standard pull-secret setup.
func checkClusterPullSecret(ctx context.Context, t *Target) (Result, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return Result{}, err
	}
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	if !s.standard {
		return Result{}, skip("the pod uses its own pull secrets (%s)", strings.Join(s.podSecrets, ", "))
	}
	d, err := t.defaultSecrets(ctx)
	if err != nil {
		return Result{}, err
	}
	if !d.all.missing {
		return pass("default/"+ClusterPullSecretName+" exists", fact("content", "%s", d.all.hash))
	}
	if len(d.legacy) > 0 {
		return pass("default holds legacy pull secrets", fact("secrets", "%s", strings.Join(d.legacy, ", ")))
	}
	cs := t.clusterState(ctx)
	facts := []Fact{fact("default namespace", "no %s and no *-icr-io secret", ClusterPullSecretName)}
	switch {
	case cs.err != nil:
		facts = append(facts, fact("Kubernetes Service API", "%s", cs.err.Error()))
	case cs.cluster.PullSecretApplied != nil:
		facts = append(facts, fact("cluster "+cs.cluster.Name, "pullSecretApplied=%t", *cs.cluster.PullSecretApplied))
	}
	return fail(fmt.Sprintf("the cluster pull secret is missing: default has no %s", ClusterPullSecretName),
		[]Remedy{applyClusterSecretRemedy(cs.id)}, facts...)
}
