package ibmcloud

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCluster(t *testing.T) {
	f := newFake(t)
	got, err := f.client(botKey).Cluster(context.Background(), "mycluster")
	if err != nil {
		t.Fatal(err)
	}
	applied, yes := false, true
	want := &Cluster{ID: "c1abc", Name: "mycluster", Region: "us-south", AccountID: acct, ResourceGroup: "rg-1",
		PullSecretApplied: &applied, PublicServiceEndpoint: &yes, PrivateServiceEndpoint: &yes}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Cluster (-want +got):\n%s", diff)
	}
	wantReqs := []string{"GET /v2/getCluster?cluster=mycluster as=bot", "POST /identity/token"}
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if _, err := f.client("").Cluster(context.Background(), "mycluster"); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
	if _, err := f.client(botKey).Cluster(context.Background(), ""); !errors.Is(err, errNoCluster) {
		t.Errorf("empty name: %v", err)
	}
}

func TestClusterServiceEndpoints(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		cluster         string
		public, private *bool
		privateOnly     bool
	}{
		{cluster: "mycluster", public: &yes, private: &yes},
		{cluster: "vault", public: &no, private: &yes, privateOnly: true},
		{cluster: "legacy"},
	}
	f := newFake(t)
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			got, err := f.client(botKey).Cluster(context.Background(), tt.cluster)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.public, got.PublicServiceEndpoint); diff != "" {
				t.Errorf("PublicServiceEndpoint (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.private, got.PrivateServiceEndpoint); diff != "" {
				t.Errorf("PrivateServiceEndpoint (-want +got):\n%s", diff)
			}
			if got.PrivateOnly() != tt.privateOnly {
				t.Errorf("PrivateOnly() = %v, want %v", got.PrivateOnly(), tt.privateOnly)
			}
		})
	}
}

func TestClusterPrivateOnly(t *testing.T) {
	yes, no := true, false
	for _, tt := range []struct {
		name string
		c    Cluster
		want bool
	}{
		{"private only", Cluster{PrivateServiceEndpoint: &yes, PublicServiceEndpoint: &no}, true},
		{"both", Cluster{PrivateServiceEndpoint: &yes, PublicServiceEndpoint: &yes}, false},
		{"public not reported", Cluster{PrivateServiceEndpoint: &yes}, false},
		{"neither", Cluster{PrivateServiceEndpoint: &no, PublicServiceEndpoint: &no}, false},
		{"nothing reported", Cluster{}, false},
	} {
		if got := tt.c.PrivateOnly(); got != tt.want {
			t.Errorf("%s: PrivateOnly() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEnablePullSecret(t *testing.T) {
	f := newFake(t)
	if err := f.client(botKey).EnablePullSecret(context.Background(), "mycluster"); err != nil {
		t.Fatal(err)
	}
	wantReqs := []string{"POST /identity/token", "POST /v2/enablePullSecret as=bot"}
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if f.lastBody != `{"cluster":"mycluster"}` {
		t.Errorf("body = %s", f.lastBody)
	}
}

func TestCRNAccount(t *testing.T) {
	for crn, want := range map[string]string{
		"crn:v1:bluemix:public:containers-kubernetes:us-south:a/a1b2c3d4:c1abc::": "a1b2c3d4",
		"crn:v1:bluemix:public:iam::::serviceRole:Reader":                         "",
		"": "",
	} {
		if got := crnAccount(crn); got != want {
			t.Errorf("crnAccount(%q) = %q, want %q", crn, got, want)
		}
	}
}
