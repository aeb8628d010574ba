package cloud

import (
	"net/http"
	"testing"
	"time"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/google/go-containerregistry/pkg/v1/random"
)

// Account IDs and API key secrets of the test world.
const (
	acct      = "acct1"
	otherAcct = "acct2"
	privAcct  = "acct3"

	keyAdmin    = "key-admin"    // IBMid-admin: viewer on IAM services, operator on clusters, registry Manager
	keyReader   = "key-reader"   // cluster service ID: registry Reader in acct1 (all regions)
	keyGroup    = "key-group"    // member of an access group with Reader on namespaces te*
	keyNoPolicy = "key-nopolicy" // valid key, no policies
	keyOther    = "key-other"    // account acct2, Reader in acct2
	keyPrivate  = "key-private"  // account acct3 (private-only), Reader in acct3
	keyDisabled = "key-disabled"
	keyExpired  = "key-expired"

	readerSID = "ServiceId-1111"
)

// world is a started cloud filled with the test accounts.
type world struct {
	cloud  *Cloud
	server *Server
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := New()
	past := time.Now().Add(-time.Hour)
	for _, k := range []APIKey{
		{Value: keyAdmin, ID: "ApiKey-admin", IAMID: "IBMid-admin", AccountID: acct, Name: "admin"},
		{Value: keyReader, ID: "ApiKey-reader", IAMID: "iam-" + readerSID, AccountID: acct, Name: "cluster-c1", CreatedBy: "IBMid-admin"},
		{Value: keyGroup, ID: "ApiKey-group", IAMID: "IBMid-dev", AccountID: acct, Name: "dev"},
		{Value: keyNoPolicy, ID: "ApiKey-nopol", IAMID: "IBMid-nopol", AccountID: acct, Name: "nopol"},
		{Value: keyOther, ID: "ApiKey-other", IAMID: "IBMid-other", AccountID: otherAcct, Name: "other"},
		{Value: keyPrivate, ID: "ApiKey-priv", IAMID: "IBMid-priv", AccountID: privAcct, Name: "priv"},
		{Value: keyDisabled, ID: "ApiKey-disabled", IAMID: "IBMid-x", AccountID: acct, Name: "off", Disabled: true},
		{Value: keyExpired, ID: "ApiKey-expired", IAMID: "IBMid-x", AccountID: acct, Name: "old", ExpiresAt: &past},
	} {
		c.AddAPIKey(k)
	}
	c.AddServiceID(ServiceID{ID: readerSID, AccountID: acct, Name: "cluster-c1", Description: "ID for c1"})
	for _, svc := range []string{"iam-identity", "iam-access-management", "iam-groups"} {
		c.AddPolicy(Policy{AccountID: acct, SubjectIAMID: "IBMid-admin", Roles: []string{roleViewer},
			Resource: map[string]string{"accountId": acct, "serviceName": svc}})
	}
	c.AddPolicy(Policy{AccountID: acct, SubjectIAMID: "IBMid-admin", Roles: []string{roleOperator},
		Resource: map[string]string{"accountId": acct, "serviceName": "containers-kubernetes"}})
	c.AddPolicy(Policy{AccountID: acct, SubjectIAMID: "IBMid-admin", Roles: []string{roleManager},
		Resource: map[string]string{"accountId": acct, "serviceName": "container-registry"}})
	c.AddPolicy(Policy{ID: "p-reader", AccountID: acct, SubjectIAMID: "iam-" + readerSID, Roles: []string{roleReader},
		Resource: map[string]string{"accountId": acct, "serviceName": "container-registry"}})
	c.AddPolicy(Policy{AccountID: otherAcct, SubjectIAMID: "IBMid-other", Roles: []string{roleReader},
		Resource: map[string]string{"accountId": otherAcct, "serviceName": "container-registry"}})
	c.AddPolicy(Policy{AccountID: privAcct, SubjectIAMID: "IBMid-priv", Roles: []string{roleReader},
		Resource: map[string]string{"accountId": privAcct, "serviceType": "service"}})
	c.AddAccessGroup(AccessGroup{ID: "AccessGroupId-devs", AccountID: acct, Name: "devs", Members: []string{"IBMid-dev"}})
	c.AddPolicy(Policy{AccountID: acct, AccessGroupID: "AccessGroupId-devs", Roles: []string{roleReader},
		Resource: map[string]string{"accountId": acct, "serviceName": "container-registry", "region": "us-south",
			"resourceType": "namespace", "resource": "te*"},
		Operators: map[string]string{"resource": "stringMatch"}})
	c.AddNamespace("us-south", "team", acct, "rg1")
	c.AddNamespace("us-south", "secret", acct, "rg1")
	c.AddNamespace("us-south", "priv", privAcct, "rg3")
	c.AddNamespace("global", "glob", acct, "rg1")
	c.SetPrivateOnly(privAcct, true)
	c.AddCluster(Cluster{ID: "c1", Name: "prod", AccountID: acct, Region: "us-south", ResourceGroup: "rg1"})
	for _, ref := range []string{"us.icr.io/team/app:1", "us.icr.io/secret/app:1", "us.icr.io/priv/app:1", "icr.io/glob/app:1"} {
		img, err := random.Image(512, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Push(ref, img); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Start(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &world{cloud: c, server: s}
}

// auth returns an IAM authenticator for a key that uses the default IAM URL.
func (w *world) auth(key string) *core.IamAuthenticator {
	return &core.IamAuthenticator{ApiKey: key, Client: w.server.HTTPClient()}
}

// client returns a plain HTTP client through the emulator.
func (w *world) client() *http.Client { return w.server.HTTPClient() }

// iamToken returns an IAM access token for a key.
func (w *world) iamToken(t *testing.T, key string) string {
	t.Helper()
	tok, err := w.auth(key).GetToken()
	if err != nil {
		t.Fatalf("GetToken(%s): %v", key, err)
	}
	return tok
}
