package diagnose

import (
	"context"
	"fmt"
)

// checkWorkloadReference: a workload whose pod template lists no pull secret
// depends on its service account; worth knowing, not a failure.
func checkWorkloadReference(ctx context.Context, t *Target) (Result, error) {
	of, err := t.owner(ctx)
	if err != nil {
		return Result{}, err
	}
	if !of.hasTemplate {
		return Result{}, skip("the pod has no owning workload")
	}
	w := fmt.Sprintf("%s %s", of.kind, of.name)
	if len(of.templateSecrets) > 0 {
		return pass(w+" lists its pull secrets", fact("imagePullSecrets", "%s", joinOrNone(of.templateSecrets)))
	}
	sa, err := t.serviceAccount(ctx)
	if err != nil {
		return Result{}, err
	}
	return warn(fmt.Sprintf("%s lists no pull secret; it relies on service account %s", w, sa.name))
}
