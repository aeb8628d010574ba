package commands_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// TestAllowed: read-only keeps only the offers that change nothing.
func TestAllowed(t *testing.T) {
	offers := []commands.Offer{
		{Action: diagnose.CopyPullSecret, Title: "Copy", Value: "fix copy-pull-secret shop/web"},
		{Action: diagnose.Rerun, Title: "Run the diagnosis again", Value: "pod shop/web"},
	}
	if diff := cmp.Diff(offers, (&commands.Service{}).Allowed(offers)); diff != "" {
		t.Errorf("writable (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(offers[1:], (&commands.Service{ReadOnly: true}).Allowed(offers)); diff != "" {
		t.Errorf("read-only (-want +got):\n%s", diff)
	}
}
