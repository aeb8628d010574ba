package cloud

import (
	"net/http"
	"strings"
	"time"
)

const iamGrantAPIKey = "urn:ibm:params:oauth:grant-type:apikey"

// serveIAM answers iam.cloud.ibm.com.
func (c *Cloud) serveIAM(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/identity/token" {
		c.iamToken(w, r)
		return
	}
	caller, ok := c.tokenIdentity(c.iamTokens, bearer(r))
	if !ok {
		iamError(w, http.StatusUnauthorized, "unauthorized", "Unauthorized")
		return
	}
	p := r.URL.Path
	switch {
	case r.Method != http.MethodGet:
		iamError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed.")
	case p == "/v1/apikeys/details":
		c.apiKeyDetails(w, r)
	case strings.HasPrefix(p, "/v1/serviceids/"):
		c.serviceID(w, caller, strings.TrimPrefix(p, "/v1/serviceids/"))
	case p == "/v2/policies":
		c.listPolicies(w, r, caller)
	case p == "/v2/groups":
		c.listGroups(w, r, caller)
	case p == "/v2/roles":
		c.listRoles(w, r, caller)
	default:
		iamError(w, http.StatusNotFound, "not_found", "Not found.")
	}
}

// iamToken is POST /identity/token.
func (c *Cloud) iamToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		iamTokenError(w, "BXNIM0109E", "Property missing or empty.")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != iamGrantAPIKey {
		iamTokenError(w, "BXNIM0109E", "Property grant_type is missing or has an unsupported value.")
		return
	}
	k, ok := c.validKey(r.PostForm.Get("apikey"))
	if !ok {
		iamTokenError(w, "BXNIM0415E", "Provided API key could not be found.")
		return
	}
	id := identity{IAMID: k.IAMID, AccountID: k.AccountID}
	const ttl = time.Hour
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  c.issue(c.iamTokens, id, ttl),
		"refresh_token": c.issue(c.refreshToks, id, 30*24*time.Hour),
		"token_type":    "Bearer",
		"expires_in":    int64(ttl / time.Second),
		"expiration":    time.Now().Add(ttl).Unix(),
		"scope":         "ibm openid",
	})
}

// iamTokenError writes the token endpoint's error shape.
func iamTokenError(w http.ResponseWriter, code, msg string) {
	now := time.Now().UTC()
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"errorCode":    code,
		"errorMessage": msg,
		"context": map[string]string{
			"requestId": randomID(), "requestType": "incoming.Identity_Token",
			"startTime": now.Format(time.RFC1123), "endTime": now.Format(time.RFC1123),
			"elapsedTime": "0", "instanceId": "tokenservice-emulated", "host": "iam.cloud.ibm.com",
			"threadId": "1", "clusterName": "iam-id-emulated", "userAgent": "", "locale": "en_US",
		},
	})
}

// iamError writes the shape the IAM REST APIs use for errors.
func iamError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"trace":       randomID(),
		"errors":      []map[string]string{{"code": code, "message": msg}},
		"status_code": status,
	})
}

// apiKeyDetails is GET /v1/apikeys/details; any authenticated caller may
// look up any key, including disabled and expired ones.
func (c *Cloud) apiKeyDetails(w http.ResponseWriter, r *http.Request) {
	secret := r.Header.Get("IAM-ApiKey")
	c.mu.Lock()
	k, ok := c.keys[secret]
	c.mu.Unlock()
	if !ok || secret == "" {
		iamError(w, http.StatusNotFound, "not_found", "API key not found.")
		return
	}
	body := map[string]any{
		"id": k.ID, "entity_tag": "1-" + k.ID, "locked": false, "disabled": k.Disabled,
		"crn":        "crn:v1:bluemix:public:iam-identity::a/" + k.AccountID + "::apikey:" + k.ID,
		"created_at": c.stamp(), "created_by": k.CreatedBy, "modified_at": c.stamp(),
		"name": k.Name, "description": "", "iam_id": k.IAMID, "account_id": k.AccountID,
		"apikey": "",
	}
	if k.ExpiresAt != nil {
		body["expires_at"] = k.ExpiresAt.UTC().Format(time.RFC3339)
	}
	writeJSON(w, http.StatusOK, body)
}

// serviceID is GET /v1/serviceids/{id}.
func (c *Cloud) serviceID(w http.ResponseWriter, caller identity, id string) {
	c.mu.Lock()
	s, ok := c.serviceIDs[id]
	c.mu.Unlock()
	if !ok {
		iamError(w, http.StatusNotFound, "not_found", "Service ID not found.")
		return
	}
	if !hasAnyRole(c.grantedRoles(caller.IAMID, target(s.AccountID, "iam-identity"))) {
		iamError(w, http.StatusForbidden, "BXNIM0513E", "You are not authorized to view the service ID.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": s.ID, "iam_id": "iam-" + s.ID, "entity_tag": "1-" + s.ID,
		"crn":    "crn:v1:bluemix:public:iam-identity::a/" + s.AccountID + "::serviceid:" + s.ID,
		"locked": false, "created_at": c.stamp(), "modified_at": c.stamp(),
		"account_id": s.AccountID, "name": s.Name, "description": s.Description,
	})
}
