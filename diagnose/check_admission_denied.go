package diagnose

import (
	"context"
	"fmt"
	"strings"
)

// checkAdmissionDenied: an admission webhook (Portieris' image policies,
// Kyverno, Gatekeeper) may refuse the pods of a workload, so that no pod
// exists to fail a pull. It looks only when the pod is missing.
func checkAdmissionDenied(ctx context.Context, t *Target) (Result, error) {
	if t.Request.Preflight() {
		return Result{}, skip("a preflight creates no pod")
	}
	if _, err := t.podFacts(ctx); err == nil {
		return pass("the pod exists: admission let it in")
	}
	af, err := t.admission(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(af.denials) == 0 {
		return pass("no admission webhook refused the pod's owner (no FailedCreate events)")
	}
	d := af.denials[0]
	facts := []Fact{fact(d.ownerKind+" "+d.owner, "FailedCreate %d×, last %s", d.count, d.last.UTC().Format(timeLayout)),
		fact("webhook", "%s", d.webhook), fact("message", "%s", truncate(oneLine(d.message), 300))}
	return fail(fmt.Sprintf("admission webhook %s refuses the pods of %s %s: no pod is created to pull the image", d.webhook, d.ownerKind, d.owner),
		admissionRemedies(d), facts...)
}

const timeLayout = "2006-01-02 15:04:05Z"

// admissionRemedies point at the policy that refused the pod.
func admissionRemedies(d admissionDenial) []Remedy {
	w := d.webhook
	switch {
	case strings.Contains(w, "securityenforcement.admission.cloud.ibm.com"):
		return []Remedy{manualRemedy("Allow the image in a Portieris image policy",
			"Lists the image policies; add a rule for the image's repository, or sign the image as the policy requires.",
			"kubectl get imagepolicies -A && kubectl get clusterimagepolicies")}
	case strings.Contains(w, "kyverno"):
		return []Remedy{manualRemedy("Find the Kyverno policy that refuses the pod",
			"Lists Kyverno policies and their reports; fix the image or add an exception.",
			"kubectl get clusterpolicies,policies -A && kubectl get policyreports -A")}
	case strings.Contains(w, "gatekeeper"):
		return []Remedy{manualRemedy("Find the Gatekeeper constraint that refuses the pod",
			"Lists Gatekeeper constraints and their violations.", "kubectl get constraints")}
	}
	return []Remedy{manualRemedy("Find the webhook's policy", "Shows the webhook configuration that refused the pod.",
		"kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations -o wide | grep "+w)}
}
