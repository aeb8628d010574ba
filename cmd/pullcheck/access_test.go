package main

import (
	"testing"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
)

// TestAccessFromConfig: the bindings of PULLCHECK_CHANNEL_BINDINGS, the
// rights of unbound channels, and pullcheck's own namespace protected like
// kube-system.
func TestAccessFromConfig(t *testing.T) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{config.KeyChannelBindings: "C0SHOP:shop-*:diagnose;C0OPS:*,ops", config.KeyNamespace: "ops"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	a := access(cfg)
	for _, tc := range []struct {
		channel string
		right   commands.Right
		ns      string
		want    bool
	}{
		{"C0SHOP", commands.RightDiagnose, "shop-eu", true},
		{"C0SHOP", commands.RightFix, "shop-eu", false},
		{"C0OPS", commands.RightFix, "billing", true},
		{"C0OPS", commands.RightAlerts, "ops", true},
		{"C0OPS", commands.RightAlerts, "kube-system", false},
		{"C0OTHER", commands.RightDiagnose, "shop-eu", false},
	} {
		if got := a.Allows(tc.channel, tc.right, tc.ns); got != tc.want {
			t.Errorf("Allows(%s, %s, %s) = %t, want %t", tc.channel, tc.right, tc.ns, got, tc.want)
		}
	}
	cfg.Unbound = config.UnboundAll
	if a := access(cfg); !a.Allows("C0OTHER", commands.RightFix, "billing") || a.Allows("C0OTHER", commands.RightDiagnose, "ops") {
		t.Error("unbound channels with all: everything but the protected namespaces")
	}
}
