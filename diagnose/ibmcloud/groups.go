package ibmcloud

import (
	"context"
	"errors"
	"math"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
)

// AccessGroup is an IAM access group.
type AccessGroup struct {
	ID, Name string
}

// Limits of GroupsGranting's listing of an account's access groups: each
// group costs one policy listing.
const (
	groupPage = 50
	maxGroups = 100
)

// publicAccessGroup is the ID of every account's Public Access group, which
// takes no members.
const publicAccessGroup = "AccessGroupId-PublicAccess"

// GroupsGranting lists, with pullcheck's key, the access groups of
// s.AccountID (the first 100) whose policies grant a role that can pull
// within s, in the order IAM lists them. s.IAMID is not needed: the answer
// is where an identity could be added ("add it to group X, which already
// grants Reader"), whether or not it is a member. Conditional policies do
// not count, and the Public Access group is left out. Needs the same
// permissions as PullAccess.
func (c *Client) GroupsGranting(ctx context.Context, s PullScope) ([]AccessGroup, error) {
	if s.AccountID == "" || s.Region == "" || s.Namespace == "" {
		return nil, errors.New("listing access groups that grant pulls: account, region and namespace are required")
	}
	a, pm, err := c.accessClients(ctx)
	if err != nil {
		return nil, wrap(err, "listing access groups that grant pulls")
	}
	var (
		groups []accessGroupPolicies
		roles  roleSet
	)
	err = together(ctx,
		func(ctx context.Context) (err error) {
			groups, err = c.groupPolicies(ctx, a, pm, s.AccountID, "")
			return err
		},
		func(ctx context.Context) (err error) { roles, err = c.pullRoles(ctx, pm, s.AccountID); return err })
	if err != nil {
		return nil, wrap(err, "listing access groups of account %s that grant pulls", s.AccountID)
	}
	var out []AccessGroup
	for _, g := range groups {
		if g.group.ID != publicAccessGroup && decide(s, g.policies, roles).Allowed {
			out = append(out, g.group)
		}
	}
	return out, nil
}

// accessGroups lists the groups iamID belongs to in account, or, for iamID
// "", the account's first maxGroups groups.
func (c *Client) accessGroups(ctx context.Context, a core.Authenticator, account, iamID string) ([]AccessGroup, error) {
	svc, err := iamaccessgroupsv2.NewIamAccessGroupsV2(&iamaccessgroupsv2.IamAccessGroupsV2Options{URL: c.ep.IAMAccessGroups, Authenticator: a})
	if err != nil {
		return nil, wrap(err, "configuring the IAM access groups client")
	}
	c.useClient(svc.Service)
	opts := svc.NewListAccessGroupsOptions(account)
	upTo := math.MaxInt // an identity's memberships: all of them
	if iamID != "" {
		opts.SetIamID(iamID).SetMembershipType("all")
	} else {
		opts.SetLimit(groupPage)
		upTo = maxGroups
	}
	pager, err := svc.NewAccessGroupsPager(opts)
	if err != nil {
		return nil, wrap(err, "listing access groups")
	}
	var out []AccessGroup
	for pager.HasNext() && len(out) < upTo {
		page, err := pager.GetNextWithContext(ctx)
		if err != nil {
			k := call{api: apiAccessGroups, base: c.ep.IAMAccessGroups, perm: permAccessGroups}
			return nil, wrap(c.fail(ctx, k, nil, err), "listing access groups")
		}
		for _, g := range page {
			out = append(out, AccessGroup{ID: deref(g.ID), Name: deref(g.Name)})
		}
	}
	return out[:min(len(out), upTo)], nil
}
