package ibmcloud

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
)

// assumedPullRoles are the role CRN suffixes assumed to allow pulling when
// the roles of Container Registry cannot be listed.
var assumedPullRoles = []string{"serviceRole:Reader", "serviceRole:Writer", "serviceRole:Manager"}

// roleSet knows which role CRNs carry the pull action, and their names.
type roleSet struct {
	names map[string]string // CRN -> display name
	// assumed is true when the roles could not be listed and
	// assumedPullRoles stand in for them.
	assumed bool
}

// pulls reports whether the role crn carries the pull action, and its name
// ("Reader"; for assumed roles the last segment of the CRN).
func (r roleSet) pulls(crn string) (name string, ok bool) {
	if !r.assumed {
		name, ok = r.names[crn]
		return name, ok
	}
	for _, s := range assumedPullRoles {
		if strings.HasSuffix(crn, ":"+s) {
			return crn[strings.LastIndexByte(crn, ':')+1:], true
		}
	}
	return "", false
}

// policies lists the active access policies of an iam_id or of an access
// group in an account. It does not filter by service_name: that filter would
// drop "all IAM-enabled services" and resource-group-wide policies, which can
// grant a pull too.
func (c *Client) policies(ctx context.Context, pm *iampolicymanagementv1.IamPolicyManagementV1, account, iamID, groupID, via string) ([]policy, error) {
	opts := pm.NewListV2PoliciesOptions(account).
		SetType(iampolicymanagementv1.ListV2PoliciesOptionsTypeAccessConst).
		SetState(iampolicymanagementv1.ListV2PoliciesOptionsStateActiveConst)
	if iamID != "" {
		opts.SetIamID(iamID)
	}
	if groupID != "" {
		opts.SetAccessGroupID(groupID)
	}
	pager, err := pm.NewV2PoliciesPager(opts)
	if err != nil {
		return nil, wrap(err, "listing policies (%s)", via)
	}
	items, err := pager.GetAllWithContext(ctx)
	if err != nil {
		k := call{api: apiPolicy, base: c.ep.IAMPolicy, perm: permPolicy}
		return nil, wrap(c.fail(ctx, k, nil, err), "listing policies (%s)", via)
	}
	out := make([]policy, 0, len(items))
	for _, it := range items {
		out = append(out, toPolicy(it, via))
	}
	return out, nil
}

// toPolicy reduces an SDK policy to the fields the decision reads.
func toPolicy(p iampolicymanagementv1.V2PolicyTemplateMetaData, via string) policy {
	out := policy{
		id:  deref(p.ID),
		via: via,
		usable: deref(p.Type) == iampolicymanagementv1.V2PolicyTemplateMetaDataTypeAccessConst &&
			deref(p.State) == iampolicymanagementv1.V2PolicyTemplateMetaDataStateActiveConst,
		conditional: p.Rule != nil,
	}
	if p.Resource != nil {
		for _, a := range p.Resource.Attributes {
			out.attrs = append(out.attrs, attribute{key: deref(a.Key), op: deref(a.Operator), value: a.Value})
		}
		out.conditional = out.conditional || len(p.Resource.Tags) > 0
	}
	if ctl, ok := p.Control.(*iampolicymanagementv1.ControlResponse); ok && ctl.Grant != nil {
		for _, r := range ctl.Grant.Roles {
			out.roles = append(out.roles, deref(r.RoleID))
		}
	}
	return out
}

// pullRoles lists the roles of Container Registry available in an account
// (service, system and custom roles) and keeps those whose actions include
// the pull action. When pullcheck's key may not list roles it falls back to
// assumedPullRoles rather than fail the whole decision.
func (c *Client) pullRoles(ctx context.Context, pm *iampolicymanagementv1.IamPolicyManagementV1, account string) (roleSet, error) {
	opts := pm.NewListRolesOptions().SetAccountID(account).SetServiceName(registryService)
	rc, resp, err := pm.ListRolesWithContext(ctx, opts)
	if err != nil {
		k := call{api: apiPolicy, base: c.ep.IAMPolicy, perm: permPolicy}
		err = c.fail(ctx, k, resp, err)
		var pe *PermissionError
		if errors.As(err, &pe) && !pe.Rejected {
			return roleSet{assumed: true}, nil
		}
		return roleSet{}, wrap(err, "listing roles of %s", registryService)
	}
	set := roleSet{names: make(map[string]string)}
	add := func(crn, name *string, actions []string) {
		if crn != nil && slices.Contains(actions, pullAction) {
			set.names[*crn] = firstOf(deref(name), *crn)
		}
	}
	for _, r := range rc.ServiceRoles {
		add(r.CRN, r.DisplayName, r.Actions)
	}
	for _, r := range rc.SystemRoles {
		add(r.CRN, r.DisplayName, r.Actions)
	}
	for _, r := range rc.CustomRoles {
		add(r.CRN, r.DisplayName, r.Actions)
	}
	return set, nil
}
