package ibmcloud

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQuota(t *testing.T) {
	f := newFake(t)
	got, err := f.client(botKey).Quota(context.Background(), "us-south", acct)
	if err != nil {
		t.Fatal(err)
	}
	want := &Quota{StorageLimit: 536870912, StorageUsed: 1048576, TrafficLimit: Unlimited, TrafficUsed: 5368709120}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Quota (-want +got):\n%s", diff)
	}
	if got.TrafficExceeded() || got.StorageExceeded() {
		t.Errorf("exceeded: traffic %v storage %v", got.TrafficExceeded(), got.StorageExceeded())
	}
	wantReqs := []string{"GET /api/v1/quotas account=" + acct + " as=bot", "POST /identity/token"}
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if _, err := f.client("").Quota(context.Background(), "us-south", acct); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
}

func TestQuotaExceeded(t *testing.T) {
	tests := []struct {
		q                Quota
		traffic, storage bool
	}{
		{Quota{TrafficLimit: 100, TrafficUsed: 100, StorageLimit: 100, StorageUsed: 99}, true, false},
		{Quota{TrafficLimit: Unlimited, TrafficUsed: 1 << 40, StorageLimit: 10, StorageUsed: 11}, false, true},
	}
	for _, tt := range tests {
		if tt.q.TrafficExceeded() != tt.traffic || tt.q.StorageExceeded() != tt.storage {
			t.Errorf("%+v: traffic %v storage %v", tt.q, tt.q.TrafficExceeded(), tt.q.StorageExceeded())
		}
	}
}

func TestNamespace(t *testing.T) {
	tests := []struct {
		name      string
		namespace string
		account   string
		apiKey    string
		want      *Namespace
		found     bool
		wantReqs  []string
	}{
		{name: "found with bot key", namespace: "team-a", account: acct, found: true,
			want:     &Namespace{Name: "team-a", AccountID: acct, ResourceGroup: "rg-1"},
			wantReqs: []string{"GET /api/v1/namespaces/details account=" + acct + " as=bot", "POST /identity/token"}},
		{name: "found with the pod's key", namespace: "legacy", account: acct, apiKey: userKey, found: true,
			want:     &Namespace{Name: "legacy", AccountID: acct},
			wantReqs: []string{"GET /api/v1/namespaces/details account=" + acct + " as=user", "POST /identity/token"}},
		{name: "not in the account", namespace: "team-a", account: otherAcct,
			wantReqs: []string{"GET /api/v1/namespaces/details account=" + otherAcct + " as=bot", "POST /identity/token"}},
		{name: "account of the bot key", namespace: "team-a", found: true,
			want: &Namespace{Name: "team-a", AccountID: acct, ResourceGroup: "rg-1"},
			wantReqs: []string{"GET /api/v1/namespaces/details account=" + acct + " as=bot",
				"GET /v1/apikeys/details as=bot", "POST /identity/token"}},
		{name: "account of the pod's key", namespace: "team-a", apiKey: userKey, found: true,
			want: &Namespace{Name: "team-a", AccountID: acct, ResourceGroup: "rg-1"},
			wantReqs: []string{"GET /api/v1/namespaces/details account=" + acct + " as=user",
				"GET /v1/apikeys/details as=bot", "POST /identity/token", "POST /identity/token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			got, found, err := f.client(botKey).Namespace(context.Background(), "us-south", tt.namespace, tt.account, tt.apiKey)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || found != tt.found {
				t.Errorf("Namespace found=%v (-want +got):\n%s", found, diff)
			}
			if diff := cmp.Diff(tt.wantReqs, f.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegistryURL(t *testing.T) {
	ep := Endpoints{Registry: map[string]string{"us-south": "https://private.us.icr.io", "eu-gb": "https://private.uk.icr.io"}}
	tests := []struct {
		region, want string
		wantErr      bool
	}{
		{region: "us-south", want: "https://private.us.icr.io"},
		{region: "uk-south", want: "https://private.uk.icr.io"},
		{region: "eu-de", want: "https://de.icr.io"},
		{region: "ap-north", want: "https://jp.icr.io"},
		{region: "global", want: "https://icr.io"},
		{region: "mars-1", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ep.RegistryURL(tt.region)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("RegistryURL(%q) = %q, %v; want %q", tt.region, got, err, tt.want)
		}
	}
}

func TestNewFillsDefaultEndpoints(t *testing.T) {
	c := New(Endpoints{IAM: "https://private.iam.cloud.ibm.com"}, nil, "")
	want := DefaultEndpoints()
	want.IAM = "https://private.iam.cloud.ibm.com"
	if diff := cmp.Diff(want, c.ep); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
	if c.hc == nil || c.hc.Timeout == 0 || c.HasBotKey() {
		t.Errorf("client %+v, HasBotKey %v", c.hc, c.HasBotKey())
	}
}
