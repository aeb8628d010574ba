package registry

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

func TestSecretsOf(t *testing.T) {
	got := secretsOf(&authn.AuthConfig{Username: "iamapikey", Password: "pw-Canary", RegistryToken: "rt"})
	want := secrets{base64.StdEncoding.EncodeToString([]byte("iamapikey:pw-Canary")), "pw-Canary", "rt"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secretsOf() (-want +got):\n%s", diff)
	}
	if got := secretsOf(&authn.AuthConfig{}); len(got) != 0 {
		t.Errorf("secretsOf(anonymous) = %q, want none", got)
	}
}

func TestClip(t *testing.T) {
	s := secrets{"Canary-key"}
	tests := []struct{ name, in, want string }{
		{"redacts", "bad key Canary-key here", "bad key [redacted] here"},
		{"first line", "status 500:\n<html>Canary-key</html>", "status 500"},
		{"long", strings.Repeat("é", 200), strings.Repeat("é", 150)},
		{"cut on a rune boundary", "a" + strings.Repeat("é", 200), "a" + strings.Repeat("é", 149)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.clip(tt.in); got != tt.want {
				t.Errorf("clip() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMessageRedactsSignedURLs(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://s3.example/blob?X-Amz-Signature=Canary-sig&n=10", Err: errors.New("dial tcp: refused")}
	got := secrets{}.message(fmt.Errorf("fetching config: %w", err))
	want := `fetching config: Get "https://s3.example/blob?X-Amz-Signature=REDACTED&n=10": dial tcp: refused`
	if got != want {
		t.Errorf("message() = %q, want %q", got, want)
	}
}

func TestWrapRebuildsTransportError(t *testing.T) {
	u, _ := url.Parse("https://user:Canary-userinfo@us.icr.io/oauth/token?scope=repository:ns/app:pull&sig=Canary-sig")
	original := &transport.Error{
		StatusCode: 401,
		Errors:     []transport.Diagnostic{{Code: "UNAUTHORIZED", Message: "key Canary-key rejected", Detail: map[string]string{"k": "Canary-key"}}},
		Request: &http.Request{Method: http.MethodGet, URL: u,
			Header: http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("iamapikey:Canary-key"))}}},
	}
	err := secrets{"Canary-key"}.wrap(fmt.Errorf("logging in: %w", original))
	var te *transport.Error
	if !errors.As(err, &te) {
		t.Fatalf("wrap() = %v, does not unwrap to *transport.Error", err)
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err), fmt.Sprintf("%+v", te), fmt.Sprintf("%#v", *te.Request), te.Request.URL.String()} {
		if strings.Contains(text, "Canary") {
			t.Errorf("wrapped error shows a secret: %s", text)
		}
	}
	if te.StatusCode != 401 || te.Errors[0].Message != "key [redacted] rejected" || te.Request.URL.Path != "/oauth/token" {
		t.Errorf("wrapped copy = %d %v %v", te.StatusCode, te.Errors, te.Request.URL)
	}
	if secrets(nil).wrap(nil) != nil {
		t.Error("wrap(nil) != nil")
	}
}
