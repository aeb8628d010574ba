package fix

import (
	"testing"

	"github.com/pullcheck/pullcheck/diagnose"
)

// TestNewCopyIsManaged: what the fixers create is what the diagnosis and
// the sweep count as pullcheck's copy, so that sync-pull-secret is offered
// for it later.
func TestNewCopyIsManaged(t *testing.T) {
	c := newCopy(source(), "shop", "U123")
	if !diagnose.ManagedCopy(c.Labels, c.Annotations) {
		t.Errorf("newCopy is not a managed copy: labels %v, annotations %v", c.Labels, c.Annotations)
	}
}
