package diagnose

import (
	"context"
	"errors"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// checkPodNotFound: the pod (and the requested container) must exist.
func checkPodNotFound(ctx context.Context, t *Target) (Result, error) {
	pf, err := t.pod.get(func() (*podFacts, error) { return t.loadPod(ctx) })
	switch {
	case apierrors.IsNotFound(err) && t.Request.Preflight():
		return fail("namespace "+t.Request.Namespace+" does not exist", nil)
	case apierrors.IsNotFound(err):
		if af, aerr := t.admission(ctx); aerr == nil && len(af.denials) > 0 {
			d := af.denials[0]
			return warn("pod "+t.Request.String()+" does not exist: an admission webhook refuses its owner's pods (see image-admission-denied)",
				fact("namespace", "%s", t.Request.Namespace), fact("owner", "%s %s", d.ownerKind, d.owner))
		}
		return fail("pod "+t.Request.String()+" does not exist", nil, fact("namespace", "%s", t.Request.Namespace))
	case err != nil:
		return Result{}, err
	case pf == nil:
		return Result{}, errors.New("pod not read")
	case pf.missingContainer != "":
		var names []string
		for _, c := range containersOf(pf.pod) {
			names = append(names, c.Name)
		}
		return fail("pod "+t.Request.String()+" has no container "+pf.missingContainer, nil,
			fact("containers", "%s", strings.Join(names, ", ")))
	}
	if t.Request.Preflight() {
		return pass("preflight: a new pod in " + t.Request.Namespace + " with service account " + pf.pod.Spec.ServiceAccountName + ", pulling " + t.Request.Image)
	}
	return pass("pod "+t.Request.String()+" exists",
		fact("phase", "%s", pf.pod.Status.Phase), fact("node", "%s", orNone(pf.pod.Spec.NodeName)))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
