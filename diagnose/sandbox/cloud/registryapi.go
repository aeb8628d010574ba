package cloud

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Management API error messages.
const (
	msgIAMAuth      = "An error occurred when authenticating your request with IBM Cloud. Clear your browser cookies and try again."
	msgAPINotAuthz  = "You are not authorized to access the specified resource."
	msgAPINotFound  = "The requested resource was not found."
	codeAPIAuth     = "CRG0014E"
	codeAPINotAuthz = "CRG0020E"
)

// serveRegistryAPI answers the registry management API (/api/v1/*) for the
// region of h, on behalf of the account named in the Account header.
func (c *Cloud) serveRegistryAPI(w http.ResponseWriter, r *http.Request, h icr.Host) {
	caller, ok := c.tokenIdentity(c.iamTokens, bearer(r))
	if !ok {
		registryError(w, http.StatusUnauthorized, codeAPIAuth, msgIAMAuth)
		return
	}
	account := r.Header.Get("Account")
	if account == "" {
		account = caller.AccountID
	}
	allowed := func(action string) bool {
		roles := c.grantedRoles(caller.IAMID, target(account, "container-registry", "region", h.Region))
		if !allowsRegistry(roles, action) {
			registryError(w, http.StatusForbidden, codeAPINotAuthz, msgAPINotAuthz)
			return false
		}
		return true
	}
	if r.Method != http.MethodGet {
		registryError(w, http.StatusMethodNotAllowed, "CRG0003E", "The requested method is not supported.")
		return
	}
	switch r.URL.Path {
	case "/api/v1/quotas":
		if allowed("quota.get") {
			c.getQuota(w, h.Region, account)
		}
	case "/api/v1/namespaces", "/api/v1/namespaces/details":
		if allowed("namespace.list") {
			c.listNamespaces(w, h.Region, account, r.URL.Path == "/api/v1/namespaces/details")
		}
	case "/api/v1/images":
		if allowed("image.list") {
			q := r.URL.Query()
			imgs, err := c.listImages(r.Context(), h, imageFilter{account: account, namespace: q.Get("namespace"),
				repository: q.Get("repository"), manifestLists: q.Get("includeManifestLists") == "true"})
			if err != nil {
				registryError(w, http.StatusInternalServerError, "CRG0100E", "An internal error occurred.")
				return
			}
			writeJSON(w, http.StatusOK, imgs)
		}
	default:
		registryError(w, http.StatusNotFound, "CRG0002E", msgAPINotFound)
	}
}

// getQuota is GET /api/v1/quotas.
func (c *Cloud) getQuota(w http.ResponseWriter, region, account string) {
	c.mu.Lock()
	q := c.quota(region, account)
	c.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"limit": map[string]int64{"storage_bytes": q.StorageLimit, "traffic_bytes": q.TrafficLimit},
		"usage": map[string]int64{"storage_bytes": q.StorageUsed, "traffic_bytes": q.TrafficUsed},
	})
}

// listNamespaces is GET /api/v1/namespaces ([]string) and
// /api/v1/namespaces/details ([]NamespaceDetails).
func (c *Cloud) listNamespaces(w http.ResponseWriter, region, account string, details bool) {
	c.mu.Lock()
	var mine []namespace
	for _, ns := range c.namespaces {
		if ns.Region == region && ns.AccountID == account {
			mine = append(mine, ns)
		}
	}
	c.mu.Unlock()
	slices.SortFunc(mine, func(a, b namespace) int { return strings.Compare(a.Name, b.Name) })
	names, out := []string{}, []map[string]string{}
	for _, ns := range mine {
		names = append(names, ns.Name)
		date := ns.created.Format("2006-01-02T15:04:05.000Z")
		out = append(out, map[string]string{
			"name": ns.Name, "account": ns.AccountID, "resource_group": ns.ResourceGroup,
			"crn":                   "crn:v1:bluemix:public:container-registry:" + region + ":a/" + ns.AccountID + "::namespace:" + ns.Name,
			"resource_created_date": date, "created_date": date, "updated_date": date,
		})
	}
	if details {
		writeJSON(w, http.StatusOK, out)
	} else {
		writeJSON(w, http.StatusOK, names)
	}
}
