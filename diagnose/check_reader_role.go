package diagnose

import (
	"context"
	"fmt"
	"strings"
)

// checkReaderRole: in the owning account, a direct or access-group policy
// must grant the key's identity a role with container-registry.image.pull
// on the image's region and namespace.
func checkReaderRole(ctx context.Context, t *Target) (Result, error) {
	kd, done, err := t.denialOfKey(ctx, "the registry authorised the key to pull")
	if kd == nil {
		return done, err
	}
	af, err := t.pullAccess(ctx)
	if err != nil {
		return Result{}, err
	}
	ns, host := kd.ns, kd.host
	who := af.iamID
	if af.serviceID != nil {
		who = fmt.Sprintf("service ID %s (%s)", af.serviceID.Name, af.iamID)
	}
	facts := []Fact{fact("identity", "%s", who), fact("account", "%s", af.account), fact("policies considered", "%d", af.Considered)}
	if af.Allowed {
		for _, g := range af.Granting {
			facts = append(facts, fact("policy "+g.ID, "%s via %s", strings.Join(g.Roles, ", "), g.Via))
		}
		return pass(fmt.Sprintf("%s may pull from %s in %s", who, ns, host.Region), facts...)
	}
	if af.Conditional {
		facts = append(facts, fact("note", "a matching policy has conditions (time or attribute based) pullcheck does not evaluate"))
	}
	subject := "<service-id>"
	if af.serviceID != nil {
		subject = af.serviceID.Name
	}
	fix := manualRemedy("Grant Reader on Container Registry", "Adds an IAM policy that lets the identity pull from the namespace.",
		fmt.Sprintf("ibmcloud iam service-policy-create %s --roles Reader --service-name container-registry --region %s --resource-type namespace --resource %s", subject, host.Region, ns))
	return fail(fmt.Sprintf("no policy grants %s a role that can pull from %s in %s", who, ns, host.Region), []Remedy{fix}, facts...)
}
