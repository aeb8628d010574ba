package blocks_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// TestStages: the catalogue, in order, falls into the stages the thread
// shows, each from its first finding to the next stage's first, and a
// finding the catalogue does not know goes last.
func TestStages(t *testing.T) {
	firsts := map[d.FindingID]string{
		d.PodNotFound:              "Pod and image",
		d.RegistryUnreachable:      "Registry reach",
		d.ClusterPullSecretMissing: "Pull secrets",
		d.CredentialKind:           "Credentials and IAM",
		d.ImageRepositoryNotFound:  "Registry",
		d.PullTrafficQuotaExceeded: "Quota and hygiene",
	}
	var got, want []string
	stage := ""
	for _, c := range d.Catalogue {
		if s, ok := firsts[c.ID()]; ok {
			stage = s
		}
		want = append(want, string(c.ID())+": "+stage)
		got = append(got, string(c.ID())+": "+blocks.StageOf(c.ID()))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	// The last finding of each stage, as the issue names them.
	for last, stage := range map[d.FindingID]string{d.RegistryDomainDeprecated: "Pod and image", d.RegistryRateLimited: "Registry reach",
		d.PullSecretWrongRegistry: "Pull secrets", d.ImageInOtherRegion: "Credentials and IAM", d.NodeDiskPressure: "Registry",
		d.BotPermissionMissing: "Quota and hygiene"} {
		if got := blocks.StageOf(last); got != stage {
			t.Errorf("%s is in stage %q, want %q", last, got, stage)
		}
	}
	if s := blocks.StageOf("no-such-finding"); s != "Other checks" {
		t.Errorf("an unknown finding is in stage %q", s)
	}
}

// TestChecksFold: the finished checks message keeps every check that did
// not pass in view with its evidence, folds the others into their count,
// and offers the full list.
func TestChecksFold(t *testing.T) {
	rep := report(d.RootCauseFound)
	m := blocks.Checks(rep, showAllButton())
	all := strings.Join(texts(t, m), "\n")
	for _, r := range rep.Results {
		shown := strings.Contains(all, "`"+string(r.ID)+"`")
		if want := r.Status != d.Pass && r.Status != d.Skip; shown != want {
			t.Errorf("%s (%s) shown: %t, want %t", r.ID, r.Status, shown, want)
		}
		for _, f := range r.Evidence {
			if shown && !strings.Contains(all, f.Value) {
				t.Errorf("evidence %q of %s is missing", f.Value, r.ID)
			}
		}
	}
	if !strings.Contains(all, ":white_check_mark: 2 passed and :heavy_minus_sign: 1 skipped are folded") {
		t.Errorf("the fold line is missing:\n%s", all)
	}
	btns, _ := actionsOf(m)
	if len(btns) != 1 || btns[0].ActionID != "show-all-checks" || btns[0].Value != "pod shop/web-7d9f" {
		t.Errorf("buttons = %+v, want Show all checks", btns)
	}
}

// TestChecksTooManyToShow: 300 failing checks fill the message up to
// Slack's block limit and count the rest; the full list still offers them.
func TestChecksTooManyToShow(t *testing.T) {
	rep := &d.Report{}
	for range 300 {
		rep.Results = append(rep.Results, d.Result{ID: d.PullSecretMissing, Status: d.Fail, Summary: "missing",
			Evidence: []d.Fact{{Name: "secret", Value: "shop/x"}}})
	}
	m := blocks.Checks(rep, showAllButton())
	if err := blocks.Validate(m); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(texts(t, m), "\n")
	if shown := strings.Count(all, "`pull-secret-missing`"); shown+countMore(t, all) != 300 || shown == 0 {
		t.Errorf("%d checks shown and %d counted, want 300 in all:\n%s", shown, countMore(t, all), all)
	}
	if btns, _ := actionsOf(m); len(btns) != 1 {
		t.Errorf("the Show all checks button is gone: %+v", btns)
	}
}

// countMore reads "N more checks that did not pass".
func countMore(t *testing.T, s string) int {
	t.Helper()
	m := regexp.MustCompile(`(\d+) more checks that did not pass`).FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
