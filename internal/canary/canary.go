// Package canary finds secrets in what pullcheck writes, in every encoding
// a secret could leave in: as it is, base64 (standard and URL alphabets,
// padded or not, also inside a longer base64 text), hex, URL query and path
// escaping, JSON and Go string quoting, and, for a user and password, the
// base64 "auth" field of a .dockerconfigjson. Tests hand it the secrets
// they planted and every text pullcheck produced.
package canary

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Form is one encoding of one secret.
type Form struct {
	// Secret is the index of the secret in the list given to Forms.
	Secret int
	// Encoding names the encoding ("base64 at offset 1", "query-escaped").
	Encoding string
	// Value is the text to look for.
	Value string
}

// minCore is the shortest base64 core worth looking for: shorter ones
// would match by chance.
const minCore = 8

// Forms returns every form of each secret to look for. Empty secrets are
// left out.
func Forms(secrets ...string) []Form {
	var out []Form
	seen := map[string]bool{}
	for i, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range forms(s) {
			if f.Value != "" && !seen[f.Value] {
				seen[f.Value] = true
				out = append(out, Form{Secret: i, Encoding: f.Encoding, Value: f.Value})
			}
		}
	}
	return out
}

// Login is the "user:password" whose base64 is the auth field of a
// .dockerconfigjson; give it to Forms as a secret of its own.
func Login(user, password string) string { return user + ":" + password }

func forms(s string) []Form {
	out := []Form{
		{Encoding: "as is", Value: s},
		{Encoding: "query-escaped", Value: url.QueryEscape(s)},
		{Encoding: "path-escaped", Value: url.PathEscape(s)},
		{Encoding: "JSON-quoted", Value: jsonQuoted(s, true)},
		{Encoding: "JSON-quoted without HTML escapes", Value: jsonQuoted(s, false)},
		{Encoding: "Go-quoted", Value: strings.Trim(strconv.Quote(s), `"`)},
		{Encoding: "hex", Value: hex.EncodeToString([]byte(s))},
		{Encoding: "base64", Value: base64.StdEncoding.EncodeToString([]byte(s))},
		{Encoding: "base64url", Value: base64.URLEncoding.EncodeToString([]byte(s))},
	}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{{"base64", base64.RawStdEncoding}, {"base64url", base64.RawURLEncoding}} {
		for offset := range 3 {
			if c := core(enc.e, s, offset); len(c) >= minCore {
				out = append(out, Form{Encoding: fmt.Sprintf("%s at offset %d", enc.name, offset), Value: c})
			}
		}
	}
	return out
}

// core is the part of the base64 of s that is the same wherever s stands
// in a longer text, when it starts offset bytes into a 3-byte group: the
// groups made of s's bytes only.
func core(e *base64.Encoding, s string, offset int) string {
	b := append(make([]byte, offset), s...)
	full := e.EncodeToString(b)
	start, end := 0, 4*(len(b)/3)
	if offset > 0 {
		start = 4
	}
	if end <= start {
		return ""
	}
	return full[start:end]
}

func jsonQuoted(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s) // a string always encodes
	return strings.Trim(strings.TrimSpace(b.String()), `"`)
}

// Leak is a form found in a text.
type Leak struct {
	Form
	// Context is the text around it.
	Context string
}

func (l Leak) String() string {
	return fmt.Sprintf("secret %d %s: …%s…", l.Secret, l.Encoding, l.Context)
}

// Find returns every form that text contains.
func Find(text string, forms []Form) []Leak {
	var out []Leak
	for _, f := range forms {
		if i := strings.Index(text, f.Value); i >= 0 {
			out = append(out, Leak{Form: f, Context: text[max(0, i-60):min(len(text), i+len(f.Value)+60)]})
		}
	}
	return out
}

// Scan looks for forms in each named text and describes every leak found,
// naming the text.
func Scan(texts map[string]string, forms []Form) []string {
	var out []string
	for name, text := range texts {
		for _, l := range Find(text, forms) {
			out = append(out, name+": "+l.String())
		}
	}
	return out
}
