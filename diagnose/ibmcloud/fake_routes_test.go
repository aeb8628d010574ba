package ibmcloud

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// routes wires every API of the fake cloud.
func (f *fakeCloud) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /identity/token", f.token)
	mux.HandleFunc("GET /v1/apikeys/details", f.keyDetails)
	mux.HandleFunc("GET /v1/serviceids/{id}", f.serviceID)
	mux.HandleFunc("GET /v2/policies", f.listPolicies)
	mux.HandleFunc("GET /v2/groups", f.listGroups)
	mux.HandleFunc("GET /v2/roles", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, rolesBody) })
	mux.HandleFunc("GET /api/v1/quotas", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"limit":{"storage_bytes":536870912,"traffic_bytes":-1},"usage":{"storage_bytes":1048576,"traffic_bytes":5368709120}}`)
	})
	mux.HandleFunc("GET /api/v1/namespaces/details", f.namespaces)
	mux.HandleFunc("GET /r/{region}/api/v1/namespaces/details", f.regionNamespaces)
	mux.HandleFunc("GET /v2/getCluster", f.getCluster)
	mux.HandleFunc("GET /v1/clusters", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, classicClusters) })
	mux.HandleFunc("GET /v2/vpc/getClusters", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, vpcClusters) })
	mux.HandleFunc("POST /v2/enablePullSecret", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.lastBody = strings.TrimSpace(string(b))
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	return f.serve(mux)
}

// keyDetails answers GET /v1/apikeys/details for the key in IAM-ApiKey.
func (f *fakeCloud) keyDetails(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	k, ok := f.keys[r.Header.Get("IAM-ApiKey")]
	f.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"context":{"requestId":"req-3"},"errorCode":"BXNIM0412E","errorMessage":"API key not found."}`)
		return
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{
	 "id":"ApiKey-%[1]s","entity_tag":"1-abc","crn":"crn:v1:bluemix:public:iam-identity::a/%[2]s::apikey:ApiKey-%[1]s",
	 "locked":true,"disabled":%[3]t,"created_at":"2025-01-02T10:11+0000","created_by":"IBMid-270000ABCD",
	 "modified_at":"2025-01-02T10:11+0000","name":"%[1]s key","support_sessions":false,"action_when_leaked":"none",
	 "expires_at":"2027-06-30T23:59+0000","description":"pull key","iam_id":%[4]q,"account_id":%[2]q,"apikey":"",
	 "activity":{"last_authn":"2026-10-01T08:00+0000","authn_count":12}}`, k.name, k.account, k.disabled, k.iamID))
}

// serviceID answers GET /v1/serviceids/{id}.
func (f *fakeCloud) serviceID(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id != strings.TrimPrefix(svcIAMID, "iam-") {
		writeJSON(w, http.StatusNotFound, `{"context":{"requestId":"req-4"},"errorCode":"BXNIM0405E","errorMessage":"Service ID not found."}`)
		return
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{
	 "id":%q,"iam_id":%q,"entity_tag":"3-def","crn":"crn:v1:bluemix:public:iam-identity::a/%s::serviceid:%s",
	 "locked":false,"created_at":"2024-05-06T07:08+0000","modified_at":"2024-05-06T07:08+0000","account_id":%q,
	 "name":"cluster-c1abc","description":"ID for mycluster"}`, id, svcIAMID, acct, id, acct))
}

// listPolicies answers GET /v2/policies for one iam_id or access_group_id.
func (f *fakeCloud) listPolicies(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	key := "iam_id=" + q.Get("iam_id")
	if g := q.Get("access_group_id"); g != "" {
		key = "access_group_id=" + g
	}
	f.mu.Lock()
	pols := f.policies[key]
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, `{"limit":50,"first":{"href":"https://iam.cloud.ibm.com/v2/policies?limit=50"},"policies":[`+strings.Join(pols, ",")+`]}`)
}

// listGroups answers GET /v2/groups for one iam_id, or, without iam_id,
// pages through f.accountGroups as limit and offset ask (default 100).
func (f *fakeCloud) listGroups(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	groups := f.groups[q.Get("iam_id")]
	if q.Get("iam_id") == "" {
		groups = f.accountGroups
	}
	f.mu.Unlock()
	limit, offset := 100, 0
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = n
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil {
		offset = min(n, len(groups))
	}
	end := min(offset+limit, len(groups))
	page := func(off int) string {
		return fmt.Sprintf(`{"href":"https://iam.cloud.ibm.com/v2/groups?account_id=%s&limit=%d&offset=%d"}`, acct, limit, off)
	}
	next := ""
	if end < len(groups) {
		next = `"next":` + page(end) + ","
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"limit":%d,"offset":%d,"total_count":%d,"first":%s,%s"last":%s,"groups":[%s]}`,
		limit, offset, len(groups), page(0), next, page(max(0, len(groups)-limit)), strings.Join(groups[offset:end], ",")))
}

// groupJSON is one access group as GET /v2/groups lists it.
func groupJSON(id, name string) string {
	return fmt.Sprintf(`{"id":%q,"name":%q,"description":"","account_id":%q,"created_at":"2024-01-01T00:00:00Z","created_by_id":"IBMid-270000ABCD","last_modified_at":"2024-01-01T00:00:00Z","last_modified_by_id":"IBMid-270000ABCD","href":"https://iam.cloud.ibm.com/v2/groups/%s","is_federated":false}`,
		id, name, acct, id)
}

// namespaces answers GET /api/v1/namespaces/details for the Account header.
func (f *fakeCloud) namespaces(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Account") != acct {
		writeJSON(w, http.StatusOK, `[]`)
		return
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`[
	 {"account":%[1]q,"created_date":"2024-02-03T04:05:06.000Z","crn":"crn:v1:bluemix:public:container-registry:us-south:a/%[1]s::namespace:team-a","name":"team-a","resource_created_date":"2024-02-03T04:05:06.000Z","resource_group":"rg-1","updated_date":"2024-02-03T04:05:06.000Z"},
	 {"account":%[1]q,"created_date":"2019-02-03T04:05:06.000Z","name":"legacy","updated_date":"2019-02-03T04:05:06.000Z"}]`, acct))
}

// clusterEndpoints are the serviceEndpoints objects getCluster reports, by
// cluster name; a cluster missing here reports none (older clusters).
var clusterEndpoints = map[string]string{
	"mycluster": `{"privateServiceEndpointEnabled":true,"privateServiceEndpointURL":"https://c100.private.us-south.containers.cloud.ibm.com:31234","publicServiceEndpointEnabled":true,"publicServiceEndpointURL":"https://c100.us-south.containers.cloud.ibm.com:31234"}`,
	"vault":     `{"privateServiceEndpointEnabled":true,"privateServiceEndpointURL":"https://c100.private.us-south.containers.cloud.ibm.com:30567","publicServiceEndpointEnabled":false,"publicServiceEndpointURL":""}`,
}

// regionNamespaces answers GET /api/v1/namespaces/details of one region's
// registry API with f.regional, and counts concurrent calls.
func (f *fakeCloud) regionNamespaces(w http.ResponseWriter, r *http.Request) {
	region := r.PathValue("region")
	f.mu.Lock()
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	names := f.regional[region]
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if r.Header.Get("Account") != acct {
		names = nil
	}
	var list []string
	for _, n := range names {
		list = append(list, fmt.Sprintf(`{"account":%q,"created_date":"2024-02-03T04:05:06.000Z","crn":"crn:v1:bluemix:public:container-registry:%s:a/%s::namespace:%s","name":%q,"resource_group":"rg-1","updated_date":"2024-02-03T04:05:06.000Z"}`,
			acct, region, acct, n, n))
	}
	writeJSON(w, http.StatusOK, "["+strings.Join(list, ",")+"]")
}

// getCluster answers GET /v2/getCluster for mycluster (also by its ID
// c1abc), vault (private service endpoint only) and legacy (no
// serviceEndpoints).
func (f *fakeCloud) getCluster(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("cluster")
	if name == "c1abc" {
		name = "mycluster"
	}
	if name != "mycluster" && name != "vault" && name != "legacy" {
		writeJSON(w, http.StatusNotFound, cluster404)
		return
	}
	endpoints := ""
	if e, ok := clusterEndpoints[name]; ok {
		endpoints = `,"serviceEndpoints":` + e
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{
	 "id":"c1abc","name":%q,"region":"us-south","resourceGroup":"rg-1","resourceGroupName":"default",
	 "crn":"crn:v1:bluemix:public:containers-kubernetes:us-south:a/%s:c1abc::","provider":"vpc-gen2",
	 "state":"normal","status":"All Workers Normal","masterKubeVersion":"1.33.2_1530","location":"Dallas",
	 "type":"kubernetes","workerCount":3,"features":{"keyProtectEnabled":false,"pullSecretApplied":false}%s}`, name, acct, endpoints))
}
