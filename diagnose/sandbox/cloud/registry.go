package cloud

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Registry error messages as icr.io words them.
const (
	msgAuthRequired = "Authorization required. See https://cloud.ibm.com/docs/Registry?topic=Registry-troubleshoot-auth-req"
	msgNotAuthz     = "You are not authorized to access the specified resource."
	msgPrivateOnly  = "Private-only access is enabled on this account, but this request was over the public network. You must access this account over the private network"
	msgTraffic      = "Your account has exceeded its pull traffic quota for the current month."
	msgUnsupported  = "The requested authentication method is not supported. Registry tokens are no longer supported. Use an IAM API key."
)

// serveRegistryHost answers one registry host: the token endpoint, the
// management API and the registry protocol.
func (c *Cloud) serveRegistryHost(w *statusWriter, r *http.Request, host string) {
	h, _ := icr.Lookup(host)
	switch p := r.URL.Path; {
	case p == "/oauth/token":
		c.registryToken(w, r)
	case strings.HasPrefix(p, "/api/v1/"):
		c.serveRegistryAPI(w, r, h)
	case p == "/v2" || strings.HasPrefix(p, "/v2/"):
		c.serveV2(w, r, h, host)
	default:
		registryError(w, http.StatusNotFound, "NOT_FOUND", "Not found.")
	}
}

// registryToken is the bearer-token endpoint: GET with Basic auth, or the
// OAuth2 POST form (grant_type password or refresh_token).
func (c *Cloud) registryToken(w http.ResponseWriter, r *http.Request) {
	user, pass, hasCreds := r.BasicAuth()
	if r.Method == http.MethodPost && r.ParseForm() == nil {
		switch r.PostForm.Get("grant_type") {
		case "password":
			user, pass, hasCreds = r.PostForm.Get("username"), r.PostForm.Get("password"), true
		case "refresh_token":
			user, pass, hasCreds = "iamrefresh", r.PostForm.Get("refresh_token"), true
		}
	}
	var id identity
	ok := true
	switch {
	case !hasCreds:
		// Anonymous: a token that can pull nothing private.
	case user == "iamapikey":
		var k APIKey
		k, ok = c.validKey(pass)
		id = identity{IAMID: k.IAMID, AccountID: k.AccountID}
	case user == "iambearer":
		id, ok = c.tokenIdentity(c.iamTokens, pass)
	case user == "iamrefresh":
		id, ok = c.tokenIdentity(c.refreshToks, pass)
	case user == "token":
		registryError(w, http.StatusUnauthorized, "UNSUPPORTED", msgUnsupported)
		return
	default:
		ok = false
	}
	if !ok {
		registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", msgAuthRequired)
		return
	}
	const ttl = 5 * time.Minute
	tok := c.issue(c.regTokens, id, ttl)
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "access_token": tok,
		"expires_in": int64(ttl / time.Second), "issued_at": time.Now().UTC().Format(time.RFC3339)})
}

// serveV2 enforces icr.io's access rules and hands allowed requests to the
// in-memory registry of the host's region.
func (c *Cloud) serveV2(w *statusWriter, r *http.Request, h icr.Host, host string) {
	id, ok := c.tokenIdentity(c.regTokens, bearer(r))
	if !ok || id.IAMID == "" {
		w.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer realm="https://%s/oauth/token",service="registry"`, host))
		registryError(w, http.StatusUnauthorized, "UNAUTHORIZED", msgAuthRequired)
		return
	}
	ns, kind, ok := parseV2(r.URL.Path)
	if !ok {
		if r.URL.Path == "/v2/" || r.URL.Path == "/v2" {
			c.store(h.Host).ServeHTTP(w, r)
		} else { // e.g. /v2/_catalog, which would list other accounts' repositories
			registryError(w, http.StatusNotFound, "UNSUPPORTED", "The operation is unsupported.")
		}
		return
	}
	c.mu.Lock()
	owner, known := c.namespaces[h.Region+"/"+ns]
	private := c.privateOnly[owner.AccountID]
	restricted := c.restricted[h.Region+"/"+ns]
	q := c.quota(h.Region, owner.AccountID)
	denial := c.trafficDenial(h.Region, owner.AccountID)
	c.mu.Unlock()
	action := "image.pull"
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		action = "image.push"
	}
	blobGet := kind == "blobs" && r.Method == http.MethodGet
	switch {
	case known && private && !h.Private:
		registryError(w, http.StatusForbidden, "DENIED", msgPrivateOnly)
	case !known || owner.AccountID != id.AccountID || !allowsRegistry(c.grantedRoles(id.IAMID,
		target(owner.AccountID, "container-registry", "region", h.Region,
			"resourceType", "namespace", "resource", ns, "resourceGroupId", owner.ResourceGroup)), action):
		registryError(w, http.StatusForbidden, "DENIED", msgNotAuthz)
	case restricted: // a context-based restriction: policies allow, the network context does not
		registryError(w, http.StatusForbidden, "DENIED", msgNotAuthz)
	case blobGet && q.TrafficLimit != -1 && q.TrafficUsed >= q.TrafficLimit:
		registryError(w, http.StatusForbidden, "DENIED", denial)
	default:
		before := w.written
		c.store(h.Host).ServeHTTP(w, r)
		if blobGet && w.status == http.StatusOK {
			c.addTraffic(h.Region, owner.AccountID, w.written-before)
		}
	}
}

// parseV2 splits /v2/<ns>/<repo…>/<kind>/<ref> into the namespace and kind.
func parseV2(p string) (ns, kind string, ok bool) {
	elems := strings.Split(strings.TrimPrefix(p, "/v2/"), "/")
	if len(elems) < 4 {
		return "", "", false
	}
	kind = elems[len(elems)-2]
	if kind == "uploads" && len(elems) >= 5 { // blobs/uploads/<id>
		kind = elems[len(elems)-3]
	}
	return elems[0], kind, true
}

func (c *Cloud) addTraffic(region, account string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.quota(region, account)
	q.TrafficUsed += n
	c.quotas[quotaKey{region, account}] = q
}

// registryError writes the OCI distribution error shape icr.io uses.
func registryError(w http.ResponseWriter, status int, code, msg string) {
	e := map[string]string{"code": code, "message": msg}
	if code == "UNAUTHORIZED" {
		e["detail"] = msg
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]string{e}})
}
