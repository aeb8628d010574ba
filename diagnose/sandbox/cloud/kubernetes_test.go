package cloud

import (
	"testing"

	ks "github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/google/go-cmp/cmp"
)

func ksClient(t *testing.T, w *world, key string) *ks.KubernetesServiceApiV1 {
	t.Helper()
	svc, err := ks.NewKubernetesServiceApiV1(&ks.KubernetesServiceApiV1Options{Authenticator: w.auth(key)})
	if err != nil {
		t.Fatal(err)
	}
	svc.Service.SetHTTPClient(w.client())
	return svc
}

func TestGetCluster(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, key, cluster string
		status             int
		code               string
	}{
		{"by id", keyAdmin, "c1", 200, ""},
		{"by name", keyAdmin, "prod", 200, ""},
		{"unknown", keyAdmin, "nope", 404, "E0003"},
		{"no policy", keyReader, "c1", 403, "E0035"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, resp, err := ksClient(t, w, tt.key).GetCluster(&ks.GetClusterOptions{Cluster: core.StringPtr(tt.cluster)})
			if tt.status != 200 {
				if status, code := respCode(resp); status != tt.status || code != tt.code {
					t.Fatalf("GetCluster = %d %q, want %d %q (%v)", status, code, tt.status, tt.code, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got.ID != "c1" || *got.Crn != "crn:v1:bluemix:public:containers-kubernetes:us-south:a/acct1:c1::" ||
				*got.ResourceGroup != "rg1" || *got.Features.PullSecretApplied {
				t.Errorf("cluster = %+v, features %+v", got, got.Features)
			}
		})
	}
}

func TestGetClusterServiceEndpoints(t *testing.T) {
	w := newWorld(t)
	w.cloud.AddCluster(Cluster{ID: "c2", Name: "vault", AccountID: acct, Region: "eu-de", ResourceGroup: "rg1", PrivateOnly: true})
	svc := ksClient(t, w, keyAdmin)
	tests := []struct {
		cluster string
		want    *ks.CommonClusterServiceEndpoint
	}{
		{"prod", &ks.CommonClusterServiceEndpoint{
			PrivateServiceEndpointEnabled: core.BoolPtr(true), PrivateServiceEndpointURL: core.StringPtr("https://c100.private.us-south.containers.cloud.ibm.com:31417"),
			PublicServiceEndpointEnabled: core.BoolPtr(true), PublicServiceEndpointURL: core.StringPtr("https://c100.us-south.containers.cloud.ibm.com:31417")}},
		{"vault", &ks.CommonClusterServiceEndpoint{
			PrivateServiceEndpointEnabled: core.BoolPtr(true), PrivateServiceEndpointURL: core.StringPtr("https://c100.private.eu-de.containers.cloud.ibm.com:31872"),
			PublicServiceEndpointEnabled: core.BoolPtr(false), PublicServiceEndpointURL: core.StringPtr("")}},
	}
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			got, _, err := svc.GetCluster(&ks.GetClusterOptions{Cluster: core.StringPtr(tt.cluster)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.ServiceEndpoints); diff != "" {
				t.Errorf("serviceEndpoints (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEnablePullSecret(t *testing.T) {
	w := newWorld(t)
	var hooked []string
	w.cloud.OnEnablePullSecret(func(id string) { hooked = append(hooked, id) })

	resp, err := ksClient(t, w, keyReader).V2EnablePullSecret(&ks.V2EnablePullSecretOptions{Cluster: core.StringPtr("prod")})
	if status, code := respCode(resp); status != 403 || code != "E0035" || err == nil {
		t.Fatalf("reader: %d %q (%v)", status, code, err)
	}
	svc := ksClient(t, w, keyAdmin)
	resp, err = svc.V2EnablePullSecret(&ks.V2EnablePullSecretOptions{Cluster: core.StringPtr("prod")})
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("admin: %v %v", resp, err)
	}
	got, _, err := svc.GetCluster(&ks.GetClusterOptions{Cluster: core.StringPtr("c1")})
	if err != nil || !*got.Features.PullSecretApplied || len(hooked) != 1 || hooked[0] != "c1" {
		t.Errorf("after enable: %+v, hooked %v, %v", got.Features, hooked, err)
	}
}

func TestListClusters(t *testing.T) {
	w := newWorld(t)
	w.cloud.AddCluster(Cluster{ID: "c2", Name: "vault", AccountID: acct, Region: "eu-de", ResourceGroup: "rg1", PrivateOnly: true,
		Provider: "classic", PullSecretApplied: true})
	w.cloud.AddCluster(Cluster{ID: "c3", Name: "elsewhere", AccountID: "other", Region: "eu-de", ResourceGroup: "rg1"})
	w.cloud.AddCluster(Cluster{ID: "c4", Name: "local", AccountID: acct, Region: "us-south", ResourceGroup: "rg1", MasterURL: "https://127.0.0.1:6443"})
	svc := ksClient(t, w, keyAdmin)
	vpc, _, err := svc.VpcGetClusters(&ks.VpcGetClustersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range vpc {
		got = append(got, *c.ID+" "+*c.Provider+" "+*c.MasterURL)
	}
	want := []string{"c1 vpc-gen2 https://c100.us-south.containers.cloud.ibm.com:31417", "c4 vpc-gen2 https://127.0.0.1:6443"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("VPC listing (-want +got):\n%s", diff)
	}
	classic, _, err := svc.GetClusters(&ks.GetClustersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(classic) != 1 || *classic[0].ID != "c2" || !*classic[0].PullSecretApplied ||
		*classic[0].ServerURL != "https://c100.private.eu-de.containers.cloud.ibm.com:31872" {
		t.Errorf("classic listing: %+v", classic)
	}
	none, _, err := ksClient(t, w, keyReader).VpcGetClusters(&ks.VpcGetClustersOptions{})
	if err != nil || len(none) != 0 {
		t.Errorf("a key without a Kubernetes Service role lists %d clusters (%v)", len(none), err)
	}
}
