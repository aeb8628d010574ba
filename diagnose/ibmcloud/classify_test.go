package ibmcloud

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/IBM/container-registry-go-sdk/containerregistryv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iamidentityv1"
	"github.com/google/go-cmp/cmp"
)

// noSecrets fails when an error message carries a canary key or token.
func noSecrets(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), canary) {
		t.Errorf("error leaks a secret: %q", err)
	}
}

// typed returns the package error type inside err, or err itself.
func typed(err error) any {
	var kr *KeyRejectedError
	var pe *PermissionError
	var nf *NotFoundError
	var ae *APIError
	switch {
	case errors.As(err, &kr):
		return kr
	case errors.As(err, &pe):
		return pe
	case errors.As(err, &nf):
		return nf
	case errors.As(err, &ae):
		return ae
	}
	return err
}

func TestErrorClassification(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		bot  string
		fail map[string]failure
		call func(*Client) error
		want any
	}{
		{name: "unknown key is rejected", call: func(c *Client) error { return c.Exchange(ctx, "nope-"+canary) },
			want: &KeyRejectedError{Status: 400, Code: "BXNIM0415E", Message: "Provided API key could not be found."}},
		{name: "bot key rejected", bot: "bad-bot-" + canary, call: func(c *Client) error { _, err := c.ServiceID(ctx, svcIAMID); return err },
			want: &PermissionError{API: "IAM", Permission: "a valid API key in IBMCLOUD_API_KEY", Status: 400, Rejected: true}},
		{name: "service ID forbidden", bot: botKey, fail: map[string]failure{"GET /v1/serviceids/ServiceId-1111-2222": {403, identity403}},
			call: func(c *Client) error { _, err := c.ServiceID(ctx, svcIAMID); return err },
			want: &PermissionError{API: "IAM identity", Permission: "Viewer on IAM Identity Service", Status: 403}},
		{name: "service ID not found", bot: botKey, call: func(c *Client) error { _, err := c.ServiceID(ctx, "iam-ServiceId-gone"); return err },
			want: &NotFoundError{What: "service ID ServiceId-gone"}},
		{name: "quota forbidden", bot: botKey, fail: map[string]failure{"GET /api/v1/quotas": {403, registry403}},
			call: func(c *Client) error { _, err := c.Quota(ctx, "us-south", acct); return err },
			want: &PermissionError{API: "Container Registry", Permission: "Reader on Container Registry", Status: 403}},
		{name: "namespaces with user key forbidden", bot: botKey, fail: map[string]failure{"GET /api/v1/namespaces/details": {403, registry403}},
			call: func(c *Client) error { _, _, err := c.Namespace(ctx, "us-south", "team-a", acct, userKey); return err },
			want: &APIError{API: "Container Registry", Status: 403, Code: "CRG0003E", Message: "You are not authorized to access the specified resource."}},
		{name: "registry server error", bot: botKey, fail: map[string]failure{"GET /api/v1/quotas": {500, `{"errors":[{"code":"CRG0001E","message":"Internal error."}]}`}},
			call: func(c *Client) error { _, err := c.Quota(ctx, "us-south", acct); return err },
			want: &APIError{API: "Container Registry", Status: 500, Code: "CRG0001E", Message: "Internal error."}},
		{name: "cluster forbidden", bot: botKey, fail: map[string]failure{"GET /v2/getCluster": {403, cluster403}},
			call: func(c *Client) error { _, err := c.Cluster(ctx, "mycluster"); return err },
			want: &PermissionError{API: "Kubernetes Service", Permission: "Viewer on Kubernetes Service", Status: 403}},
		{name: "cluster not found", bot: botKey, call: func(c *Client) error { _, err := c.Cluster(ctx, "nosuch"); return err },
			want: &NotFoundError{What: "cluster nosuch"}},
		{name: "enable pull secret unauthorized", bot: botKey, fail: map[string]failure{"POST /v2/enablePullSecret": {401, cluster403}},
			call: func(c *Client) error { return c.EnablePullSecret(ctx, "mycluster") },
			want: &PermissionError{API: "Kubernetes Service", Permission: "Operator on Kubernetes Service and Administrator on Container Registry", Status: 401}},
		{name: "IAM outage", fail: map[string]failure{"POST /identity/token": {503, `{"errorCode":"BXNIM0999E","errorMessage":"Service unavailable."}`}},
			call: func(c *Client) error { return c.Exchange(ctx, userKey) },
			want: &APIError{API: "IAM", Status: 503, Code: "BXNIM0999E", Message: "Service unavailable."}},
		{name: "IAM rate limit is not a rejection", fail: map[string]failure{"POST /identity/token": {429, `{"errorCode":"BXNIM0429E","errorMessage":"Too many requests."}`}},
			call: func(c *Client) error { return c.Exchange(ctx, userKey) },
			want: &APIError{API: "IAM", Status: 429, Code: "BXNIM0429E", Message: "Too many requests."}},
		{name: "malformed key", call: func(c *Client) error { return c.Exchange(ctx, `"`+userKey+`"`) },
			want: &KeyRejectedError{Message: "the API key starts or ends with {, } or a quote"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			for route, fl := range tt.fail {
				f.fail[route] = fl
			}
			err := tt.call(f.client(tt.bot))
			if diff := cmp.Diff(tt.want, typed(err)); diff != "" {
				t.Errorf("error %v (-want +got):\n%s", err, diff)
			}
			noSecrets(t, err)
		})
	}
}

func TestPermissionErrorMessage(t *testing.T) {
	err := &PermissionError{API: "IAM policy management", Permission: "Viewer on IAM Access Management", Status: 403}
	if got, want := err.Error(), "IAM policy management: pullcheck's API key lacks Viewer on IAM Access Management (HTTP 403)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestUnreachable(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	refused := closed.URL
	closed.Close()
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // expected handshake failures
	untrusted.StartTLS()
	defer untrusted.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()

	tests := []struct {
		name    string
		iam     string // "" = the fake cloud
		reg     string // "" = the fake cloud
		timeout time.Duration
		service string
		host    string
		check   func(error) bool
	}{
		{name: "connection refused", iam: refused, service: "IAM", host: strings.TrimPrefix(refused, "http://"),
			check: func(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }},
		{name: "untrusted certificate at IAM", iam: untrusted.URL, service: "IAM", host: strings.TrimPrefix(untrusted.URL, "https://"),
			check: func(err error) bool { return strings.Contains(err.Error(), "x509") }},
		{name: "untrusted certificate at registry", reg: untrusted.URL, service: "Container Registry", host: strings.TrimPrefix(untrusted.URL, "https://"),
			check: func(err error) bool { return strings.Contains(err.Error(), "x509") }},
		{name: "registry timeout", reg: hang.URL, timeout: 200 * time.Millisecond, service: "Container Registry", host: strings.TrimPrefix(hang.URL, "http://"),
			check: func(err error) bool { var ne net.Error; return errors.As(err, &ne) && ne.Timeout() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			ep := f.endpoints()
			if tt.iam != "" {
				ep.IAM = tt.iam
			}
			if tt.reg != "" {
				ep.Registry["us-south"] = tt.reg
			}
			hc := &http.Client{Timeout: 10 * time.Second}
			if tt.timeout != 0 {
				hc.Timeout = tt.timeout
			}
			_, err := New(ep, hc, botKey).Quota(context.Background(), "us-south", acct)
			var ue *UnreachableError
			if !errors.As(err, &ue) {
				t.Fatalf("Quota error = %v, want *UnreachableError", err)
			}
			if ue.Service != tt.service || ue.Host != tt.host || !tt.check(ue.Err) {
				t.Errorf("got %+v (%v), want service %q host %q", ue, ue.Err, tt.service, tt.host)
			}
			if strings.Contains(err.Error(), "/api/v1") || strings.Contains(err.Error(), "/identity/token") {
				t.Errorf("error repeats the request URL: %v", err)
			}
			noSecrets(t, err)
		})
	}
}

// TestAuthStepFailure feeds fail the error both SDK generations return when
// the token exchange fails inside a service call.
func TestAuthStepFailure(t *testing.T) {
	f := newFake(t)
	c := f.client(botKey)
	ctx := context.Background()
	bad := &core.IamAuthenticator{ApiKey: "bad-" + canary, URL: f.srv.URL, Client: c.hc}

	id, err := iamidentityv1.NewIamIdentityV1(&iamidentityv1.IamIdentityV1Options{URL: f.srv.URL, Authenticator: bad})
	if err != nil {
		t.Fatal(err)
	}
	_, idResp, idErr := id.GetServiceIDWithContext(ctx, id.NewGetServiceIDOptions("ServiceId-x"))
	cr, err := containerregistryv1.NewContainerRegistryV1(&containerregistryv1.ContainerRegistryV1Options{URL: f.srv.URL, Authenticator: bad, Account: core.StringPtr(acct)})
	if err != nil {
		t.Fatal(err)
	}
	_, crResp, crErr := cr.GetQuotaWithContext(ctx, cr.NewGetQuotaOptions())

	rejected := &KeyRejectedError{Status: 400, Code: "BXNIM0415E", Message: "Provided API key could not be found."}
	botRejected := &PermissionError{API: "IAM", Permission: permValidKey, Status: 400, Rejected: true}
	tests := []struct {
		name string
		k    call
		resp *core.DetailedResponse
		err  error
		want any
	}{
		{"platform-services, bot key", call{api: apiIdentity, perm: permIdentity}, idResp, idErr, botRejected},
		{"platform-services, user key", call{api: apiIdentity}, idResp, idErr, rejected},
		{"platform-services, no response returned", call{api: apiIdentity}, nil, idErr, rejected},
		{"container-registry, bot key", call{api: apiRegistry, perm: permRegistry}, crResp, crErr, botRejected},
		{"container-registry, user key", call{api: apiRegistry}, crResp, crErr, rejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.fail(ctx, tt.k, tt.resp, tt.err)
			if diff := cmp.Diff(tt.want, typed(got)); diff != "" {
				t.Errorf("fail (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCanceledContext(t *testing.T) {
	f := newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := f.client(botKey)
	if err := c.Exchange(ctx, userKey); !errors.Is(err, context.Canceled) {
		t.Errorf("Exchange: %v, want context.Canceled", err)
	}
	if _, err := c.PullAccess(ctx, baseScope()); !errors.Is(err, context.Canceled) {
		t.Errorf("PullAccess: %v, want context.Canceled", err)
	}
	if n := f.count(""); n != 0 {
		t.Errorf("%d requests made with a canceled context", n)
	}
}
