package registry

import (
	"encoding/base64"
	"errors"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/google/go-containerregistry/pkg/authn"
)

// maxText is the longest registry message or error text kept in an Outcome.
const maxText = 300

// redactedMark replaces a secret in text.
const redactedMark = "[redacted]"

// secrets are the credential strings of one probe, longest first, that must
// not appear in an Outcome. Registries rarely echo credentials, but an error
// body is the registry's to write, so every text from the network is
// redacted before it is stored.
type secrets []string

// secretsOf collects every secret an AuthConfig holds, including the base64
// "user:password" that Basic authentication sends.
func secretsOf(cfg *authn.AuthConfig) secrets {
	var s secrets
	for _, v := range []string{cfg.Password, cfg.Auth, cfg.IdentityToken, cfg.RegistryToken} {
		if v != "" {
			s = append(s, v)
		}
	}
	if cfg.Password != "" {
		s = append(s, base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password)))
	}
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return s
}

// redact replaces every secret in text.
func (s secrets) redact(text string) string {
	for _, secret := range s {
		text = strings.ReplaceAll(text, secret, redactedMark)
	}
	return text
}

// clip redacts text and keeps its first line, at most maxText bytes, cut on a
// rune boundary.
func (s secrets) clip(text string) string {
	text = firstLine(s.redact(text))
	if len(text) <= maxText {
		return text
	}
	cut := maxText
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

// message is err's text made safe: secrets and URL query values other than
// the registry protocol's own (a redirect's signed URL, say) are replaced, and
// only the first line is kept, because ggcr's multi-line errors quote
// response bodies (a token response without a token, for one).
func (s secrets) message(err error) string {
	text := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			text = strings.ReplaceAll(text, ue.URL, safeURL(u).String())
		}
	}
	return firstLine(s.redact(text))
}

// queryAllowlist are the query parameters of the registry protocol itself,
// as in ggcr's internal/redact; any other value may be a signature.
var queryAllowlist = map[string]bool{"scope": true, "service": true, "n": true, "last": true}

// safeURL copies u without user info and with non-protocol query values
// replaced.
func safeURL(u *url.URL) *url.URL {
	c := *u
	c.User = nil
	q := c.Query()
	for k, vs := range q {
		if !queryAllowlist[k] {
			for i := range vs {
				vs[i] = "REDACTED"
			}
		}
	}
	c.RawQuery = q.Encode()
	return &c
}

// firstLine returns text up to its first line break.
func firstLine(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	return strings.TrimRight(line, "\r :")
}
