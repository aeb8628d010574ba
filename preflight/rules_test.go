package preflight

import (
	"testing"

	"github.com/pullcheck/pullcheck/diagnose"
)

// TestEveryFindingHasARule: SARIF needs a description for each finding
// of the catalogue, and only for those.
func TestEveryFindingHasARule(t *testing.T) {
	for _, c := range diagnose.Catalogue {
		if ruleText[c.ID()] == "" {
			t.Errorf("no rule text for %s", c.ID())
		}
	}
	if len(ruleText) != len(diagnose.Catalogue) {
		t.Errorf("%d rule texts for %d findings", len(ruleText), len(diagnose.Catalogue))
	}
	if got := ruleName(diagnose.ImageTagNotFound); got != "ImageTagNotFound" {
		t.Errorf("ruleName = %q", got)
	}
}
