package ibmcloud

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The listings as the Kubernetes Service sends them: GET /v1/clusters (the
// classic listing, which also names VPC clusters on some accounts) and GET
// /v2/vpc/getClusters.
const (
	classicClusters = `[
 {"id":"c2old","name":"legacy-classic","region":"eu-de","resourceGroup":"rg-1","state":"normal","type":"kubernetes",
  "pullSecretApplied":true,"serverURL":"https://c2.eu-de.containers.cloud.ibm.com:30211",
  "publicServiceEndpointURL":"https://c2.eu-de.containers.cloud.ibm.com:30211","privateServiceEndpointURL":"",
  "masterKubeVersion":"1.32.6_1546","workerCount":2,"crn":"crn:v1:bluemix:public:containers-kubernetes:eu-de:a/a1b2c3d4:c2old::"},
 {"id":"c1abc","name":"mycluster","region":"us-south","resourceGroup":"rg-1","state":"normal","pullSecretApplied":false,
  "serverURL":"https://c100.us-south.containers.cloud.ibm.com:31234/"}]`
	vpcClusters = `[
 {"id":"c1abc","name":"mycluster","region":"us-south","resourceGroup":"rg-1","resourceGroupName":"default","provider":"vpc-gen2",
  "state":"normal","status":"All Workers Normal","masterURL":"https://c100.private.us-south.containers.cloud.ibm.com:31234",
  "masterKubeVersion":"1.33.2_1530","location":"Dallas","type":"kubernetes","workerCount":3,"createdDate":"2025-03-04T05:06:07+0000"},
 {"id":"c3new","name":"analytics","region":"jp-tok","resourceGroup":"rg-2","provider":"vpc-gen2","state":"deploying",
  "masterURL":"https://c115.jp-tok.containers.cloud.ibm.com:30999"}]`
)

func TestClusters(t *testing.T) {
	f := newFake(t)
	got, err := f.client(botKey).Clusters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	want := []Listed{
		{ID: "c3new", Name: "analytics", Region: "jp-tok", ResourceGroup: "rg-2", Provider: "vpc-gen2", State: "deploying",
			ServerURLs: []string{"https://c115.jp-tok.containers.cloud.ibm.com:30999"}},
		{ID: "c2old", Name: "legacy-classic", Region: "eu-de", ResourceGroup: "rg-1", Provider: "classic", State: "normal",
			ServerURLs: []string{"https://c2.eu-de.containers.cloud.ibm.com:30211"}, PullSecretApplied: &yes},
		{ID: "c1abc", Name: "mycluster", Region: "us-south", ResourceGroup: "rg-1", Provider: "vpc-gen2", State: "normal",
			ServerURLs:        []string{"https://c100.private.us-south.containers.cloud.ibm.com:31234", "https://c100.us-south.containers.cloud.ibm.com:31234"},
			PullSecretApplied: &no},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Clusters (-want +got):\n%s", diff)
	}
	wantReqs := []string{"GET /v1/clusters as=bot", "GET /v2/vpc/getClusters as=bot", "POST /identity/token"}
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestClustersErrors(t *testing.T) {
	if _, err := newFake(t).client("").Clusters(context.Background()); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
	f := newFake(t)
	f.fail["GET /v2/vpc/getClusters"] = failure{status: http.StatusForbidden, body: cluster403}
	_, err := f.client(botKey).Clusters(context.Background())
	var pe *PermissionError
	if !errors.As(err, &pe) || pe.Permission != permGetCluster {
		t.Errorf("forbidden listing: %v, want a PermissionError naming %q", err, permGetCluster)
	}
}
