package dockercfg

import (
	"sort"
	"testing"
)

// configOf builds a Config whose entries use each key as username, so a
// test can tell which entry matched.
func configOf(keys ...string) *Config {
	cfg := &Config{}
	for _, k := range keys {
		cfg.Entries = append(cfg.Entries, Credential{Key: k, Username: k, Password: canary})
	}
	sort.Slice(cfg.Entries, func(i, j int) bool { return cfg.Entries[i].Key < cfg.Entries[j].Key })
	return cfg
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name       string
		keys       []string
		host, repo string
		want       string // matching key, "" for none
	}{
		{"exact host", []string{"us.icr.io"}, "us.icr.io", "ns/app", "us.icr.io"},
		{"other region", []string{"us.icr.io"}, "de.icr.io", "ns/app", ""},
		{"https scheme", []string{"https://us.icr.io"}, "us.icr.io", "ns/app", "https://us.icr.io"},
		{"http scheme and trailing slash", []string{"http://us.icr.io/"}, "us.icr.io", "ns/app", "http://us.icr.io/"},
		{"v2 suffix", []string{"https://us.icr.io/v2/"}, "us.icr.io", "ns/app", "https://us.icr.io/v2/"},
		{"path prefix", []string{"us.icr.io/ns"}, "us.icr.io", "ns/app", "us.icr.io/ns"},
		{"path prefix elsewhere", []string{"us.icr.io/other"}, "us.icr.io", "ns/app", ""},
		{"path prefix is a string prefix, as in kubelet", []string{"us.icr.io/ns"}, "us.icr.io", "ns2/app", "us.icr.io/ns"},
		{"path prefix with slash", []string{"us.icr.io/ns/"}, "us.icr.io", "ns2/app", ""},
		{"key path longer than repo", []string{"us.icr.io/ns/app/sub"}, "us.icr.io", "ns/app", ""},
		{"port equal", []string{"reg.example:5000"}, "reg.example:5000", "ns/app", "reg.example:5000"},
		{"port missing in key", []string{"reg.example"}, "reg.example:5000", "ns/app", ""},
		{"port missing in image", []string{"reg.example:5000"}, "reg.example", "ns/app", ""},
		{"port 443 is not implied", []string{"us.icr.io:443"}, "us.icr.io", "ns/app", ""},
		{"glob label", []string{"*.icr.io"}, "us.icr.io", "ns/app", "*.icr.io"},
		{"glob needs a label", []string{"*.icr.io"}, "icr.io", "ns/app", ""},
		{"glob is one label", []string{"*.icr.io"}, "private.us.icr.io", "ns/app", ""},
		{"glob inside label", []string{"u*.icr.io"}, "us.icr.io", "ns/app", "u*.icr.io"},
		{"bad glob", []string{"[.icr.io"}, "[.icr.io", "ns/app", ""},
		{"host case matters, as in kubelet", []string{"US.ICR.IO"}, "us.icr.io", "ns/app", ""},
		{"most specific path wins", []string{"us.icr.io", "us.icr.io/ns", "*.icr.io"}, "us.icr.io", "ns/app", "us.icr.io/ns"},
		{"host beats glob", []string{"*.icr.io", "us.icr.io"}, "us.icr.io", "ns/app", "us.icr.io"},
		{"scheme does not make a key more specific", []string{"https://us.icr.io", "us.icr.io/ns"}, "us.icr.io", "ns/app", "us.icr.io/ns"},
		{"same host twice, first key wins", []string{"us.icr.io", "https://us.icr.io"}, "us.icr.io", "ns/app", "https://us.icr.io"},
		{"docker hub legacy key", []string{"https://index.docker.io/v1/"}, "index.docker.io", "library/nginx", "https://index.docker.io/v1/"},
		{"docker hub key", []string{"docker.io"}, "index.docker.io", "library/nginx", "docker.io"},
		{"docker hub short name", []string{"index.docker.io"}, "docker.io", "library/nginx", "index.docker.io"},
		{"docker hub path key beats fallback", []string{"https://index.docker.io/v1/", "docker.io/team"}, "index.docker.io", "team/app", "docker.io/team"},
		{"docker hub fallback when path key misses", []string{"https://index.docker.io/v1/", "docker.io/team"}, "index.docker.io", "other/app", "https://index.docker.io/v1/"},
		{"docker hub key not for icr", []string{"https://index.docker.io/v1/"}, "us.icr.io", "ns/app", ""},
		{"empty repository", []string{"us.icr.io"}, "us.icr.io", "", "us.icr.io"},
		{"unparsable key", []string{"us.icr.io/%zz"}, "us.icr.io", "ns/app", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := configOf(tt.keys...).Match(tt.host, tt.repo)
			if ok != (tt.want != "") || got.Key != tt.want || got.Username != tt.want {
				t.Errorf("Match(%q, %q) = %q, %v; want %q", tt.host, tt.repo, got.Key, ok, tt.want)
			}
		})
	}
}

func TestMatchNilConfig(t *testing.T) {
	var cfg *Config
	if _, ok := cfg.Match("us.icr.io", "ns/app"); ok {
		t.Error("nil Config matched")
	}
}

func TestParsedSecretMatches(t *testing.T) {
	cfg, err := ParseSecret("kubernetes.io/dockerconfigjson", dcj(
		`{"icr.io":{"auth":"`+b64("iamapikey:global")+`"},"us.icr.io":{"auth":"`+b64("iamapikey:"+canary)+`"}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := cfg.Match("us.icr.io", "shop/web")
	if !ok || got.Key != "us.icr.io" || got.Password != canary {
		t.Errorf("Match() = %v, %v; want the us.icr.io entry", got, ok)
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct {
		key, want string
		ok        bool
	}{
		{"us.icr.io", "us.icr.io", true},
		{"https://us.icr.io", "us.icr.io", true},
		{"http://us.icr.io/", "us.icr.io", true},
		{"https://index.docker.io/v1/", "index.docker.io", true},
		{"us.icr.io/v2/ns", "us.icr.io/ns", true},
		{"us.icr.io/ns/", "us.icr.io/ns/", true},
		{"reg.example:5000/ns", "reg.example:5000/ns", true},
		{"*.icr.io", "*.icr.io", true},
		{"us.icr.io/%zz", "", false},
	}
	for _, tt := range tests {
		got, ok := normalizeKey(tt.key)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normalizeKey(%q) = %q, %v; want %q, %v", tt.key, got, ok, tt.want, tt.ok)
		}
	}
}
