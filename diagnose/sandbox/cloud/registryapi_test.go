package cloud

import (
	"testing"

	cr "github.com/IBM/container-registry-go-sdk/containerregistryv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/google/go-cmp/cmp"
)

func crClient(t *testing.T, w *world, auth core.Authenticator, account, url string) *cr.ContainerRegistryV1 {
	t.Helper()
	svc, err := cr.NewContainerRegistryV1(&cr.ContainerRegistryV1Options{Authenticator: auth, Account: core.StringPtr(account), URL: url})
	if err != nil {
		t.Fatal(err)
	}
	svc.Service.SetHTTPClient(w.client())
	return svc
}

func TestRegistryAPIAuthorization(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name    string
		auth    core.Authenticator
		account string
		status  int
		code    string
	}{
		{"reader", w.auth(keyReader), acct, 200, ""},
		{"forged token", &core.BearerTokenAuthenticator{BearerToken: "forged"}, acct, 401, "CRG0014E"},
		{"no policy", w.auth(keyNoPolicy), acct, 403, "CRG0020E"},
		{"other account", w.auth(keyReader), otherAcct, 403, "CRG0020E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp, err := crClient(t, w, tt.auth, tt.account, "").GetQuota(&cr.GetQuotaOptions{})
			if status, code := respCode(resp); status != tt.status || code != tt.code {
				t.Errorf("GetQuota = %d %q, want %d %q (%v)", status, code, tt.status, tt.code, err)
			}
		})
	}
}

func TestGetQuota(t *testing.T) {
	w := newWorld(t)
	w.cloud.SetQuota("us-south", acct, Quota{StorageLimit: 512 << 20, StorageUsed: 1, TrafficLimit: -1, TrafficUsed: 7})
	svc := crClient(t, w, w.auth(keyReader), acct, "https://us.icr.io")
	got, _, err := svc.GetQuota(&cr.GetQuotaOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &cr.Quota{Limit: &cr.QuotaDetails{StorageBytes: core.Int64Ptr(512 << 20), TrafficBytes: core.Int64Ptr(-1)},
		Usage: &cr.QuotaDetails{StorageBytes: core.Int64Ptr(1), TrafficBytes: core.Int64Ptr(7)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetQuota (-want +got):\n%s", diff)
	}
}

func TestListNamespaceDetails(t *testing.T) {
	w := newWorld(t)
	svc := crClient(t, w, w.auth(keyReader), acct, "https://private.us.icr.io")
	got, _, err := svc.ListNamespaceDetails(&cr.ListNamespaceDetailsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ns := range got {
		names = append(names, *ns.Name+" "+*ns.Account+" "+*ns.ResourceGroup)
	}
	if diff := cmp.Diff([]string{"secret acct1 rg1", "team acct1 rg1"}, names); diff != "" {
		t.Errorf("namespaces (-want +got):\n%s", diff)
	}
}

func TestListImages(t *testing.T) {
	w := newWorld(t)
	svc := crClient(t, w, w.auth(keyReader), acct, "https://us.icr.io")
	got, _, err := svc.ListImages(&cr.ListImagesOptions{Namespace: core.StringPtr("team")})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListImages = %v, %v", got, err)
	}
	if diff := cmp.Diff([]string{"us.icr.io/team/app:1"}, got[0].RepoTags); diff != "" {
		t.Errorf("RepoTags (-want +got):\n%s", diff)
	}
	all, _, err := svc.ListImages(&cr.ListImagesOptions{})
	if err != nil || len(all) != 2 { // team and secret, not acct3's priv
		t.Errorf("all images = %d, %v", len(all), err)
	}
}
