package ibmcloud

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/IBM/go-sdk-core/v5/core"
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
	a, pm, err := c.accessClients(ctx)
	if err != nil {
		return nil, wrap(err, "checking pull access of %s", s.IAMID)
	}
	var (
		direct []policy
		groups []accessGroupPolicies
		roles  roleSet
	)
	err = together(ctx,
		func(ctx context.Context) (err error) {
			direct, err = c.policies(ctx, pm, s.AccountID, s.IAMID, "", "direct")
			return err
		},
		func(ctx context.Context) (err error) {
			groups, err = c.groupPolicies(ctx, a, pm, s.AccountID, s.IAMID)
			return err
		},
		func(ctx context.Context) (err error) { roles, err = c.pullRoles(ctx, pm, s.AccountID); return err })
	if err != nil {
		return nil, wrap(err, "checking pull access of %s in account %s", s.IAMID, s.AccountID)
	}
	pols := direct
	for _, g := range groups {
		pols = append(pols, g.policies...)
	}
	return decide(s, pols, roles), nil
}

// accessClients returns pullcheck's authenticator and a policy client.
func (c *Client) accessClients(ctx context.Context) (*core.IamAuthenticator, *iampolicymanagementv1.IamPolicyManagementV1, error) {
	a, err := c.botAuth(ctx)
	if err != nil {
		return nil, nil, err
	}
	pm, err := c.policyService(a)
	if err != nil {
		return nil, nil, err
	}
	return a, pm, nil
}

// together runs fns concurrently and returns the error that stopped them:
// the first failure cancels the others.
func together(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, f := range fns {
		wg.Go(func() {
			if errs[i] = f(ctx); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	return firstCause(errs)
}

// accessGroupPolicies is an access group with its policies.
type accessGroupPolicies struct {
	group    AccessGroup
	policies []policy
}

// groupPolicies lists access groups of account — those iamID belongs to
// (static and dynamic membership), or, for iamID "", every group up to
// maxGroups — and the policies of each group, in group order.
func (c *Client) groupPolicies(ctx context.Context, a core.Authenticator, pm *iampolicymanagementv1.IamPolicyManagementV1, account, iamID string) ([]accessGroupPolicies, error) {
	groups, err := c.accessGroups(ctx, a, account, iamID)
	if err != nil {
		return nil, err
	}
	out := make([]accessGroupPolicies, len(groups))
	errs := make([]error, len(groups))
	sem := make(chan struct{}, groupConcurrency)
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].group = g
			out[i].policies, errs[i] = c.policies(ctx, pm, account, "", g.ID, "access group "+firstOf(g.Name, g.ID))
		})
	}
	wg.Wait()
	if err := firstCause(errs); err != nil {
		return nil, err
	}
	return out, nil
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
