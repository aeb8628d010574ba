package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCopySources(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", []string{"all-icr-io"}},
		{"default/all-icr-io, default/partner-pull,default/all-icr-io", []string{"all-icr-io", "partner-pull"}},
		{"default/partner-pull", []string{"partner-pull"}},
	} {
		c, err := Load(env(map[string]string{KeyCopySources: tc.in}))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if diff := cmp.Diff(tc.want, c.CopySources); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
	for _, bad := range []string{"all-icr-io", "kube-system/some-token", "default/", "default/Bad_Name", "default/a/b"} {
		_, err := Load(env(map[string]string{KeyCopySources: bad}))
		if err == nil || !strings.Contains(err.Error(), KeyCopySources) || !strings.Contains(err.Error(), "example: default/all-icr-io") {
			t.Errorf("%q: error %v, want one naming %s with an example", bad, err, KeyCopySources)
		}
	}
}

func TestChannelBindings(t *testing.T) {
	c, err := Load(env(map[string]string{KeyChannelBindings: " C0SHOP:shop-*,checkout ; C0PLATFORM:*,kube-system:diagnose+alerts;C0ONCALL:team-?:fix,fix"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Binding{
		{Channel: "C0SHOP", Namespaces: []string{"shop-*", "checkout"}, Rights: []string{"diagnose", "alerts", "fix"}},
		{Channel: "C0PLATFORM", Namespaces: []string{"*", "kube-system"}, Rights: []string{"diagnose", "alerts"}},
		{Channel: "C0ONCALL", Namespaces: []string{"team-?"}, Rights: []string{"fix"}},
	}
	if diff := cmp.Diff(want, c.Bindings); diff != "" {
		t.Errorf("bindings (-want +got):\n%s", diff)
	}
	if c.Unbound != UnboundNone {
		t.Errorf("unbound channels with bindings: %q, want none", c.Unbound)
	}
	for _, tc := range []struct{ bindings, unbound, want string }{
		{"", "", UnboundAll}, {"", "none", UnboundNone}, {"C1:a", "ALL", UnboundAll},
	} {
		c, err := Load(env(map[string]string{KeyChannelBindings: tc.bindings, KeyUnbound: tc.unbound}))
		if err != nil || c.Unbound != tc.want {
			t.Errorf("bindings %q, unbound %q: %q, %v; want %q", tc.bindings, tc.unbound, c.Unbound, err, tc.want)
		}
	}
}

// TestChannelBindingsRejects: every bad binding is reported, each naming
// the key, the binding and an example.
func TestChannelBindingsRejects(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"C0SHOP", "is not <channel ID>:<namespace patterns>[:<rights>]"},
		{"C0SHOP:a:b:c", "is not <channel ID>:<namespace patterns>[:<rights>]"},
		{"#shop:shop", `"#shop" is not a Slack channel ID`},
		{"C0SHOP:", "it names no namespace"},
		{"C0SHOP:Shop", `"Shop" is not a namespace or namespace pattern`},
		{"C0SHOP:shop-[", `"shop-[" is not a namespace or namespace pattern`},
		{"C0SHOP:shop:admin", `"admin" is not a right (rights: diagnose, alerts, fix)`},
		{"C0SHOP:shop:+", "it grants no right"},
	} {
		_, err := Load(env(map[string]string{KeyChannelBindings: "C0OK:ok;" + tc.in}))
		if err == nil || !strings.Contains(err.Error(), KeyChannelBindings) || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), "example: C0SHOP:shop-*,checkout") {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := Load(env(map[string]string{KeyUnbound: "some"})); err == nil || !strings.Contains(err.Error(), KeyUnbound) {
		t.Errorf("%s=some: error %v", KeyUnbound, err)
	}
}

func TestImageRegistries(t *testing.T) {
	c, err := Load(env(map[string]string{KeyImageRegistries: "quay.io, registry.example.com:5000,[fd00::5]:5000,10.0.0.5"}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"quay.io", "registry.example.com:5000", "[fd00::5]:5000", "10.0.0.5"}, c.ImageRegistries); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"https://quay.io", "quay.io/team", "quay.io:0", "quay.io:70000", "user@quay.io", "fd00::5:5000", "quay.io;x"} {
		_, err := Load(env(map[string]string{KeyImageRegistries: bad}))
		if err == nil || !strings.Contains(err.Error(), KeyImageRegistries) || !strings.Contains(err.Error(), "example: quay.io") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
