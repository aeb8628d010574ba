package cloud

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"github.com/IBM/platform-services-go-sdk/iamidentityv1"
	pm "github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"github.com/google/go-cmp/cmp"
)

// problem returns the HTTP status and first error code of an SDK error.
func problem(err error) (int, string) {
	var hp *core.HTTPProblem
	if !errors.As(err, &hp) {
		return 0, ""
	}
	return respCode(hp.Response)
}

// respCode returns the status and the errors[0].code (or code) of a response.
func respCode(r *core.DetailedResponse) (int, string) {
	if r == nil {
		return 0, ""
	}
	m, _ := r.Result.(map[string]any)
	if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
		m, _ = errs[0].(map[string]any)
	}
	code, _ := m["code"].(string)
	return r.StatusCode, code
}

func TestIAMToken(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		key    string
		status int
	}{{keyReader, 200}, {"nope", 400}, {keyDisabled, 400}, {keyExpired, 400}} {
		t.Run(tt.key, func(t *testing.T) {
			resp, err := w.auth(tt.key).RequestToken()
			var ae *core.AuthenticationError
			switch {
			case tt.status == 200 && (err != nil || resp.AccessToken == "" || resp.Expiration == 0 || resp.ExpiresIn != 3600):
				t.Fatalf("RequestToken = %+v, %v", resp, err)
			case tt.status != 200 && (!errors.As(err, &ae) || ae.Response.StatusCode != tt.status):
				t.Fatalf("RequestToken error = %v, want status %d", err, tt.status)
			case tt.status != 200 && (ae.Error() != "Provided API key could not be found." || strings.Contains(ae.Response.String(), tt.key)):
				t.Errorf("error = %q, body %s", ae.Error(), ae.Response)
			}
		})
	}
}

func TestIAMRawErrors(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, method, url, form, code string
		status                        int
	}{
		{"forged token", "GET", "https://iam.cloud.ibm.com/v2/policies?account_id=" + acct, "", `"code":"unauthorized"`, 401},
		{"other grant type", "POST", "https://iam.cloud.ibm.com/identity/token", "grant_type=password&username=a&password=b", `"errorCode":"BXNIM0109E"`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.form))
			req.Header.Set("Authorization", "Bearer forged")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := w.client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.code) {
				t.Errorf("got %d %s", resp.StatusCode, body)
			}
		})
	}
}

func identityClient(t *testing.T, w *world, key string) *iamidentityv1.IamIdentityV1 {
	svc, err := iamidentityv1.NewIamIdentityV1(&iamidentityv1.IamIdentityV1Options{Authenticator: w.auth(key)})
	if err != nil {
		t.Fatal(err)
	}
	svc.Service.SetHTTPClient(w.client())
	return svc
}

func TestAPIKeyDetails(t *testing.T) {
	w := newWorld(t)
	svc := identityClient(t, w, keyReader)
	got, _, err := svc.GetAPIKeysDetails(svc.NewGetAPIKeysDetailsOptions().SetIamAPIKey(keyExpired))
	if err != nil {
		t.Fatal(err)
	}
	if *got.IamID != "IBMid-x" || *got.AccountID != acct || *got.Apikey != "" || got.ExpiresAt == nil || *got.Locked {
		t.Errorf("details = %+v", got)
	}
	_, _, err = svc.GetAPIKeysDetails(svc.NewGetAPIKeysDetailsOptions().SetIamAPIKey("nope"))
	if status, code := problem(err); status != 404 || code != "not_found" {
		t.Errorf("unknown key: %d %q (%v)", status, code, err)
	}
}

func TestGetServiceID(t *testing.T) {
	w := newWorld(t)
	got, _, err := identityClient(t, w, keyAdmin).GetServiceID(&iamidentityv1.GetServiceIDOptions{ID: core.StringPtr(readerSID)})
	if err != nil || *got.IamID != "iam-"+readerSID || *got.Name != "cluster-c1" {
		t.Fatalf("GetServiceID = %+v, %v", got, err)
	}
	_, _, err = identityClient(t, w, keyReader).GetServiceID(&iamidentityv1.GetServiceIDOptions{ID: core.StringPtr(readerSID)})
	if status, code := problem(err); status != 403 || code != "BXNIM0513E" {
		t.Errorf("reader: %d %q (%v)", status, code, err)
	}
}

func policyClient(t *testing.T, w *world, key string) *pm.IamPolicyManagementV1 {
	svc, err := pm.NewIamPolicyManagementV1(&pm.IamPolicyManagementV1Options{Authenticator: w.auth(key)})
	if err != nil {
		t.Fatal(err)
	}
	svc.Service.SetHTTPClient(w.client())
	return svc
}

func TestListV2Policies(t *testing.T) {
	w := newWorld(t)
	svc := policyClient(t, w, keyAdmin)
	opts := svc.NewListV2PoliciesOptions(acct).SetIamID("iam-" + readerSID).SetType("access").SetState("active")
	got, _, err := svc.ListV2Policies(opts)
	if err != nil || len(got.Policies) != 1 {
		t.Fatalf("ListV2Policies = %+v, %v", got, err)
	}
	p := got.Policies[0]
	roles := p.Control.(*pm.ControlResponse).Grant.Roles
	if *p.ID != "p-reader" || *roles[0].RoleID != roleReader || p.Subject.Attributes[0].Value != "iam-"+readerSID {
		t.Errorf("policy = %+v", p)
	}
	pager, err := svc.NewV2PoliciesPager(svc.NewListV2PoliciesOptions(acct).SetLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	all, err := pager.GetAll()
	if err != nil || len(all) != 7 {
		t.Errorf("pager: %d policies, %v", len(all), err)
	}
	_, _, err = policyClient(t, w, keyReader).ListV2Policies(opts)
	if status, code := problem(err); status != 403 || code != "insufficent_permissions" {
		t.Errorf("reader: %d %q (%v)", status, code, err)
	}
}

func TestListAccessGroups(t *testing.T) {
	w := newWorld(t)
	svc, err := iamaccessgroupsv2.NewIamAccessGroupsV2(&iamaccessgroupsv2.IamAccessGroupsV2Options{Authenticator: w.auth(keyAdmin)})
	if err != nil {
		t.Fatal(err)
	}
	svc.Service.SetHTTPClient(w.client())
	got, _, err := svc.ListAccessGroups(&iamaccessgroupsv2.ListAccessGroupsOptions{AccountID: core.StringPtr(acct),
		IamID: core.StringPtr("IBMid-dev"), MembershipType: core.StringPtr("all")})
	if err != nil || *got.TotalCount != 1 || *got.Groups[0].ID != "AccessGroupId-devs" {
		t.Fatalf("ListAccessGroups = %+v, %v", got, err)
	}
}

func TestListRoles(t *testing.T) {
	w := newWorld(t)
	got, _, err := policyClient(t, w, keyAdmin).ListRoles(&pm.ListRolesOptions{AccountID: core.StringPtr(acct),
		ServiceName: core.StringPtr("container-registry")})
	if err != nil {
		t.Fatal(err)
	}
	canPull := map[string]bool{}
	for _, r := range append(got.ServiceRoles, got.SystemRoles...) {
		for _, a := range r.Actions {
			canPull[*r.CRN] = canPull[*r.CRN] || a == "container-registry.image.pull"
		}
	}
	want := map[string]bool{roleReader: true, roleWriter: true, roleManager: true,
		roleViewer: false, roleOperator: false, roleEditor: false, roleAdministrator: false}
	if diff := cmp.Diff(want, canPull); diff != "" {
		t.Errorf("roles that can pull (-want +got):\n%s", diff)
	}
}
