package ibmcloud

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Every secret in these tests contains "CANARY", so a test can prove that no
// error message carries a key or a token.
const (
	canary    = "CANARY"
	botKey    = "bot-key-CANARY-7b1e"
	userKey   = "user-key-CANARY-3c9d"
	acct      = "a1b2c3d4"
	otherAcct = "ffff0000"
	svcIAMID  = "iam-ServiceId-1111-2222"
	botIAMID  = "iam-ServiceId-bot-9999"
	readerCRN = "crn:v1:bluemix:public:iam::::serviceRole:Reader"
	writerCRN = "crn:v1:bluemix:public:iam::::serviceRole:Writer"
	adminCRN  = "crn:v1:bluemix:public:iam::::role:Administrator"
	viewerCRN = "crn:v1:bluemix:public:iam::::role:Viewer"
	pullerCRN = "crn:v1:bluemix:public:container-registry::a/a1b2c3d4::customRole:Puller"
	listerCRN = "crn:v1:bluemix:public:container-registry::a/a1b2c3d4::customRole:Lister"
)

// IAM's answer to an unknown API key (reference F).
const keyNotFoundBody = `{"context":{"requestId":"req-1","requestType":"incoming.Identity_Token","url":"https://iam.cloud.ibm.com","clusterName":"iam-id-prod"},"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found."}`

// Error bodies of the other APIs, as they send them.
const (
	identity403 = `{"context":{"requestId":"req-2"},"errorCode":"BXNIM0513E","errorMessage":"You are not authorized to perform the requested action."}`
	policy403   = `{"trace":"1a2b3c","errors":[{"code":"insufficent_permissions","message":"You are not allowed to list policies for the requested account."}],"status_code":403}`
	groups403   = `{"trace":"4d5e6f","errors":[{"code":"insufficient_permissions","message":"You do not have permission to list access groups."}],"status_code":403}`
	registry403 = `{"errors":[{"code":"CRG0003E","message":"You are not authorized to access the specified resource."}]}`
	cluster404  = `{"incidentID":"77aa","code":"G0004","description":"The specified cluster could not be found. Target the region and resource group that the cluster is in.","type":"General"}`
	cluster403  = `{"incidentID":"88bb","code":"E3012","description":"You do not have the required permissions.","type":"Authentication"}`
)

// rolesBody is a /v2/roles answer for container-registry: service roles with
// the pull action, platform roles without, one custom role of each kind.
const rolesBody = `{
 "custom_roles":[
  {"id":"r1","display_name":"Puller","name":"Puller","account_id":"a1b2c3d4","service_name":"container-registry","actions":["container-registry.image.pull"],"crn":"crn:v1:bluemix:public:container-registry::a/a1b2c3d4::customRole:Puller"},
  {"id":"r2","display_name":"Lister","name":"Lister","account_id":"a1b2c3d4","service_name":"container-registry","actions":["container-registry.namespace.list"],"crn":"crn:v1:bluemix:public:container-registry::a/a1b2c3d4::customRole:Lister"}],
 "service_roles":[
  {"display_name":"Reader","description":"Pull images","actions":["container-registry.image.pull","container-registry.image.list","container-registry.quota.get"],"crn":"crn:v1:bluemix:public:iam::::serviceRole:Reader"},
  {"display_name":"Writer","description":"Push images","actions":["container-registry.image.pull","container-registry.image.push"],"crn":"crn:v1:bluemix:public:iam::::serviceRole:Writer"},
  {"display_name":"Manager","description":"Manage","actions":["container-registry.image.pull","container-registry.quota.set"],"crn":"crn:v1:bluemix:public:iam::::serviceRole:Manager"}],
 "system_roles":[
  {"display_name":"Viewer","description":"View","actions":["container-registry.namespace.list"],"crn":"crn:v1:bluemix:public:iam::::role:Viewer"},
  {"display_name":"Administrator","description":"Administer","actions":["iam.policy.create"],"crn":"crn:v1:bluemix:public:iam::::role:Administrator"}]}`

// keyFixture is what the fake IAM knows about one API key.
type keyFixture struct {
	name     string // shown in recorded requests instead of the key
	iamID    string
	account  string
	disabled bool // IAM refuses to exchange it but still describes it
}

// fakeCloud is one httptest server playing every IBM Cloud API the Client
// calls. Tests fill its maps, or set fail to answer a route with an error.
type fakeCloud struct {
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []string
	tokens   map[string]string // access token -> API key
	keys     map[string]keyFixture
	policies map[string][]string // "iam_id=…" or "access_group_id=…" -> policy JSON
	groups   map[string][]string // iam_id -> group JSON
	// accountGroups are every group of the account, as GET /v2/groups
	// without iam_id lists them.
	accountGroups []string
	fail          map[string]failure // "GET /v2/roles" -> answer
	// forbid answers a route with 403 when the named key calls it.
	forbid map[string]string // "GET /v1/apikeys/details" -> "bot"
	// lastBody is the body of the last POST /v2/enablePullSecret.
	lastBody string
	// regional maps a region to the namespaces acct has there, served on
	// /r/<region>/api/v1/namespaces/details (see regionalEndpoints).
	regional map[string][]string
	// inflight and maxInflight count concurrent regional listings.
	inflight, maxInflight int
}

type failure struct {
	status int
	body   string
}

func newFake(t *testing.T) *fakeCloud {
	t.Helper()
	f := &fakeCloud{
		tokens:   map[string]string{},
		keys:     map[string]keyFixture{botKey: {name: "bot", iamID: botIAMID, account: acct}, userKey: {name: "user", iamID: svcIAMID, account: acct}},
		policies: map[string][]string{},
		groups:   map[string][]string{},
		fail:     map[string]failure{},
		forbid:   map[string]string{},
		regional: map[string][]string{},
	}
	f.srv = httptest.NewServer(f.routes())
	t.Cleanup(f.srv.Close)
	return f
}

// endpoints points every API, and the us-south and global registries, at f.
func (f *fakeCloud) endpoints() Endpoints {
	u := f.srv.URL
	return Endpoints{IAM: u, IAMIdentity: u, IAMPolicy: u, IAMAccessGroups: u, Containers: u,
		Registry: map[string]string{"us-south": u, "global": u}}
}

// regionalEndpoints are endpoints() with every region's registry API on
// f under /r/<region>.
func (f *fakeCloud) regionalEndpoints() Endpoints {
	ep := f.endpoints()
	for _, d := range icr.Domains {
		ep.Registry[d.Region] = f.srv.URL + "/r/" + d.Region
	}
	return ep
}

// client returns a Client against f with the given bot key.
func (f *fakeCloud) client(bot string) *Client {
	return New(f.endpoints(), &http.Client{Timeout: 10 * time.Second}, bot)
}

// requests returns the recorded requests, sorted (concurrent calls arrive in
// any order).
func (f *fakeCloud) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]string(nil), f.reqs...)
	sort.Strings(out)
	return out
}

// count returns how many recorded requests start with prefix.
func (f *fakeCloud) count(prefix string) int {
	n := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

// ServeHTTP records the request, answers injected failures, checks the
// bearer token and dispatches.
func (f *fakeCloud) serve(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := r.Method + " " + r.URL.Path
		caller := f.caller(r)
		f.mu.Lock()
		rec := route
		if q := r.URL.Query().Encode(); q != "" {
			rec += "?" + q
		}
		if a := r.Header.Get("Account"); a != "" {
			rec += " account=" + a
		}
		if caller != "" {
			rec += " as=" + caller
		}
		f.reqs = append(f.reqs, rec)
		fl, failing := f.fail[route]
		forbidden := caller != "" && f.forbid[route] == caller
		f.mu.Unlock()
		switch {
		case failing:
			writeJSON(w, fl.status, fl.body)
		case forbidden:
			writeJSON(w, http.StatusForbidden, identity403)
		case route != "POST /identity/token" && caller == "":
			writeJSON(w, http.StatusUnauthorized, `{"errorCode":"BXNIM0308E","errorMessage":"Token is expired or invalid."}`)
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

// caller names the key behind the request's bearer token, "" when none.
func (f *fakeCloud) caller(r *http.Request) string {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keys[f.tokens[tok]].name
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// token answers POST /identity/token like IAM.
func (f *fakeCloud) token(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("apikey")
	f.mu.Lock()
	k, ok := f.keys[key]
	tok := fmt.Sprintf("tok-%s-%d", canary, len(f.tokens)+1)
	if ok && !k.disabled {
		f.tokens[tok] = key
	}
	f.mu.Unlock()
	if !ok || k.disabled || r.PostFormValue("grant_type") != "urn:ibm:params:oauth:grant-type:apikey" {
		writeJSON(w, http.StatusBadRequest, keyNotFoundBody)
		return
	}
	now := time.Now().Unix()
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"access_token":%q,"refresh_token":"ref-%s","ims_user_id":1234567,"token_type":"Bearer","expires_in":3600,"expiration":%d,"scope":"ibm openid"}`, tok, canary, now+3600))
}

// jsonString quotes v for embedding in a JSON fixture.
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
