package registry

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
)

// The error bodies icr.io sends (ibm-cloud-apis.md §B).
const (
	msgAuthRequired = "Authorization required. See https://cloud.ibm.com/docs/Registry?topic=Registry-troubleshoot-auth-req"
	msgNotAuthzd    = "You are not authorized to access the specified resource."
	msgQuota        = "Your account has exceeded its pull traffic quota for the current month."
	msgPrivateOnly  = "Private-only access is enabled on this account, but this request was over the public network. You must access this account over the private network"
	msgUnsupported  = "The requested authentication method is not supported. Run ibmcloud cr login to log in to the registry. To use registry tokens, use docker login -u token"
	msgTooMany      = "Too many requests. Try again later."
)

// canaryKey is the fake's valid API key; no Outcome may ever show it.
const canaryKey = "Canary-apikey-4b9e1d7c"

// fault is an error response the fake sends instead of the registry's answer.
type fault struct {
	status        int
	code, message string
	header        http.Header
}

// icrFake is icr.io at the HTTP level: go-containerregistry's in-memory
// registry behind icr.io's Bearer token flow and error bodies.
type icrFake struct {
	srv  *httptest.Server
	host string
	reg  http.Handler

	// Faults, by kind of request; nil means the real answer.
	ping, token, manifest, blob, tags *fault
	// faultOnce clears each fault after it has been sent once.
	faultOnce bool
	// echoKey makes the token endpoint quote a rejected password, as a
	// careless registry might.
	echoKey bool

	mu       sync.Mutex
	tokens   map[string]bool
	requests []string
}

// newICRFake starts a fake serving reg on 127.0.0.1.
func newICRFake(t *testing.T, reg http.Handler) *icrFake {
	f := &icrFake{reg: reg, tokens: map[string]bool{}}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	f.host = strings.TrimPrefix(f.srv.URL, "http://")
	return f
}

// newRegistry returns an in-memory registry that logs nothing.
func newRegistry() http.Handler {
	return registry.New(registry.Logger(log.New(io.Discard, "", 0)))
}

// ServeHTTP implements icr.io's flow: /v2/ and every other /v2/ path need a
// token from /oauth/token on the same host.
func (f *icrFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.record(r)
	switch {
	case r.URL.Path == "/v2/" && f.ping != nil:
		writeError(w, *f.ping)
	case r.URL.Path == "/oauth/token":
		f.serveToken(w, r)
	case !f.hasToken(r):
		w.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer realm="%s/oauth/token",service="registry"`, f.srv.URL))
		writeError(w, fault{status: http.StatusUnauthorized, code: "UNAUTHORIZED", message: msgAuthRequired})
	case r.URL.Path == "/v2/":
		w.WriteHeader(http.StatusOK)
	case strings.Contains(r.URL.Path, "/manifests/"):
		f.serveOrFault(w, r, &f.manifest)
	case strings.Contains(r.URL.Path, "/blobs/"):
		f.serveOrFault(w, r, &f.blob)
	case strings.HasSuffix(r.URL.Path, "/tags/list"):
		f.serveOrFault(w, r, &f.tags)
	default:
		f.reg.ServeHTTP(w, r)
	}
}

// serveOrFault sends *slot if set, else the registry's answer.
func (f *icrFake) serveOrFault(w http.ResponseWriter, r *http.Request, slot **fault) {
	f.mu.Lock()
	e := *slot
	if f.faultOnce {
		*slot = nil
	}
	f.mu.Unlock()
	if e == nil {
		f.reg.ServeHTTP(w, r)
		return
	}
	writeError(w, *e)
}

// serveToken issues a token for Basic iamapikey:<canaryKey>.
func (f *icrFake) serveToken(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	switch {
	case !ok:
		writeError(w, fault{status: http.StatusUnauthorized, code: "UNAUTHORIZED", message: msgAuthRequired})
	case user == "token":
		writeError(w, fault{status: http.StatusUnauthorized, code: "UNSUPPORTED", message: msgUnsupported})
	case user != "iamapikey" || pass != canaryKey:
		msg := "An error occurred when authenticating your request with IBM Cloud."
		if f.echoKey {
			msg += " API key " + pass + " is not valid."
		}
		writeError(w, fault{status: http.StatusUnauthorized, code: "UNAUTHORIZED", message: msg})
	case f.token != nil:
		writeError(w, *f.token)
	default:
		f.mu.Lock()
		tok := fmt.Sprintf("tok-%d", len(f.tokens)+1)
		f.tokens[tok] = true
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"token": tok, "expires_in": 300})
	}
}

// hasToken reports whether r carries a token this fake issued.
func (f *icrFake) hasToken(r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
}

// record notes "METHOD path" of every request.
func (f *icrFake) record(r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
}

// recorded returns the requests seen so far.
func (f *icrFake) recorded() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

// writeError writes an OCI distribution error body.
func writeError(w http.ResponseWriter, e fault) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{
		"code": e.code, "message": e.message, "detail": e.message,
	}}})
}
