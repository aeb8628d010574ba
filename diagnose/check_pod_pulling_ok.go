package diagnose

import (
	"context"
	"fmt"
)

// checkPodPullingOK: no container waits with a pull failure. A failing pod is
// a warning here (the symptom); the chain names its cause.
func checkPodPullingOK(ctx context.Context, t *Target) (Result, error) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(pf.failing) == 0 {
		res, _ := pass(fmt.Sprintf("no container is failing to pull its image (checked %s %s)", pf.container.Kind, pf.container.Name),
			fact("image", "%s", pf.container.Image))
		res.Remedies = []Remedy{rerunRemedy(t.Request)}
		return res, nil
	}
	c := pf.failing[0]
	facts := []Fact{fact("image", "%s", c.Image)}
	for _, f := range pf.failing {
		facts = append(facts, fact(f.Kind+" "+f.Name, "%s", f.Reason))
	}
	facts = append(facts, t.kubeletEvidence(ctx, c)...)
	return warn(fmt.Sprintf("%s %s cannot pull its image (%s)", c.Kind, c.Name, c.Reason), facts...)
}
