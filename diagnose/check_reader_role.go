package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// checkReaderRole: in the owning account, a direct or access-group policy
// must grant the key's identity a role with container-registry.image.pull
// on the image's region and namespace.
func checkReaderRole(ctx context.Context, t *Target) (Result, error) {
	kd, done, err := t.denialOfKey(ctx, "the registry authorised the key to pull")
	if kd == nil {
		return done, err
	}
	if t.inOtherRegion(ctx) {
		return Result{}, skip("registry namespace %s is not in %s (see image-in-other-region)", kd.ns, kd.host.Region)
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
	return fail(fmt.Sprintf("no policy grants %s a role that can pull from %s in %s", who, ns, host.Region),
		readerRemedies(ctx, t, af, ns, host.Region), facts...)
}

// readerRemedies grant the pull: a Reader policy with the command for the
// kind of identity the key belongs to (a user's key: user-policy-create; a
// service ID's: service-policy-create; a trusted profile's), and before it,
// when an access group of the account already grants the pull, joining it.
func readerRemedies(ctx context.Context, t *Target, af *accessFacts, ns, region string) []Remedy {
	scope := fmt.Sprintf("--roles Reader --service-name container-registry --region %s --resource-type namespace --resource %s", region, ns)
	var policy Remedy
	switch id := af.iamID; {
	case strings.HasPrefix(id, "iam-ServiceId-"):
		name := strings.TrimPrefix(id, "iam-")
		if af.serviceID != nil {
			name = af.serviceID.Name
		}
		policy = manualRemedy("Grant service ID "+name+" Reader on Container Registry", "Adds an IAM policy that lets the service ID pull from the namespace.",
			fmt.Sprintf("ibmcloud iam service-policy-create %s %s", name, scope))
	case strings.HasPrefix(id, "iam-Profile-"):
		policy = manualRemedy("Grant the trusted profile Reader on Container Registry", "Adds an IAM policy that lets the trusted profile pull from the namespace.",
			fmt.Sprintf("ibmcloud iam trusted-profile-policy-create %s %s", strings.TrimPrefix(id, "iam-"), scope))
	default: // a user's own API key (IBMid-…)
		policy = manualRemedy("Grant the key's user Reader on Container Registry",
			"The pull secret holds a user's API key: add a policy for that user (better: a service ID's key, which outlives the user's access).",
			fmt.Sprintf("ibmcloud iam user-policy-create <user email of %s> %s", id, scope))
	}
	return append(t.joinGroupRemedies(ctx, af), policy)
}

// joinGroupRemedies offers the access groups of the owning account that
// already grant the pull: joining one is the change the account's owners
// planned for. Without the permission to list them there is simply no such
// offer; the policy remedy stands on its own.
func (t *Target) joinGroupRemedies(ctx context.Context, af *accessFacts) []Remedy {
	groups, err := t.groupsGranting(ctx, af.scope)
	if err != nil {
		t.e.opts.Logger.Debug("listing access groups that grant the pull", "err", err)
		return nil
	}
	member := "access-group-user-add %s <user email of " + af.iamID + ">"
	switch {
	case strings.HasPrefix(af.iamID, "iam-ServiceId-"):
		member = "access-group-service-id-add %s " + strings.TrimPrefix(af.iamID, "iam-")
	case strings.HasPrefix(af.iamID, "iam-Profile-"):
		member = "access-group-trusted-profile-add %s " + strings.TrimPrefix(af.iamID, "iam-")
	}
	var out []Remedy
	for _, g := range groups[:min(len(groups), 2)] {
		out = append(out, manualRemedy(truncate("Add the identity to access group "+g.Name, 74),
			fmt.Sprintf("Access group %s already grants a role that can pull from the namespace.", g.Name),
			"ibmcloud iam "+fmt.Sprintf(member, quoteArg(g.Name))))
	}
	return out
}

// quoteArg quotes a CLI argument that holds spaces.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " '\"") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// groupsGranting lists the access groups that grant a pull within scope,
// once per diagnosis.
func (t *Target) groupsGranting(ctx context.Context, scope ibmcloud.PullScope) ([]ibmcloud.AccessGroup, error) {
	return t.granting.get(func() ([]ibmcloud.AccessGroup, error) { return t.e.opts.IBM.GroupsGranting(ctx, scope) })
}
