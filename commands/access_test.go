package commands_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
)

// shopAccess: C0SHOP diagnoses and fixes in team-* and shop; C0PLATFORM
// diagnoses everywhere, kube-system by name included, and fixes nowhere;
// C0OPS gets team-a's alerts only; unbound channels get nothing.
func shopAccess() *commands.Access {
	return commands.NewAccess([]commands.Binding{
		{Channel: "C0SHOP", Namespaces: []string{"team-*", "shop"}, Rights: []commands.Right{commands.RightDiagnose, commands.RightFix}},
		{Channel: "C0PLATFORM", Namespaces: []string{"*", "kube-system"}, Rights: []commands.Right{commands.RightDiagnose}},
		{Channel: "C0OPS", Namespaces: []string{"team-a"}, Rights: []commands.Right{commands.RightAlerts}},
	}, nil, "kube-system", "pullcheck")
}

func TestAccessAllows(t *testing.T) {
	a := shopAccess()
	open := commands.NewAccess(nil, commands.AllRights, "kube-system", "pullcheck")
	for _, tc := range []struct {
		access  *commands.Access
		channel string
		right   commands.Right
		ns      string
		want    bool
	}{
		{a, "C0SHOP", commands.RightDiagnose, "team-a", true},
		{a, "C0SHOP", commands.RightFix, "shop", true},
		{a, "C0SHOP", commands.RightDiagnose, "billing", false},
		{a, "C0SHOP", commands.RightAlerts, "team-a", false},
		{a, "C0PLATFORM", commands.RightDiagnose, "billing", true},
		{a, "C0PLATFORM", commands.RightDiagnose, "kube-system", true},
		{a, "C0PLATFORM", commands.RightDiagnose, "pullcheck", false}, // "*" does not reach pullcheck's own
		{a, "C0PLATFORM", commands.RightFix, "billing", false},
		{a, "C0OPS", commands.RightAlerts, "team-a", true},
		{a, "C0OPS", commands.RightDiagnose, "team-a", false},
		{a, "C0RANDOM", commands.RightDiagnose, "team-a", false},
		{open, "C0RANDOM", commands.RightFix, "team-a", true},
		{open, "C0RANDOM", commands.RightDiagnose, "kube-system", false},
		{open, "C0RANDOM", commands.RightAlerts, "pullcheck", false},
	} {
		if got := tc.access.Allows(tc.channel, tc.right, tc.ns); got != tc.want {
			t.Errorf("Allows(%s, %s, %s) = %t, want %t", tc.channel, tc.right, tc.ns, got, tc.want)
		}
	}
	if got := a.AlertChannel("team-a"); got != "C0OPS" {
		t.Errorf("AlertChannel(team-a) = %q", got)
	}
}

// TestChannelBindingsApplyToEveryVerb: a request from a channel reaches
// only what the channel is bound to, whatever the verb, typed or clicked;
// a refusal is private, says why and changes nothing. The CLI (no
// channel) is not bound.
func TestChannelBindingsApplyToEveryVerb(t *testing.T) {
	w, svc := world(t)
	svc.Access = shopAccess()
	pod := scenario(t, "team-a").Build(w)
	refused := func(channel, text, want string) {
		t.Helper()
		out := handle(t, svc, commands.Request{User: "cli", Channel: channel, Text: text})
		if !strings.Contains(out, want) {
			t.Errorf("%s in %s:\n%s\nwant %q", text, channel, out, want)
		}
		if strings.Contains(out, "…") { // the header of a conversation: something was posted
			t.Errorf("%s in %s opened a conversation:\n%s", text, channel, out)
		}
	}
	fix := "fix copy-pull-secret team-a/" + pod + " pull-secret-not-copied secret=all-icr-io"
	notBound := "this channel is not bound to any namespace; an operator can bind it in PULLCHECK_CHANNEL_BINDINGS"
	refused("C0RANDOM", "pod team-a/"+pod, "pullcheck may not diagnose in namespace team-a: "+notBound)
	refused("C0RANDOM", "quota", "pullcheck may not diagnose here: "+notBound)
	refused("C0SHOP", "deployment billing/web", "pullcheck may not diagnose in namespace billing from this channel: "+
		"its bindings grant diagnose+fix in team-*, shop")
	refused("C0SHOP", "namespace kube-system", "pullcheck may not diagnose in namespace kube-system from this channel: "+
		"kube-system is reached only from a channel bound to it by name")
	refused("C0SHOP", "image us.icr.io/shop/web:1.0 in billing", "may not diagnose in namespace billing")
	refused("C0PLATFORM", fix, "pullcheck may not apply fixes in namespace team-a from this channel")
	refused("C0OPS", "pod team-a/"+pod, "pullcheck may not diagnose in namespace team-a from this channel: its bindings grant alerts in team-a")
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), "all-icr-io", metav1.GetOptions{}); err == nil {
		t.Fatal("a refused fix created team-a/all-icr-io")
	}

	for _, tc := range []struct{ channel, text, want string }{
		{"C0SHOP", "pod team-a/" + pod, "pull-secret-not-copied"},
		{"C0PLATFORM", "namespace kube-system", "namespace kube-system"},
		{"C0SHOP", "help", "quota [region]"},
		{"C0SHOP", fix, "cli applied copy-pull-secret"},
		{"", "fix patch-service-account team-a/" + pod, "cli applied patch-service-account"},
	} {
		if out := handle(t, svc, commands.Request{User: "cli", Channel: tc.channel, Text: tc.text}); !strings.Contains(out, tc.want) {
			t.Errorf("%s in %q:\n%s\nwant %q", tc.text, tc.channel, out, tc.want)
		}
	}
}
