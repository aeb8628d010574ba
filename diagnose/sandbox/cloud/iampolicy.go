package cloud

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
)

const iamBase = "https://iam.cloud.ibm.com"

// listPolicies is GET /v2/policies: access policies of one account, filtered
// by iam_id or access_group_id (direct subjects only, as IAM does).
func (c *Cloud) listPolicies(w http.ResponseWriter, r *http.Request, caller identity) {
	q := r.URL.Query()
	account := q.Get("account_id")
	if !hasAnyRole(c.grantedRoles(caller.IAMID, target(account, "iam-access-management"))) {
		iamError(w, http.StatusForbidden, "insufficent_permissions", "You are not allowed to view policies.")
		return
	}
	if (q.Get("type") != "" && q.Get("type") != "access") || (q.Get("state") != "" && q.Get("state") != "active") {
		writeJSON(w, http.StatusOK, map[string]any{"policies": []any{}})
		return
	}
	c.mu.Lock()
	var out []map[string]any
	for _, p := range c.policies {
		if p.AccountID == account && (q.Get("iam_id") == "" || p.SubjectIAMID == q.Get("iam_id")) &&
			(q.Get("access_group_id") == "" || p.AccessGroupID == q.Get("access_group_id")) {
			out = append(out, c.policyJSON(p))
		}
	}
	c.mu.Unlock()
	limit, start := 50, 0
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 && n <= 1000 {
		limit = n
	}
	if n, err := strconv.Atoi(q.Get("start")); err == nil && n > 0 {
		start = min(n, len(out))
	}
	body := map[string]any{"limit": limit, "first": map[string]string{"href": iamBase + r.URL.RequestURI()},
		"policies": append([]map[string]any{}, out[start:min(start+limit, len(out))]...)}
	if start+limit < len(out) {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("start", strconv.Itoa(start+limit))
		body["next"] = map[string]string{"href": iamBase + "/v2/policies?" + next.Encode(), "start": strconv.Itoa(start + limit)}
	}
	writeJSON(w, http.StatusOK, body)
}

// policyJSON renders a policy in the v2 shape; the caller holds c.mu.
func (c *Cloud) policyJSON(p Policy) map[string]any {
	subject := attribute("iam_id", "", p.SubjectIAMID)
	if p.AccessGroupID != "" {
		subject = attribute("access_group_id", "", p.AccessGroupID)
	}
	keys := make([]string, 0, len(p.Resource))
	for k := range p.Resource {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var resource []map[string]any
	for _, k := range keys {
		resource = append(resource, attribute(k, p.Operators[k], p.Resource[k]))
	}
	var roles []map[string]string
	for _, crn := range p.Roles {
		roles = append(roles, map[string]string{"role_id": crn})
	}
	return map[string]any{
		"id": p.ID, "type": "access", "description": "",
		"subject":  map[string]any{"attributes": []map[string]any{subject}},
		"resource": map[string]any{"attributes": resource},
		"control":  map[string]any{"grant": map[string]any{"roles": roles}},
		"state":    "active", "href": iamBase + "/v2/policies/" + p.ID,
		"created_at": c.stamp(), "created_by_id": "IBMid-emulated",
		"last_modified_at": c.stamp(), "last_modified_by_id": "IBMid-emulated",
	}
}

func attribute(key, op, value string) map[string]any {
	if op == "" {
		op = "stringEquals"
	}
	return map[string]any{"key": key, "operator": op, "value": value}
}

// listGroups is GET /v2/groups: the access groups of an account, optionally
// only those iam_id is a member of.
func (c *Cloud) listGroups(w http.ResponseWriter, r *http.Request, caller identity) {
	q := r.URL.Query()
	account := q.Get("account_id")
	if !hasAnyRole(c.grantedRoles(caller.IAMID, target(account, "iam-groups"))) {
		iamError(w, http.StatusForbidden, "insufficent_permissions", "You are not allowed to view access groups.")
		return
	}
	c.mu.Lock()
	groups := []map[string]any{}
	for _, g := range c.groups {
		if g.AccountID == account && (q.Get("iam_id") == "" || slices.Contains(g.Members, q.Get("iam_id"))) {
			groups = append(groups, map[string]any{
				"id": g.ID, "name": g.Name, "description": "", "account_id": g.AccountID,
				"created_at": c.stamp(), "created_by_id": "IBMid-emulated",
				"last_modified_at": c.stamp(), "last_modified_by_id": "IBMid-emulated",
				"href": iamBase + "/v2/groups/" + g.ID, "is_federated": false,
			})
		}
	}
	c.mu.Unlock()
	self := map[string]string{"href": iamBase + r.URL.RequestURI()}
	writeJSON(w, http.StatusOK, map[string]any{"limit": 100, "offset": 0, "total_count": len(groups),
		"first": self, "last": self, "groups": groups})
}

// listRoles is GET /v2/roles. Only container-registry has service roles.
func (c *Cloud) listRoles(w http.ResponseWriter, r *http.Request, caller identity) {
	q := r.URL.Query()
	if !hasAnyRole(c.grantedRoles(caller.IAMID, target(q.Get("account_id"), "iam-access-management"))) {
		iamError(w, http.StatusForbidden, "insufficent_permissions", "You are not allowed to view roles.")
		return
	}
	service := []map[string]any{}
	if q.Get("service_name") == "container-registry" {
		service = rolesJSON(registryServiceRoles)
	}
	writeJSON(w, http.StatusOK, map[string]any{"custom_roles": []any{},
		"service_roles": service, "system_roles": rolesJSON(registrySystemRoles)})
}

func rolesJSON(roles []role) []map[string]any {
	out := make([]map[string]any, len(roles))
	for i, r := range roles {
		out[i] = map[string]any{"display_name": r.Name, "description": r.Description,
			"actions": r.Actions, "crn": r.CRN}
	}
	return out
}
