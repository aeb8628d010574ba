package diagnose

import (
	"context"
	"fmt"
)

// checkPodPredatesPatch: pods get their service account's pull secrets only
// when they are created; a pod older than the patch lists none.
func checkPodPredatesPatch(ctx context.Context, t *Target) (Result, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	switch {
	case len(s.podSecrets) > 0:
		return Result{}, skip("the pod lists its pull secrets itself")
	case s.sa.missing:
		return Result{}, skip("service account %s does not exist", s.sa.name)
	case len(s.sa.secrets) == 0:
		return pass(fmt.Sprintf("service account %s lists no pull secret either", s.sa.name))
	}
	if _, err := t.owner(ctx); err != nil {
		return Result{}, err
	}
	remedies := t.restartRemedies(ctx)
	if len(remedies) == 0 {
		remedies = append(remedies, manualRemedy("Re-create the pod", "A bare pod has no controller to re-create it; re-create it from its manifest.",
			fmt.Sprintf("kubectl get pod -n %s %s -o yaml > pod.yaml && kubectl replace --force -f pod.yaml", t.Request.Namespace, t.Request.Pod)))
	}
	return fail(fmt.Sprintf("service account %s lists %s, but the pod was created before and lists none", s.sa.name, joinOrNone(s.sa.secrets)),
		remedies, fact("pod imagePullSecrets", "none"), fact("service account "+s.sa.name, "%s", joinOrNone(s.sa.secrets)))
}
