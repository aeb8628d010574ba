package ibmcloud

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// attr is a policy resource attribute as the v2 policies API sends it.
type attr struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
	Value    any    `json:"value"`
}

func eq(k string, v any) attr      { return attr{k, "stringEquals", v} }
func like(k string, v any) attr    { return attr{k, "stringMatch", v} }
func exists(k string, v bool) attr { return attr{k, "stringExists", v} }

// pol builds one v2 policy.
type pol struct {
	id    string
	roles []string
	attrs []attr
	rule  bool // a time-based condition
}

// json renders the policy for a subject ("iam_id" or "access_group_id").
func (p pol) json(subjectKey, subject string) string {
	var roles []map[string]string
	for _, r := range p.roles {
		roles = append(roles, map[string]string{"role_id": r})
	}
	m := map[string]any{
		"id": p.id, "type": "access", "description": "test policy", "state": "active",
		"href": "https://iam.cloud.ibm.com/v2/policies/" + p.id, "created_at": "2024-01-01T00:00:00.000Z",
		"created_by_id": "IBMid-270000ABCD", "last_modified_at": "2024-01-01T00:00:00.000Z",
		"last_modified_by_id": "IBMid-270000ABCD",
		"subject":             map[string]any{"attributes": []attr{eq(subjectKey, subject)}},
		"resource":            map[string]any{"attributes": p.attrs},
		"control":             map[string]any{"grant": map[string]any{"roles": roles}},
	}
	if p.rule {
		m["pattern"] = "time-based-conditions:weekly:custom-hours"
		m["rule"] = map[string]any{"operator": "and", "conditions": []map[string]any{
			{"key": "{{environment.attributes.day_of_week}}", "operator": "dayOfWeekAnyOf", "value": []string{"1+00:00", "2+00:00"}},
			{"key": "{{environment.attributes.current_time}}", "operator": "timeGreaterThanOrEquals", "value": "09:00:00+00:00"},
		}}
	}
	return jsonString(m)
}

type group struct {
	id, name string
	pols     []pol
}

var (
	onAcct   = eq("accountId", acct)
	registry = eq("serviceName", "container-registry")
	reader   = []string{readerCRN}
)

// baseScope is the namespace every PullAccess case asks about.
func baseScope() PullScope {
	return PullScope{IAMID: svcIAMID, AccountID: acct, Region: "us-south", Namespace: "team-a", ResourceGroup: "rg-1"}
}

func TestPullAccess(t *testing.T) {
	direct := func(id string, roles ...string) []PolicyRef {
		return []PolicyRef{{ID: id, Via: "direct", Roles: roles}}
	}
	tests := []struct {
		name   string
		scope  func(*PullScope)
		direct []pol
		groups []group
		want   Access
	}{
		{name: "no policies", want: Access{}},
		{name: "direct Reader on account", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "region matches", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("region", "us-south")}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "region mismatch", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("region", "eu-de")}}},
			want: Access{Considered: 1}},
		{name: "region alias", scope: func(s *PullScope) { s.Region = "uk-south" },
			direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("region", "eu-gb")}}},
			want:   Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "global registry by geography", scope: func(s *PullScope) { s.Region = "global" },
			direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("geography", "global")}}},
			want:   Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "namespace exact", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("resourceType", "namespace"), eq("resource", "team-a")}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "namespace stringMatch wildcard", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("resourceType", "namespace"), like("resource", "team-*")}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "namespace wildcard mismatch", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, like("resource", "ops-*")}}},
			want: Access{Considered: 1}},
		{name: "account-level only (resource must not exist)", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, exists("resource", false)}}},
			want: Access{Considered: 1}},
		{name: "other account", direct: []pol{{id: "p1", roles: reader, attrs: []attr{eq("accountId", otherAcct), registry}}},
			want: Access{Considered: 1}},
		{name: "other service", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, eq("serviceName", "cloud-object-storage")}}},
			want: Access{Considered: 1}},
		{name: "platform-only roles", direct: []pol{{id: "p1", roles: []string{adminCRN, viewerCRN}, attrs: []attr{onAcct, registry}}},
			want: Access{Considered: 1}},
		{name: "all IAM-enabled services", direct: []pol{{id: "p1", roles: []string{viewerCRN, readerCRN}, attrs: []attr{onAcct, eq("serviceType", "service")}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "all platform services", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, eq("serviceType", "platform_service")}}},
			want: Access{Considered: 1}},
		{name: "resourceGroupId matches", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, eq("resourceGroupId", "rg-1")}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Reader")}},
		{name: "resourceGroupId of another group", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, eq("resourceGroupId", "rg-2")}}},
			want: Access{Considered: 1}},
		{name: "resourceGroupId with unknown group", scope: func(s *PullScope) { s.ResourceGroup = "" },
			direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, eq("resourceGroupId", "rg-1")}}},
			want:   Access{Considered: 1}},
		{name: "unknown attribute", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry, eq("serviceInstance", "x")}}},
			want: Access{Considered: 1}},
		{name: "conditional rule", direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry}, rule: true}},
			want: Access{Considered: 1, Conditional: true}},
		{name: "custom role with pull", direct: []pol{{id: "p1", roles: []string{pullerCRN}, attrs: []attr{onAcct, registry}}},
			want: Access{Allowed: true, Considered: 1, Granting: direct("p1", "Puller")}},
		{name: "custom role without pull", direct: []pol{{id: "p1", roles: []string{listerCRN}, attrs: []attr{onAcct, registry}}},
			want: Access{Considered: 1}},
		{name: "access group grant",
			groups: []group{{id: "AccessGroupId-1", name: "Pullers", pols: []pol{{id: "g1", roles: []string{writerCRN}, attrs: []attr{onAcct, registry}}}}},
			want:   Access{Allowed: true, Considered: 1, Granting: []PolicyRef{{ID: "g1", Via: "access group Pullers", Roles: []string{"Writer"}}}}},
		{name: "direct and groups, direct first",
			direct: []pol{{id: "p1", roles: reader, attrs: []attr{onAcct, registry}}},
			groups: []group{
				{id: "AccessGroupId-1", name: "Pullers", pols: []pol{{id: "g1", roles: reader, attrs: []attr{onAcct, registry}}}},
				{id: "AccessGroupId-2", name: "Ops", pols: []pol{{id: "g2", roles: reader, attrs: []attr{onAcct, registry, eq("region", "eu-de")}}}},
				{id: "AccessGroupId-PublicAccess", name: "Public Access"},
			},
			want: Access{Allowed: true, Considered: 3, Granting: []PolicyRef{
				{ID: "p1", Via: "direct", Roles: []string{"Reader"}}, {ID: "g1", Via: "access group Pullers", Roles: []string{"Reader"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			for _, p := range tt.direct {
				f.policies["iam_id="+svcIAMID] = append(f.policies["iam_id="+svcIAMID], p.json("iam_id", svcIAMID))
			}
			for _, g := range tt.groups {
				f.groups[svcIAMID] = append(f.groups[svcIAMID], groupJSON(g.id, g.name))
				for _, p := range g.pols {
					f.policies["access_group_id="+g.id] = append(f.policies["access_group_id="+g.id], p.json("access_group_id", g.id))
				}
			}
			s := baseScope()
			if tt.scope != nil {
				tt.scope(&s)
			}
			got, err := f.client(botKey).PullAccess(context.Background(), s)
			if err != nil {
				t.Fatalf("PullAccess: %v", err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("PullAccess (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPullAccessRequests checks the exact API calls: no service_name filter,
// active access policies only, all group memberships.
func TestPullAccessRequests(t *testing.T) {
	f := newFake(t)
	f.groups[svcIAMID] = []string{groupJSON("AccessGroupId-1", "Pullers")}
	if _, err := f.client(botKey).PullAccess(context.Background(), baseScope()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"GET /v2/groups?account_id=a1b2c3d4&iam_id=iam-ServiceId-1111-2222&membership_type=all as=bot",
		"GET /v2/policies?access_group_id=AccessGroupId-1&account_id=a1b2c3d4&state=active&type=access as=bot",
		"GET /v2/policies?account_id=a1b2c3d4&iam_id=iam-ServiceId-1111-2222&state=active&type=access as=bot",
		"GET /v2/roles?account_id=a1b2c3d4&service_name=container-registry as=bot",
		"POST /identity/token",
	}
	if diff := cmp.Diff(want, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestPullAccessRolesForbidden(t *testing.T) {
	f := newFake(t)
	f.fail["GET /v2/roles"] = failure{403, policy403}
	f.policies["iam_id="+svcIAMID] = []string{
		pol{id: "p1", roles: []string{pullerCRN}, attrs: []attr{onAcct, registry}}.json("iam_id", svcIAMID),
		pol{id: "p2", roles: []string{viewerCRN, writerCRN}, attrs: []attr{onAcct, registry}}.json("iam_id", svcIAMID),
	}
	got, err := f.client(botKey).PullAccess(context.Background(), baseScope())
	if err != nil {
		t.Fatal(err)
	}
	want := &Access{Allowed: true, Considered: 2, RolesAssumed: true,
		Granting: []PolicyRef{{ID: "p2", Via: "direct", Roles: []string{"Writer"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PullAccess (-want +got):\n%s", diff)
	}
}

func TestPullAccessErrors(t *testing.T) {
	tests := []struct {
		name  string
		route string
		body  string
		want  *PermissionError
	}{
		{"policies forbidden", "GET /v2/policies", policy403, &PermissionError{API: "IAM policy management", Permission: "Viewer on IAM Access Management", Status: 403}},
		{"groups forbidden", "GET /v2/groups", groups403, &PermissionError{API: "IAM access groups", Permission: "Viewer on IAM Access Groups Service", Status: 403}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.fail[tt.route] = failure{403, tt.body}
			_, err := f.client(botKey).PullAccess(context.Background(), baseScope())
			var pe *PermissionError
			if !errors.As(err, &pe) {
				t.Fatalf("PullAccess error = %v, want *PermissionError", err)
			}
			if diff := cmp.Diff(tt.want, pe); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			noSecrets(t, err)
		})
	}
	if _, err := New(DefaultEndpoints(), nil, "").PullAccess(context.Background(), baseScope()); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
	if _, err := New(DefaultEndpoints(), nil, botKey).PullAccess(context.Background(), PullScope{IAMID: svcIAMID}); err == nil {
		t.Error("incomplete scope: no error")
	}
}
