package cloud

import (
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// pull fetches the manifest, config and layers of ref; it returns the bytes
// of blobs read.
func (w *world) pull(ref string, auth authn.Authenticator) (int64, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return 0, err
	}
	img, err := remote.Image(r, remote.WithAuth(auth), remote.WithTransport(w.server.Transport()))
	if err != nil {
		return 0, err
	}
	cfg, err := img.RawConfigFile()
	if err != nil {
		return 0, err
	}
	n := int64(len(cfg))
	layers, err := img.Layers()
	if err != nil {
		return 0, err
	}
	for _, l := range layers {
		rc, err := l.Compressed()
		if err != nil {
			return 0, err
		}
		m, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

// regErr returns the status and the diagnostics of a registry error.
func regErr(err error) (int, []transport.Diagnostic) {
	var te *transport.Error
	if !errors.As(err, &te) {
		return 0, nil
	}
	return te.StatusCode, te.Errors
}

func apiKey(k string) authn.Authenticator { return &authn.Basic{Username: "iamapikey", Password: k} }

func diag(code, msg string) []transport.Diagnostic {
	d := transport.Diagnostic{Code: transport.ErrorCode(code), Message: msg}
	if code == "UNAUTHORIZED" {
		d.Detail = msg
	}
	return []transport.Diagnostic{d}
}

func TestPull(t *testing.T) {
	w := newWorld(t)
	iamTok := w.iamToken(t, keyReader)
	unauthorized := diag("UNAUTHORIZED", msgAuthRequired)
	denied := diag("DENIED", msgNotAuthz)
	tests := []struct {
		name, ref string
		auth      authn.Authenticator
		status    int
		want      []transport.Diagnostic
	}{
		{"reader", "us.icr.io/team/app:1", apiKey(keyReader), 200, nil},
		{"global registry", "icr.io/glob/app:1", apiKey(keyReader), 200, nil},
		{"private endpoint", "private.us.icr.io/team/app:1", apiKey(keyReader), 200, nil},
		{"deprecated domain", "registry.ng.bluemix.net/team/app:1", apiKey(keyReader), 200, nil},
		{"iambearer", "us.icr.io/team/app:1", &authn.Basic{Username: "iambearer", Password: iamTok}, 200, nil},
		{"group wildcard", "us.icr.io/team/app:1", apiKey(keyGroup), 200, nil},
		{"group other namespace", "us.icr.io/secret/app:1", apiKey(keyGroup), 403, denied},
		{"group other region", "icr.io/glob/app:1", apiKey(keyGroup), 403, denied},
		{"anonymous", "us.icr.io/team/app:1", authn.Anonymous, 401, unauthorized},
		{"unknown key", "us.icr.io/team/app:1", apiKey("nope"), 401, unauthorized},
		{"disabled key", "us.icr.io/team/app:1", apiKey(keyDisabled), 401, unauthorized},
		{"forged bearer", "us.icr.io/team/app:1", &authn.Basic{Username: "iambearer", Password: "forged"}, 401, unauthorized},
		{"registry token", "us.icr.io/team/app:1", &authn.Basic{Username: "token", Password: "x"}, 401, diag("UNSUPPORTED", msgUnsupported)},
		{"no policy", "us.icr.io/team/app:1", apiKey(keyNoPolicy), 403, denied},
		{"other account", "us.icr.io/team/app:1", apiKey(keyOther), 403, denied},
		{"namespace in other region", "de.icr.io/team/app:1", apiKey(keyReader), 403, denied},
		{"private-only over public", "us.icr.io/priv/app:1", apiKey(keyPrivate), 403, diag("DENIED", msgPrivateOnly)},
		{"private-only over private", "private.us.icr.io/priv/app:1", apiKey(keyPrivate), 200, nil},
		{"unknown repository", "us.icr.io/team/nope:1", apiKey(keyReader), 404, diag("NAME_UNKNOWN", "Unknown name")},
		{"unknown tag", "us.icr.io/team/app:2", apiKey(keyReader), 404, diag("MANIFEST_UNKNOWN", "Unknown manifest")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.pull(tt.ref, tt.auth)
			if tt.status == 200 {
				if err != nil {
					t.Fatalf("pull: %v", err)
				}
				return
			}
			status, got := regErr(err)
			if status != tt.status {
				t.Fatalf("status = %d, want %d (%v)", status, tt.status, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPullTrafficQuota(t *testing.T) {
	w := newWorld(t)
	n, err := w.pull("us.icr.io/team/app:1", apiKey(keyReader))
	if err != nil {
		t.Fatal(err)
	}
	w.cloud.mu.Lock()
	used := w.cloud.quota("us-south", acct).TrafficUsed
	w.cloud.mu.Unlock()
	if used != n || n == 0 {
		t.Errorf("traffic used = %d, want %d", used, n)
	}
	w.cloud.SetQuota("us-south", acct, Quota{StorageLimit: -1, TrafficLimit: used, TrafficUsed: used})
	_, err = w.pull("us.icr.io/team/app:1", apiKey(keyReader))
	status, got := regErr(err)
	if diff := cmp.Diff(diag("DENIED", msgTraffic), got); status != 403 || diff != "" {
		t.Errorf("over quota: status %d, errors (-want +got):\n%s", status, diff)
	}
}

// TestPullTrafficDenialWording: the denial's wording can differ per region
// and account; other regions keep the default.
func TestPullTrafficDenialWording(t *testing.T) {
	w := newWorld(t)
	const monthly = "You have exceeded your pull traffic quota for the current month. Upgrade your plan or wait until next month."
	w.cloud.SetTrafficDenial("us-south", acct, monthly)
	w.cloud.SetQuota("us-south", acct, Quota{StorageLimit: -1, TrafficLimit: 1, TrafficUsed: 1})
	w.cloud.SetQuota("global", acct, Quota{StorageLimit: -1, TrafficLimit: 1, TrafficUsed: 1})
	for ref, want := range map[string]string{"us.icr.io/team/app:1": monthly, "icr.io/glob/app:1": msgTraffic} {
		_, err := w.pull(ref, apiKey(keyReader))
		status, got := regErr(err)
		if diff := cmp.Diff(diag("DENIED", want), got); status != 403 || diff != "" {
			t.Errorf("%s: status %d, errors (-want +got):\n%s", ref, status, diff)
		}
	}
}

func TestTokenEndpointPOST(t *testing.T) {
	w := newWorld(t)
	refresh, err := w.auth(keyReader).RequestToken()
	if err != nil {
		t.Fatal(err)
	}
	// An IdentityToken makes go-containerregistry use the OAuth2 POST flow.
	if _, err := w.pull("us.icr.io/team/app:1", authn.FromConfig(authn.AuthConfig{IdentityToken: refresh.RefreshToken})); err != nil {
		t.Errorf("pull with refresh token: %v", err)
	}
}
