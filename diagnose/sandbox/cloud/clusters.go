package cloud

import (
	"net/http"
)

// listClusters is GET /global/v1/clusters (provider "classic": the classic
// listing, with v1's field names) and GET /global/v2/vpc/getClusters
// (provider "vpc-gen2"): the clusters of the caller's account on which it
// holds any role, as the service lists "the clusters that you have access
// to". Neither listing names a cluster's CRN; the VPC one has no
// pull-secret state.
func (c *Cloud) listClusters(w http.ResponseWriter, caller identity, provider string) {
	c.mu.Lock()
	var mine []Cluster
	for _, cl := range c.clusters {
		if cl.AccountID == caller.AccountID && cl.provider() == provider {
			mine = append(mine, *cl)
		}
	}
	c.mu.Unlock()
	out := []map[string]any{}
	for _, cl := range mine {
		t := target(cl.AccountID, "containers-kubernetes", "region", cl.Region, "resourceGroupId", cl.ResourceGroup, "serviceInstance", cl.ID)
		if !hasAnyRole(c.grantedRoles(caller.IAMID, t)) {
			continue
		}
		out = append(out, c.listed(cl))
	}
	writeJSON(w, http.StatusOK, out)
}

// listed is one cluster in its provider's listing.
func (c *Cloud) listed(cl Cluster) map[string]any {
	e := serviceEndpoints(cl)
	m := map[string]any{"id": cl.ID, "name": cl.Name, "region": cl.Region, "resourceGroup": cl.ResourceGroup,
		"resourceGroupName": "default", "state": "normal", "status": "All Workers Normal", "type": "kubernetes",
		"masterKubeVersion": "1.33.4_1541", "workerCount": 3, "isPaid": true, "createdDate": c.stamp(), "location": cl.Region}
	if cl.provider() == "classic" {
		m["pullSecretApplied"] = cl.PullSecretApplied
		m["serverURL"] = cl.masterURL()
		for _, k := range []string{"privateServiceEndpointEnabled", "privateServiceEndpointURL", "publicServiceEndpointEnabled", "publicServiceEndpointURL"} {
			m[k] = e[k]
		}
		return m
	}
	m["provider"], m["masterURL"], m["entitlement"] = cl.provider(), cl.masterURL(), ""
	return m
}

func (cl Cluster) provider() string {
	if cl.Provider == "" {
		return "vpc-gen2"
	}
	return cl.Provider
}

// masterURL is where the listings say the cluster's API server answers.
func (cl Cluster) masterURL() string {
	if cl.MasterURL != "" {
		return cl.MasterURL
	}
	e := serviceEndpoints(cl)
	if cl.PrivateOnly {
		return e["privateServiceEndpointURL"].(string)
	}
	return e["publicServiceEndpointURL"].(string)
}
