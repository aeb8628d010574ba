package diagnose

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// errImageNeverPull is the kubelet's waiting reason for a container whose
// imagePullPolicy is Never and whose image is not on the node.
const errImageNeverPull = "ErrImageNeverPull"

// checkPullPolicyNever: with imagePullPolicy Never the kubelet never asks
// the registry; an image that is not on the node stays missing, whatever the
// pull secrets say.
func checkPullPolicyNever(ctx context.Context, t *Target) (Result, error) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return Result{}, err
	}
	c := pf.container
	for _, f := range pf.failing {
		if f.Reason == errImageNeverPull {
			c = f
			break
		}
	}
	policy := c.PullPolicy
	if policy == "" {
		policy = "default"
	}
	if c.Reason != errImageNeverPull {
		return pass(fmt.Sprintf("%s %s may pull its image (imagePullPolicy %s)", c.Kind, c.Name, policy))
	}
	facts := []Fact{fact("image", "%s", c.Image), fact("imagePullPolicy", "%s", corev1.PullNever)}
	facts = append(facts, t.kubeletEvidence(ctx, c)...)
	fix := manualRemedy("Let the kubelet pull the image", "Sets imagePullPolicy IfNotPresent, so a node without the image pulls it.",
		fmt.Sprintf(`kubectl patch -n %s deployment/<name> --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/<index>/imagePullPolicy","value":"IfNotPresent"}]'`, t.Request.Namespace))
	return fail(fmt.Sprintf("%s %s has imagePullPolicy Never and its image is not on node %s", c.Kind, c.Name, orNone(pf.pod.Spec.NodeName)),
		[]Remedy{fix}, facts...)
}
