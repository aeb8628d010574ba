package diagnose

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
)

// checkImageReference: the image string must parse as a reference.
func checkImageReference(ctx context.Context, t *Target) (Result, error) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return Result{}, err
	}
	c := pf.container
	fix := manualRemedy("Fix the image in the workload spec", "Sets a valid image reference on the container.",
		fmt.Sprintf("kubectl set image -n %s <deployment|statefulset|daemonset>/<name> %s=<registry>/<namespace>/<repository>:<tag>", t.Request.Namespace, c.Name))
	ref, perr := name.ParseReference(c.Image)
	if perr != nil || c.Reason == "InvalidImageName" {
		facts := []Fact{fact("image", "%q", c.Image)}
		if perr != nil {
			facts = append(facts, fact("parse error", "%s", perr.Error()))
		}
		facts = append(facts, t.kubeletEvidence(ctx, c)...)
		return fail(fmt.Sprintf("image %q of %s %s is not a valid reference", c.Image, c.Kind, c.Name), []Remedy{fix}, facts...)
	}
	return pass("image reference is valid", fact("image", "%s", ref.Name()), fact("registry", "%s", ref.Context().RegistryStr()))
}
