package ibmcloud

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
)

// PullScope names an identity and the registry namespace it wants to pull
// from.
type PullScope struct {
	// IAMID is the identity behind the pull credentials ("iam-ServiceId-…").
	IAMID string
	// AccountID owns the registry namespace; policies are read there.
	AccountID string
	// Region is the registry region ("us-south", "global"; SDK aliases such
	// as "uk-south" are accepted).
	Region string
	// Namespace is the registry namespace.
	Namespace string
	// ResourceGroup is the namespace's resource group ID; "" when unknown,
	// in which case resource-group-wide policies do not count.
	ResourceGroup string
}

// Access is the outcome of PullAccess.
type Access struct {
	// Allowed is true when at least one unconditional policy grants a role
	// with the pull action on the namespace.
	Allowed bool
	// Granting lists the policies that allow the pull.
	Granting []PolicyRef
	// Considered is the number of policies read (direct and group).
	Considered int
	// Conditional is true when a policy would grant the pull but carries a
	// rule (time-based or other condition) or access tags, so it may or may
	// not apply right now; such policies are not in Granting.
	Conditional bool
	// RolesAssumed is true when pullcheck's key could not list the roles of
	// Container Registry and the service roles Reader, Writer and Manager
	// were assumed to be the ones that can pull (custom roles are missed).
	RolesAssumed bool
}

// PolicyRef identifies a policy that grants the pull.
type PolicyRef struct {
	// ID is the policy ID.
	ID string
	// Via is "direct" or "access group <name>".
	Via string
	// Roles are the display names of the policy's roles that carry the
	// pull action ("Reader", or a custom role's name).
	Roles []string
}

// groupConcurrency bounds the parallel policy listings of access groups.
const groupConcurrency = 4

// PullAccess decides with pullcheck's key whether s.IAMID may pull from the
// namespace: it reads the identity's direct policies, its access groups'
// policies and the roles of Container Registry concurrently, then applies
// the matching rules. Listing policies needs Viewer on IAM Access Management
// in s.AccountID, listing groups Viewer on IAM Access Groups Service.
func (c *Client) PullAccess(ctx context.Context, s PullScope) (*Access, error) {
	if s.IAMID == "" || s.AccountID == "" || s.Region == "" || s.Namespace == "" {
		return nil, errors.New("checking pull access: iam_id, account, region and namespace are required")
	}
	a, err := c.botAuth(ctx)
	if err != nil {
		return nil, wrap(err, "checking pull access of %s", s.IAMID)
	}
	pm, err := c.policyService(a)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		direct, viaGroups []policy
		roles             roleSet
		errs              [3]error
		wg                sync.WaitGroup
	)
	run := func(i int, f func() error) {
		wg.Go(func() {
			if errs[i] = f(); errs[i] != nil {
				cancel()
			}
		})
	}
	run(0, func() (err error) { direct, err = c.policies(ctx, pm, s.AccountID, s.IAMID, "", "direct"); return })
	run(1, func() (err error) { viaGroups, err = c.groupPolicies(ctx, a, pm, s); return })
	run(2, func() (err error) { roles, err = c.pullRoles(ctx, pm, s.AccountID); return })
	wg.Wait()
	if err := firstCause(errs[:]); err != nil {
		return nil, wrap(err, "checking pull access of %s in account %s", s.IAMID, s.AccountID)
	}
	return decide(s, append(direct, viaGroups...), roles), nil
}

// groupPolicies lists the access groups of s.IAMID (static and dynamic
// membership) and the policies of each group, in group order.
func (c *Client) groupPolicies(ctx context.Context, a core.Authenticator, pm *iampolicymanagementv1.IamPolicyManagementV1, s PullScope) ([]policy, error) {
	groups, err := c.accessGroups(ctx, a, s)
	if err != nil {
		return nil, err
	}
	perGroup := make([][]policy, len(groups))
	errs := make([]error, len(groups))
	sem := make(chan struct{}, groupConcurrency)
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			via := "access group " + firstOf(deref(g.Name), deref(g.ID))
			perGroup[i], errs[i] = c.policies(ctx, pm, s.AccountID, "", deref(g.ID), via)
		})
	}
	wg.Wait()
	if err := firstCause(errs); err != nil {
		return nil, err
	}
	var all []policy
	for _, p := range perGroup {
		all = append(all, p...)
	}
	return all, nil
}

// accessGroups lists the groups s.IAMID belongs to in s.AccountID.
func (c *Client) accessGroups(ctx context.Context, a core.Authenticator, s PullScope) ([]iamaccessgroupsv2.Group, error) {
	svc, err := iamaccessgroupsv2.NewIamAccessGroupsV2(&iamaccessgroupsv2.IamAccessGroupsV2Options{URL: c.ep.IAMAccessGroups, Authenticator: a})
	if err != nil {
		return nil, wrap(err, "configuring the IAM access groups client")
	}
	c.useClient(svc.Service)
	opts := svc.NewListAccessGroupsOptions(s.AccountID).SetIamID(s.IAMID).SetMembershipType("all")
	pager, err := svc.NewAccessGroupsPager(opts)
	if err != nil {
		return nil, wrap(err, "listing access groups")
	}
	groups, err := pager.GetAllWithContext(ctx)
	if err != nil {
		k := call{api: apiAccessGroups, base: c.ep.IAMAccessGroups, perm: permAccessGroups}
		return nil, wrap(c.fail(ctx, k, nil, err), "listing access groups")
	}
	return groups, nil
}

// firstCause returns the first error that is not a cancellation caused by
// another error, so the error that stopped the others is reported.
func firstCause(errs []error) error {
	var canceled error
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled):
			if canceled == nil {
				canceled = err
			}
		default:
			return err
		}
	}
	return canceled
}

// policyService builds an IAM Policy Management client.
func (c *Client) policyService(a core.Authenticator) (*iampolicymanagementv1.IamPolicyManagementV1, error) {
	svc, err := iampolicymanagementv1.NewIamPolicyManagementV1(&iampolicymanagementv1.IamPolicyManagementV1Options{URL: c.ep.IAMPolicy, Authenticator: a})
	if err != nil {
		return nil, fmt.Errorf("configuring the IAM policy management client: %w", err)
	}
	c.useClient(svc.Service)
	return svc, nil
}
