package dockercfg

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
)

// Credential is one entry of a pull secret's auths map, with the "auth" field
// already decoded into Username and Password.
type Credential struct {
	// Key is the auths key as written in the secret, for example "us.icr.io"
	// or "https://index.docker.io/v1/".
	Key string
	// Username is the login name ("iamapikey" for IBM Cloud API keys).
	Username string
	// Password is the login secret: an API key, token or password.
	Password string
	// IdentityToken is an OAuth2 refresh token, when the secret carries one.
	IdentityToken string
	// RegistryToken is a bearer token sent to the registry as is.
	RegistryToken string
}

// Authenticator returns the credential as a go-containerregistry
// Authenticator, ready for remote calls.
func (c Credential) Authenticator() authn.Authenticator {
	return authn.FromConfig(authn.AuthConfig{
		Username:      c.Username,
		Password:      c.Password,
		IdentityToken: c.IdentityToken,
		RegistryToken: c.RegistryToken,
	})
}

// String describes the credential with every secret field redacted, so a
// Credential printed by accident (%v, %+v, %s) never leaks a password.
func (c Credential) String() string {
	return fmt.Sprintf("{Key:%q Username:%q Password:%s IdentityToken:%s RegistryToken:%s}",
		c.Key, c.Username, redacted(c.Password), redacted(c.IdentityToken), redacted(c.RegistryToken))
}

// GoString is String for %#v.
func (c Credential) GoString() string {
	return "dockercfg.Credential" + c.String()
}

// redacted says whether a secret field is set without showing it.
func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// Config is the set of credentials in one pull secret.
type Config struct {
	// Entries holds one Credential per auths key, sorted by Key.
	Entries []Credential
}

// Fingerprint returns "sha256:" and the first 12 hex digits of the SHA-256 of
// secret. It is safe to show and lets two copies of a secret be compared.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(sum[:])[:12]
}

// MalformedError says why a pull secret cannot be used. The kubelet silently
// ignores such a secret, so the pull goes out without credentials.
type MalformedError struct {
	// Reason names the offending key, field or type, never secret content.
	Reason string
}

// Error implements error.
func (e *MalformedError) Error() string {
	return "malformed pull secret: " + e.Reason
}

// malformed builds a *MalformedError from a format and arguments that must
// only be keys, field names, types or offsets.
func malformed(format string, args ...any) *MalformedError {
	return &MalformedError{Reason: fmt.Sprintf(format, args...)}
}
