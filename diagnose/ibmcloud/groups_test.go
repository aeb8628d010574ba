package ibmcloud

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// addAccountGroups lists groups in the account and gives each its policies.
func (f *fakeCloud) addAccountGroups(groups ...group) {
	for _, g := range groups {
		f.accountGroups = append(f.accountGroups, groupJSON(g.id, g.name))
		for _, p := range g.pols {
			f.policies["access_group_id="+g.id] = append(f.policies["access_group_id="+g.id], p.json("access_group_id", g.id))
		}
	}
}

func TestGroupsGranting(t *testing.T) {
	f := newFake(t)
	f.addAccountGroups(
		group{id: "AccessGroupId-1", name: "Pullers", pols: []pol{{id: "g1", roles: reader, attrs: []attr{onAcct, registry}}}},
		group{id: "AccessGroupId-2", name: "EU team", pols: []pol{{id: "g2", roles: reader, attrs: []attr{onAcct, registry, eq("region", "eu-de")}}}},
		group{id: "AccessGroupId-3", name: "Viewers", pols: []pol{{id: "g3", roles: []string{viewerCRN}, attrs: []attr{onAcct, registry}}}},
		group{id: publicAccessGroup, name: "Public Access", pols: []pol{{id: "g4", roles: reader, attrs: []attr{onAcct, registry}}}},
		group{id: "AccessGroupId-5", name: "Office hours", pols: []pol{{id: "g5", roles: reader, attrs: []attr{onAcct, registry}, rule: true}}},
		group{id: "AccessGroupId-6", name: "Custom pullers", pols: []pol{{id: "g6", roles: []string{pullerCRN}, attrs: []attr{onAcct, registry}}}},
		group{id: "AccessGroupId-7", name: "Teams", pols: []pol{
			{id: "g7a", roles: reader, attrs: []attr{onAcct, registry, like("resource", "ops-*")}},
			{id: "g7b", roles: reader, attrs: []attr{onAcct, registry, eq("resourceType", "namespace"), like("resource", "team-*")}}}},
		group{id: "AccessGroupId-8", name: "Empty"},
	)
	got, err := f.client(botKey).GroupsGranting(context.Background(), PullScope{AccountID: acct, Region: "us-south", Namespace: "team-a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []AccessGroup{{"AccessGroupId-1", "Pullers"}, {"AccessGroupId-6", "Custom pullers"}, {"AccessGroupId-7", "Teams"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GroupsGranting (-want +got):\n%s", diff)
	}
	wantReqs := []string{"GET /v2/groups?account_id=a1b2c3d4&limit=50 as=bot"}
	for _, id := range []string{"1", "2", "3", "5", "6", "7", "8", "PublicAccess"} {
		wantReqs = append(wantReqs, "GET /v2/policies?access_group_id=AccessGroupId-"+id+"&account_id=a1b2c3d4&state=active&type=access as=bot")
	}
	wantReqs = append(wantReqs, "GET /v2/roles?account_id=a1b2c3d4&service_name=container-registry as=bot", "POST /identity/token")
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestGroupsGrantingPages: groups are read in pages, up to maxGroups; a
// group beyond the cap is not looked at.
func TestGroupsGrantingPages(t *testing.T) {
	f := newFake(t)
	for i := range 130 {
		g := group{id: fmt.Sprintf("AccessGroupId-%03d", i), name: fmt.Sprintf("group %d", i)}
		if i == 60 || i == 120 {
			g.pols = []pol{{id: fmt.Sprintf("p%d", i), roles: reader, attrs: []attr{onAcct, registry}}}
		}
		f.addAccountGroups(g)
	}
	got, err := f.client(botKey).GroupsGranting(context.Background(), baseScope())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]AccessGroup{{"AccessGroupId-060", "group 60"}}, got); diff != "" {
		t.Errorf("GroupsGranting (-want +got):\n%s", diff)
	}
	if n := f.count("GET /v2/groups?"); n != 2 {
		t.Errorf("%d group pages read, want 2", n)
	}
	if n := f.count("GET /v2/groups?account_id=a1b2c3d4&limit=50&offset=50 "); n != 1 {
		t.Errorf("second page not read at offset 50: %v", f.requests())
	}
	if n := f.count("GET /v2/policies?"); n != maxGroups {
		t.Errorf("%d groups' policies read, want %d", n, maxGroups)
	}
}

func TestGroupsGrantingRolesForbidden(t *testing.T) {
	f := newFake(t)
	f.fail["GET /v2/roles"] = failure{403, policy403}
	f.addAccountGroups(
		group{id: "AccessGroupId-1", name: "Custom pullers", pols: []pol{{id: "g1", roles: []string{pullerCRN}, attrs: []attr{onAcct, registry}}}},
		group{id: "AccessGroupId-2", name: "Writers", pols: []pol{{id: "g2", roles: []string{writerCRN}, attrs: []attr{onAcct, registry}}}},
	)
	got, err := f.client(botKey).GroupsGranting(context.Background(), baseScope())
	if err != nil {
		t.Fatal(err)
	}
	// Without the role list, only the service roles are known to pull.
	if diff := cmp.Diff([]AccessGroup{{"AccessGroupId-2", "Writers"}}, got); diff != "" {
		t.Errorf("GroupsGranting (-want +got):\n%s", diff)
	}
}

func TestGroupsGrantingErrors(t *testing.T) {
	tests := []struct {
		name  string
		route string
		body  string
		want  *PermissionError
	}{
		{"groups forbidden", "GET /v2/groups", groups403, &PermissionError{API: "IAM access groups", Permission: "Viewer on IAM Access Groups Service", Status: 403}},
		{"policies forbidden", "GET /v2/policies", policy403, &PermissionError{API: "IAM policy management", Permission: "Viewer on IAM Access Management", Status: 403}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.addAccountGroups(group{id: "AccessGroupId-1", name: "Pullers"})
			f.fail[tt.route] = failure{403, tt.body}
			_, err := f.client(botKey).GroupsGranting(context.Background(), baseScope())
			var pe *PermissionError
			if !errors.As(err, &pe) {
				t.Fatalf("GroupsGranting error = %v, want *PermissionError", err)
			}
			if diff := cmp.Diff(tt.want, pe); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			noSecrets(t, err)
		})
	}
	if _, err := New(DefaultEndpoints(), nil, "").GroupsGranting(context.Background(), baseScope()); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
	if _, err := New(DefaultEndpoints(), nil, botKey).GroupsGranting(context.Background(), PullScope{AccountID: acct}); err == nil {
		t.Error("incomplete scope: no error")
	}
}
