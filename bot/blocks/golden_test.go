package blocks_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenCases are the messages a reviewer reads in testdata/<name>.json: the
// blocks exactly as slack-go marshals them for chat.postMessage.
func goldenCases() []struct {
	name string
	msg  blocks.Message
} {
	rs := results()
	return []struct {
		name string
		msg  blocks.Message
	}{
		{"diagnosing", blocks.Diagnosing("pod", "shop/web-7d9f")},
		{"live-checks-first", blocks.LiveChecks(rs[:1], 35)},
		{"live-checks", blocks.LiveChecks(rs[:5], 35)},
		{"checks-root-cause", blocks.Checks(report(d.RootCauseFound), showAllButton())},
		{"checks-pulls-fine", blocks.Checks(report(d.PullsFine), showAllButton())},
		{"all-checks", blocks.AllChecks(report(d.RootCauseFound), false)},
		{"all-checks-fresh", blocks.AllChecks(report(d.PullsFine), true)},
		{"verdict-root-cause", blocks.Verdict(report(d.RootCauseFound), fixButtons())},
		{"verdict-pulls-fine", blocks.Verdict(report(d.PullsFine), fixButtons()[3:])},
		{"verdict-inconclusive", blocks.Verdict(report(d.VerdictUnproved), fixButtons()[3:])},
		{"root-root-cause", blocks.Root("pod", "shop/web-7d9f", report(d.RootCauseFound))},
		{"root-deployment", blocks.Root("deployment", "shop/web", report(d.RootCauseFound))},
		{"audit", blocks.Audit("U1", "copy-pull-secret", "created shop/all-icr-io from default/all-icr-io", false)},
		{"audit-dry-run", blocks.Audit("U1", "restart-pod", "would delete pod shop/web-7d9f", true)},
		{"buttons-done", blocks.WithoutButtons(blocks.Verdict(report(d.RootCauseFound), fixButtons()), "copy-pull-secret applied", "U1")},
		{"buttons-done-sweep", blocks.WithoutButtons(sweepFinding(), "patch-service-account is no longer needed", "U1")},
		{"note", blocks.Note("resolved in 42s")},
		{"usage", blocks.Usage(`"web" is not <namespace>/<pod name> (example: shop/web-7d9f)`)},
		{"help", blocks.Help()},
		{"note-by", blocks.NoteBy("this fix was already applied (or is being applied)", "U1")},
		{"refusal", blocks.Refusal("Only on-call (<!subteam^S1>) may apply fixes.")},
		{"failure", blocks.Failure("The diagnosis could not finish.", "pc-7f3c1a2b")},
		{"alert-root", blocks.AlertRoot("deployment shop/web", 3, report(d.RootCauseFound))},
		{"storm", blocks.Storm("pull-secret-not-copied", "the namespace has no copy of all-icr-io", 120, 14,
			[]string{"shop", "cart"}, []string{"deployment shop/web", "deployment cart/api"})},
		{"alert-root-status", blocks.AlertRoot("deployment shop/web", 3, report(d.RootCauseFound)).
			WithAlertStatus(acknowledgedAndMuted(), alertButtons())},
		{"storm-acknowledged", blocks.Storm("pull-secret-not-copied", "the namespace has no copy of all-icr-io", 120, 14,
			[]string{"shop", "cart"}, []string{"deployment shop/web", "deployment cart/api"}).
			WithAlertStatus(blocks.AlertStatus{AckBy: "U1"}, alertButtons())},
		{"listing", blocks.Listing("All 2 workloads", []string{"deployment shop/web", "deployment cart/api"})[0]},
		{"sweep", sweepFinding()},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			if err := blocks.Validate(tc.msg); err != nil {
				t.Errorf("Validate: %v", err)
			}
			got := marshal(t, tc.msg)
			var back slack.Blocks // what Slack and the bot's tests read back
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("unmarshalling blocks: %v", err)
			}
			if err := blocks.ValidatePayload(tc.msg.Text(), back.BlockSet); err != nil {
				t.Errorf("Validate after a round trip: %v", err)
			}
			path := filepath.Join("testdata", tc.name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file (run go test -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs (-want +got):\n%s", path, cmp.Diff(string(want), string(got)))
			}
		})
	}
}

// marshal encodes a message's blocks with slack-go's marshallers, without
// Go's HTML escaping of < > & so that reviewers read "&lt;" rather than
// "\u0026lt;"; the JSON means the same.
func marshal(t *testing.T, m blocks.Message) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m.Blocks()); err != nil {
		t.Fatalf("marshalling blocks: %v", err)
	}
	return b.Bytes()
}

func TestFallbackText(t *testing.T) {
	tests := []struct {
		name string
		msg  blocks.Message
		want string
	}{
		{"diagnosing", blocks.Diagnosing("pod", "shop/web-7d9f"), "Diagnosing pod shop/web-7d9f…"},
		{"live checks", blocks.LiveChecks(results()[:3], 35), "Checks: 3 of 35 done"},
		{"checks", blocks.Checks(report(d.RootCauseFound), showAllButton()), "6 checks: 1 failed, 1 warned, 1 inconclusive, 2 passed, 1 skipped"},
		{"all checks", blocks.AllChecks(report(d.RootCauseFound), false), "All 6 checks, diagnosed at 03:04:05 UTC"},
		{"verdict", blocks.Verdict(report(d.RootCauseFound), nil), "Root cause pull-secret-not-copied: shop has no copy of all-icr-io"},
		{"root", blocks.Root("pod", "shop/web-7d9f", report(d.PullsFine)), "pod shop/web-7d9f: Pulls fine: the pod pulls its images fine."},
		{"audit", blocks.Audit("U1", "copy-pull-secret", "created shop/all-icr-io", false), "<@U1> applied copy-pull-secret: created shop/all-icr-io"},
		{"usage", blocks.Usage("unknown command <x>"), "unknown command &lt;x&gt; Try /pullcheck help."},
		{"failure", blocks.Failure("could not reach the cluster", "pc-1"), "could not reach the cluster (reference pc-1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.msg.Text()); diff != "" {
				t.Errorf("Text (-want +got):\n%s", diff)
			}
		})
	}
}
