package dockercfg

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// secretFields are the entry fields whose values must never be shown,
// compared case-insensitively like encoding/json does.
var secretFields = map[string]bool{"password": true, "auth": true, "identitytoken": true, "registrytoken": true}

func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"auths":{"us.icr.io":{"username":"iamapikey","password":"` + canary + `"}}}`,
		`{"auths":{"us.icr.io":{"auth":"` + b64("iamapikey:"+canary) + `"}}}`,
		`{"auths":{"us.icr.io":{"auth":"` + b64(canary) + `"}}}`,
		`{"auths":{"us.icr.io":{"auth":"` + canary + `"}}}`,
		`{"auths":{"us.icr.io":{"password":"` + canary + `"}`,
		`{"auths":{"us.icr.io":{"Password":["` + canary + `"]}}}`,
		`{"auths":{"us.icr.io":"` + canary + `"}}`,
		`{"auths":["` + canary + `"]}`,
		`{"auths":{"*.icr.io":{"identitytoken":"` + canary + `","registrytoken":7}}}`,
		`{"icr.io":{"auth":"` + b64("iamapikey:"+canary) + `"}}`,
		`"` + canary + `"`,
		`{"auths":{}}`,
		`{"auths":null}`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, parse := range []func([]byte) (*Config, error){
			Parse,
			func(b []byte) (*Config, error) {
				return ParseSecret("kubernetes.io/dockercfg", map[string][]byte{".dockercfg": b})
			},
		} {
			cfg, err := parse(raw)
			checkParseResult(t, raw, cfg, err)
		}
	})
}

// checkParseResult asserts the contract of Parse on any input: a sorted
// Config or a *MalformedError that shows no secret value holding the canary.
func checkParseResult(t *testing.T, raw []byte, cfg *Config, err error) {
	t.Helper()
	if err == nil {
		if cfg == nil || len(cfg.Entries) == 0 {
			t.Fatalf("no error and no entries")
		}
		if !sort.SliceIsSorted(cfg.Entries, func(i, j int) bool { return cfg.Entries[i].Key < cfg.Entries[j].Key }) {
			t.Fatalf("entries not sorted")
		}
		return
	}
	var me *MalformedError
	if !errors.As(err, &me) {
		t.Fatalf("error %T is not a *MalformedError: %v", err, err)
	}
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		if strings.Contains(err.Error(), "Canary") {
			t.Fatalf("syntax error shows input: %q", err)
		}
		return
	}
	keys, secrets := walk(doc, nil, nil)
	for _, s := range secrets {
		if !strings.Contains(s, "Canary") || containsAny(keys, s) {
			continue
		}
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error shows a secret value: %q", err)
		}
	}
}

// walk collects every object key and every string value held, at any depth,
// under a secret field name; an auth value also yields its decoded form.
func walk(v any, keys, secrets []string) ([]string, []string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			keys = append(keys, k)
			if s, ok := child.(string); ok && secretFields[strings.ToLower(k)] {
				secrets = append(secrets, s, string(decodeLoose(s)))
			}
			keys, secrets = walk(child, keys, secrets)
		}
	case []any:
		for _, child := range v {
			keys, secrets = walk(child, keys, secrets)
		}
	}
	return keys, secrets
}

// decodeLoose base64-decodes s, returning nil when it is not base64.
func decodeLoose(s string) []byte {
	b, _ := base64.StdEncoding.DecodeString(s)
	return b
}

// containsAny reports whether any of keys contains s.
func containsAny(keys []string, s string) bool {
	for _, k := range keys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

func FuzzMatch(f *testing.F) {
	f.Add("us.icr.io", "us.icr.io", "ns/app")
	f.Add("*.icr.io", "de.icr.io", "ns/app")
	f.Add("https://index.docker.io/v1/", "index.docker.io", "library/nginx")
	f.Add("reg.example:5000/ns", "reg.example:5000", "ns/app")
	f.Add("[", "[", "")
	f.Add("http://%zz", "a:b:c", "%%")
	f.Fuzz(func(t *testing.T, key, host, repo string) {
		cfg := &Config{Entries: []Credential{{Key: key, Password: canary}}}
		got, ok := cfg.Match(host, repo)
		if ok && (got.Key != key || got.Password != canary) {
			t.Fatalf("Match returned %v, not the only entry", got)
		}
		if !ok && plainHost(host, repo) {
			self := &Config{Entries: []Credential{{Key: host}}}
			if _, ok := self.Match(host, repo); !ok {
				t.Fatalf("key %q does not match its own host", host)
			}
		}
	})
}

// plainHost reports whether host is a literal host[:port] (no glob
// characters) that parses back to itself with repo as the path, so a key
// equal to host must match.
func plainHost(host, repo string) bool {
	if host == "" || strings.ContainsAny(host, `*?[\/`) {
		return false
	}
	u, err := url.Parse("https://" + host + "/" + repo)
	return err == nil && u.Host == host
}
