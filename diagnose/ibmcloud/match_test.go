package ibmcloud

import (
	"encoding/json"
	"testing"

	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"github.com/google/go-cmp/cmp"
)

func TestWildcard(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"team-*", "team-a", true},
		{"team-*", "team-", true},
		{"team-*", "teams", false},
		{"*", "", true},
		{"*-prod", "web-prod", true},
		{"*-prod", "web-prod-2", false},
		{"t?am-a", "team-a", true},
		{"t?am-a", "tam-a", false},
		{"a*b*c", "a-x-b-y-c", true},
		{"a*b*c", "a-x-c-b", false},
		{"team-a", "team-a", true},
		{"", "team-a", false},
	}
	for _, tt := range tests {
		if got := wildcard(tt.pattern, tt.s); got != tt.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestMatchAttr(t *testing.T) {
	tests := []struct {
		name    string
		op      string
		value   any
		actual  string
		present bool
		want    bool
	}{
		{"equals", "stringEquals", "us-south", "us-south", true, true},
		{"equals other", "stringEquals", "us-south", "eu-de", true, false},
		{"equals absent", "stringEquals", "rg-1", "", false, false},
		{"equals non-string", "stringEquals", true, "true", true, false},
		{"equals any of", "stringEqualsAnyOf", []any{"eu-de", "us-south"}, "us-south", true, true},
		{"match any of", "stringMatchAnyOf", []any{"ops-*", "team-*"}, "team-a", true, true},
		{"match any of none", "stringMatchAnyOf", []any{"ops-*"}, "team-a", true, false},
		{"exists", "stringExists", true, "team-a", true, true},
		{"exists but absent", "stringExists", true, "", false, false},
		{"must not exist", "stringExists", false, "team-a", true, false},
		{"must not exist and absent", "stringExists", "false", "", false, true},
		{"unknown operator", "dateTimeGreaterThan", "2020-01-01", "x", true, false},
	}
	for _, tt := range tests {
		if got := matchAttr(tt.op, tt.value, tt.actual, tt.present); got != tt.want {
			t.Errorf("%s: matchAttr(%q, %v, %q, %v) = %v, want %v", tt.name, tt.op, tt.value, tt.actual, tt.present, got, tt.want)
		}
	}
}

func TestDecide(t *testing.T) {
	onRegistry := []attribute{{"accountId", "stringEquals", acct}, {"serviceName", "stringEquals", "container-registry"}}
	known := roleSet{names: map[string]string{readerCRN: "Reader"}}
	tests := []struct {
		name  string
		pols  []policy
		roles roleSet
		want  Access
	}{
		{"deleted policy does not count",
			[]policy{{id: "p1", via: "direct", attrs: onRegistry, roles: []string{readerCRN}}},
			known, Access{Considered: 1}},
		{"access tags make a policy conditional",
			[]policy{{id: "p1", via: "direct", usable: true, attrs: onRegistry, roles: []string{readerCRN}, conditional: true}},
			known, Access{Considered: 1, Conditional: true}},
		{"no account attribute",
			[]policy{{id: "p1", via: "direct", usable: true, attrs: onRegistry[1:], roles: []string{readerCRN}}},
			known, Access{Considered: 1}},
		{"no service, type or group attribute",
			[]policy{{id: "p1", via: "direct", usable: true, attrs: onRegistry[:1], roles: []string{readerCRN}}},
			known, Access{Considered: 1}},
		{"assumed roles match by suffix",
			[]policy{{id: "p1", via: "direct", usable: true, attrs: onRegistry, roles: []string{viewerCRN, "crn:v1:bluemix:public:iam::::serviceRole:Manager"}}},
			roleSet{assumed: true}, Access{Allowed: true, Considered: 1, RolesAssumed: true,
				Granting: []PolicyRef{{ID: "p1", Via: "direct", Roles: []string{"Manager"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decide(baseScope(), tt.pols, tt.roles)
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("decide (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToPolicyTags(t *testing.T) {
	var p *iampolicymanagementv1.V2PolicyTemplateMetaData
	body := `{"id":"p1","type":"access","state":"active","control":{"grant":{"roles":[{"role_id":"` + readerCRN + `"}]}},
	 "resource":{"attributes":[{"key":"accountId","operator":"stringEquals","value":"` + acct + `"}],
	  "tags":[{"key":"env","value":"prod","operator":"stringEquals"}]}}`
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	if err := iampolicymanagementv1.UnmarshalV2PolicyTemplateMetaData(raw, &p); err != nil {
		t.Fatal(err)
	}
	got := toPolicy(*p, "direct")
	want := policy{id: "p1", via: "direct", usable: true, conditional: true, roles: []string{readerCRN},
		attrs: []attribute{{"accountId", "stringEquals", acct}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(policy{}, attribute{})); diff != "" {
		t.Errorf("toPolicy (-want +got):\n%s", diff)
	}
}
