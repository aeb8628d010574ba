package cloud

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
)

// serveKubernetes answers containers.cloud.ibm.com (the SDK's default URL is
// https://containers.cloud.ibm.com/global).
func (c *Cloud) serveKubernetes(w http.ResponseWriter, r *http.Request) {
	caller, ok := c.tokenIdentity(c.iamTokens, bearer(r))
	if !ok {
		ksError(w, http.StatusUnauthorized, "E0019", "Unauthorized",
			"The IAM token that is included in the request header is not valid. Log in again and try again.")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/global/v2/getCluster":
		c.getCluster(w, caller, r.URL.Query().Get("cluster"))
	case r.Method == http.MethodPost && r.URL.Path == "/global/v2/enablePullSecret":
		c.enablePullSecret(w, r, caller)
	case r.Method == http.MethodGet && r.URL.Path == "/global/v1/clusters":
		c.listClusters(w, caller, "classic")
	case r.Method == http.MethodGet && r.URL.Path == "/global/v2/vpc/getClusters":
		c.listClusters(w, caller, "vpc-gen2")
	default:
		ksError(w, http.StatusNotFound, "E0001", "NotFound", "The requested resource could not be found.")
	}
}

// cluster finds a cluster by ID or name and checks that caller holds one of
// roles (any role when none are given) on it. It writes the error itself.
func (c *Cloud) cluster(w http.ResponseWriter, caller identity, idOrName string, roles ...string) (Cluster, bool) {
	c.mu.Lock()
	var found *Cluster
	for _, cl := range c.clusters {
		if idOrName != "" && (cl.ID == idOrName || cl.Name == idOrName) {
			found = cl
			break
		}
	}
	var cl Cluster
	if found != nil {
		cl = *found
	}
	c.mu.Unlock()
	if found == nil {
		ksError(w, http.StatusNotFound, "E0003", "ClusterNotFound",
			"The specified cluster could not be found. Target the region where the cluster is located and try again.")
		return cl, false
	}
	t := target(cl.AccountID, "containers-kubernetes", "region", cl.Region,
		"resourceGroupId", cl.ResourceGroup, "serviceInstance", cl.ID)
	if !hasAnyRole(c.grantedRoles(caller.IAMID, t), roles...) {
		ksError(w, http.StatusForbidden, "E0035", "Authorization",
			"You do not have the required permissions to perform this action.")
		return cl, false
	}
	return cl, true
}

// getCluster is GET /global/v2/getCluster?cluster=.
func (c *Cloud) getCluster(w http.ResponseWriter, caller identity, idOrName string) {
	cl, ok := c.cluster(w, caller, idOrName)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": cl.ID, "name": cl.Name, "region": cl.Region, "resourceGroup": cl.ResourceGroup,
		"crn":      "crn:v1:bluemix:public:containers-kubernetes:" + cl.Region + ":a/" + cl.AccountID + ":" + cl.ID + "::",
		"provider": cl.provider(), "state": "normal", "status": "All Workers Normal", "type": "kubernetes",
		"masterKubeVersion": "1.33.4_1541", "workerCount": 3, "isPaid": true,
		"createdDate": c.stamp(), "location": cl.Region, "entitlement": "",
		"features":         map[string]bool{"pullSecretApplied": cl.PullSecretApplied, "keyProtectEnabled": false},
		"serviceEndpoints": serviceEndpoints(cl),
	})
}

// serviceEndpoints is getCluster's serviceEndpoints object. The master's
// URLs carry a NodePort-range port that stays the same for a cluster.
func serviceEndpoints(cl Cluster) map[string]any {
	h := fnv.New32a()
	h.Write([]byte(cl.ID))
	port := 30000 + h.Sum32()%2768
	public := fmt.Sprintf("https://c100.%s.containers.cloud.ibm.com:%d", cl.Region, port)
	if cl.PrivateOnly {
		public = ""
	}
	return map[string]any{
		"privateServiceEndpointEnabled": true,
		"privateServiceEndpointURL":     fmt.Sprintf("https://c100.private.%s.containers.cloud.ibm.com:%d", cl.Region, port),
		"publicServiceEndpointEnabled":  !cl.PrivateOnly,
		"publicServiceEndpointURL":      public,
	}
}

// enablePullSecret is POST /global/v2/enablePullSecret {"cluster": …}.
func (c *Cloud) enablePullSecret(w http.ResponseWriter, r *http.Request, caller identity) {
	var body struct {
		Cluster string `json:"cluster"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		ksError(w, http.StatusBadRequest, "E0011", "BadRequest", "The request body is not valid JSON.")
		return
	}
	cl, ok := c.cluster(w, caller, body.Cluster, roleOperator, roleAdministrator)
	if !ok {
		return
	}
	c.mu.Lock()
	for _, p := range c.clusters {
		if p.ID == cl.ID {
			p.PullSecretApplied = true
		}
	}
	hook := c.onPullSecret
	c.mu.Unlock()
	if hook != nil {
		hook(cl.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// ksError writes the Kubernetes Service API's error shape.
func ksError(w http.ResponseWriter, status int, code, typ, desc string) {
	body := map[string]string{"code": code, "description": desc, "type": typ, "incidentID": randomID()}
	if code == "E0003" {
		body["recoveryCLI"] = "To list the clusters you have access to, run 'ibmcloud ks cluster ls'."
	}
	writeJSON(w, status, body)
}
