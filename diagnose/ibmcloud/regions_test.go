package ibmcloud

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// regionalClient is a Client whose registry API of every region is f.
func (f *fakeCloud) regionalClient(bot string) *Client {
	return New(f.regionalEndpoints(), &http.Client{Timeout: 10 * time.Second}, bot)
}

// listings are the namespace listings NamespaceRegions makes, one per
// region, as the fake records them.
func listings(account, as string) []string {
	var out []string
	for _, d := range icr.Domains {
		out = append(out, "GET /r/"+d.Region+"/api/v1/namespaces/details account="+account+" as="+as)
	}
	return out
}

func TestNamespaceRegions(t *testing.T) {
	regional := map[string][]string{"us-south": {"shop", "tools"}, "eu-de": {"shop-eu", "shop"}, "jp-osa": {"tools"}, "global": {"base"}}
	tests := []struct {
		name, namespace, account, apiKey string
		want                             []string
		extra                            []string // requests besides the listings
		as                               string
	}{
		{name: "two regions, in icr.Domains order", namespace: "shop", account: acct, want: []string{"us-south", "eu-de"},
			as: "bot", extra: []string{"POST /identity/token"}},
		{name: "one region", namespace: "shop-eu", account: acct, want: []string{"eu-de"},
			as: "bot", extra: []string{"POST /identity/token"}},
		{name: "global registry", namespace: "base", account: acct, want: []string{"global"},
			as: "bot", extra: []string{"POST /identity/token"}},
		{name: "nowhere", namespace: "nope", account: acct,
			as: "bot", extra: []string{"POST /identity/token"}},
		{name: "other account", namespace: "shop", account: otherAcct,
			as: "bot", extra: []string{"POST /identity/token"}},
		{name: "the pod's key, its account looked up once", namespace: "tools", apiKey: userKey, want: []string{"us-south", "jp-osa"},
			as: "user", extra: []string{"GET /v1/apikeys/details as=bot", "POST /identity/token", "POST /identity/token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.regional = regional
			got, err := f.regionalClient(botKey).NamespaceRegions(context.Background(), tt.namespace, tt.account, tt.apiKey)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NamespaceRegions (-want +got):\n%s", diff)
			}
			account := tt.account
			if account == "" {
				account = acct
			}
			wantReqs := append(listings(account, tt.as), tt.extra...)
			if diff := cmp.Diff(wantReqs, f.requests(), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if f.maxInflight > regionConcurrency {
				t.Errorf("%d listings at once, want at most %d", f.maxInflight, regionConcurrency)
			}
		})
	}
}

// TestNamespaceRegionsPartial: a region that cannot be listed is an error,
// and the regions that could be listed are still reported.
func TestNamespaceRegionsPartial(t *testing.T) {
	f := newFake(t)
	f.regional = map[string][]string{"us-south": {"shop"}, "eu-de": {"shop"}}
	f.fail["GET /r/eu-de/api/v1/namespaces/details"] = failure{500, `{"errors":[{"code":"CRG0100E","message":"An internal error occurred."}]}`}
	f.fail["GET /r/jp-osa/api/v1/namespaces/details"] = failure{403, registry403}
	got, err := f.regionalClient(botKey).NamespaceRegions(context.Background(), "shop", acct, "")
	if diff := cmp.Diff([]string{"us-south"}, got); diff != "" {
		t.Errorf("NamespaceRegions (-want +got):\n%s", diff)
	}
	var ae *APIError
	var pe *PermissionError
	if !errors.As(err, &ae) || ae.Status != 500 || !errors.As(err, &pe) || pe.Permission != permRegistry {
		t.Fatalf("error = %v, want the eu-de APIError and the jp-osa PermissionError", err)
	}
	for _, region := range []string{"eu-de", "jp-osa"} {
		if !strings.Contains(err.Error(), " in "+region) {
			t.Errorf("error does not name %s: %v", region, err)
		}
	}
	noSecrets(t, err)
}

func TestNamespaceRegionsKeyRejected(t *testing.T) {
	f := newFake(t)
	_, err := f.regionalClient(botKey).NamespaceRegions(context.Background(), "shop", acct, "deleted-key-CANARY")
	var kr *KeyRejectedError
	if !errors.As(err, &kr) || kr.Code != "BXNIM0415E" {
		t.Fatalf("error = %v, want *KeyRejectedError BXNIM0415E", err)
	}
	if diff := cmp.Diff([]string{"POST /identity/token"}, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	noSecrets(t, err)
	if _, err := f.regionalClient("").NamespaceRegions(context.Background(), "shop", acct, ""); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
}
