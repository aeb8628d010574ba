package blocks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// TestAlertRenderersWithinLimits feeds the alert renderers huge inputs.
func TestAlertRenderersWithinLimits(t *testing.T) {
	var names []string
	for i := range 1000 {
		names = append(names, fmt.Sprintf("Deployment/ns-%02d/web-%04d-<!channel>", i%50, i))
	}
	rep := report(d.RootCauseFound)
	var many []d.Result
	for i := range 300 {
		many = append(many, d.Result{ID: d.FindingID(fmt.Sprintf("finding-%d", i)), Status: d.Fail, Summary: strings.Repeat("x", 500)})
	}
	big := &d.Report{Results: many, Verdict: d.RootCauseFound, RootCause: &many[0]}
	msgs := []blocks.Message{
		blocks.AlertRoot(names[0], 20, rep), blocks.Checks(rep, showAllButton()), blocks.Checks(big, showAllButton()),
		blocks.LiveChecks(big.Results, len(big.Results)), blocks.AllChecks(big, true),
		blocks.Storm("pull-traffic-quota-exceeded", strings.Repeat("s", 5000), 1000, 200, names, names),
	}
	msgs = append(msgs, blocks.Listing("Affected workloads", names)...)
	for i, m := range msgs {
		if err := blocks.Validate(m); err != nil {
			t.Errorf("message %d: %v", i, err)
		}
		for _, txt := range texts(t, m) {
			if strings.Contains(txt, "<!channel>") {
				t.Errorf("message %d: an injected mention survived", i)
			}
		}
	}
	listed := 0
	for _, m := range blocks.Listing("Affected workloads", names) {
		for _, txt := range texts(t, m) {
			listed += strings.Count(txt, "• ")
		}
	}
	if listed != 1000 {
		t.Errorf("the listing names %d workloads, want all 1000", listed)
	}
}
