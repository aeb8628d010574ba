package dockercfg

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
)

func TestAuthenticator(t *testing.T) {
	tests := []struct {
		name string
		cred Credential
		want authn.AuthConfig
	}{{
		name: "basic",
		cred: Credential{Key: "us.icr.io", Username: "iamapikey", Password: canary},
		want: authn.AuthConfig{Username: "iamapikey", Password: canary},
	}, {
		name: "tokens",
		cred: Credential{Key: "r.example", IdentityToken: "id", RegistryToken: "rt"},
		want: authn.AuthConfig{IdentityToken: "id", RegistryToken: "rt"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := authn.Authorization(context.Background(), tt.cred.Authenticator())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("Authorization() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCredentialPrintingRedacts(t *testing.T) {
	c := Credential{Key: "us.icr.io", Username: "iamapikey", Password: canary,
		IdentityToken: canary + "-id", RegistryToken: canary + "-rt"}
	cfg := &Config{Entries: []Credential{c}}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, value := range []any{c, &c, cfg, *cfg} {
			if got := fmt.Sprintf(format, value); strings.Contains(got, canary) {
				t.Errorf("Sprintf(%q, %T) shows the secret: %s", format, value, got)
			}
		}
	}
	want := `{Key:"us.icr.io" Username:"iamapikey" Password:[redacted] IdentityToken:[redacted] RegistryToken:""}`
	if got := (Credential{Key: "us.icr.io", Username: "iamapikey", Password: "x", IdentityToken: "y"}).String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
}

func TestFingerprint(t *testing.T) {
	tests := []struct{ secret, want string }{
		{"", "sha256:e3b0c44298fc"},
		{"abc", "sha256:ba7816bf8f01"},
	}
	for _, tt := range tests {
		if got := Fingerprint(tt.secret); got != tt.want {
			t.Errorf("Fingerprint(%q) = %q, want %q", tt.secret, got, tt.want)
		}
	}
	if got := Fingerprint(canary); strings.Contains(got, canary) || len(got) != len("sha256:")+12 {
		t.Errorf("Fingerprint(canary) = %q", got)
	}
}

func TestMalformedErrorMessage(t *testing.T) {
	err := &MalformedError{Reason: "no registries in auths"}
	if got, want := err.Error(), "malformed pull secret: no registries in auths"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
