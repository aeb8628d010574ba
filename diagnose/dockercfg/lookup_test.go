package dockercfg

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLookupKubeletOrder follows the kubelet's keyring: keys of every
// secret merged, tried in reverse lexical order of their normalized form,
// a key present in several secrets in the secrets' order.
func TestLookupKubeletOrder(t *testing.T) {
	first := configOf("us.icr.io", "*.icr.io")
	second := configOf("us.icr.io/shop", "us.icr.io")
	third := configOf("de.icr.io")
	type try struct {
		Secret int
		Key    string
	}
	var got []try
	for _, f := range Lookup([]*Config{first, second, nil, third}, "us.icr.io", "shop/web") {
		got = append(got, try{f.Secret, f.Key})
	}
	want := []try{{1, "us.icr.io/shop"}, {0, "us.icr.io"}, {1, "us.icr.io"}, {0, "*.icr.io"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lookup order (-want +got):\n%s", diff)
	}
}

func TestLookupNone(t *testing.T) {
	if got := Lookup([]*Config{configOf("de.icr.io")}, "us.icr.io", "shop/web"); len(got) != 0 {
		t.Errorf("Lookup = %v, want none", got)
	}
	if got := Lookup(nil, "us.icr.io", "shop/web"); len(got) != 0 {
		t.Errorf("Lookup(nil) = %v, want none", got)
	}
}

func TestLookupDockerHubFallback(t *testing.T) {
	cfg := configOf("https://index.docker.io/v1/")
	got := Lookup([]*Config{cfg}, "index.docker.io", "library/nginx")
	if len(got) != 1 || got[0].Key != "https://index.docker.io/v1/" {
		t.Errorf("Lookup = %v, want the index.docker.io entry", got)
	}
}

func TestUsable(t *testing.T) {
	for name, c := range map[string]Credential{
		"password":       {Username: "iamapikey", Password: canary},
		"identity token": {IdentityToken: canary},
		"registry token": {RegistryToken: canary},
	} {
		if !c.Usable() {
			t.Errorf("%s: Usable() = false, want true", name)
		}
	}
	if (Credential{Key: "us.icr.io"}).Usable() {
		t.Error("empty entry: Usable() = true, want false")
	}
}

// TestParseCredsStoreConfig: a docker config that keeps its credentials in
// a store parses, with an empty entry per registry.
func TestParseCredsStoreConfig(t *testing.T) {
	cfg, err := Parse([]byte(`{"auths":{"us.icr.io":{}},"credsStore":"desktop"}`))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Match("us.icr.io", "shop/web")
	if !ok || c.Usable() {
		t.Errorf("Match = %v, %t; want the empty us.icr.io entry", c, ok)
	}
}
