package diagnose_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the layering of STYLE.md: the diagnosis, the
// command grammar, the preflight and the alerts never know Slack.
func TestImportDirection(t *testing.T) {
	for _, pkg := range []string{"github.com/pullcheck/pullcheck/diagnose/...", "github.com/pullcheck/pullcheck/commands/...",
		"github.com/pullcheck/pullcheck/config/...", "github.com/pullcheck/pullcheck/preflight/..."} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/slack-go/") || strings.HasPrefix(dep, "github.com/pullcheck/pullcheck/bot") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
