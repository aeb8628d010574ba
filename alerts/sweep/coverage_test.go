package sweep

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/fleet"
)

// TestCoverageSweep: a survey with an uncovered cluster is posted once,
// again when it changes, and once more when it clears.
func TestCoverageSweep(t *testing.T) {
	s := &fleet.Survey{Account: "acct", Members: []fleet.MemberState{{Name: "prod-us", ClusterID: "c1"}},
		Uncovered: []ibmcloud.Listed{{ID: "c2", Name: "analytics", Region: "jp-tok"}}}
	rec, store := &recorder{}, &memStore{}
	c := &CoverageSweep{Survey: func(context.Context) *fleet.Survey { return s }, Store: store, Notify: rec, Channel: "C0PLATFORM"}
	run := func() []post {
		t.Helper()
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return rec.take()
	}
	p := run()
	if len(p) != 1 || p[0].Channel != "C0PLATFORM" || p[0].Finding.Title != "Clusters: 1 cluster of the account not covered" ||
		!strings.Contains(strings.Join(p[0].Finding.Lines, "\n"), "• analytics (c2, jp-tok, state unknown)") {
		t.Fatalf("first run: %+v", p)
	}
	if p := run(); len(p) != 0 {
		t.Errorf("unchanged survey posted again: %+v", p)
	}
	s.Members[0].Err = errors.New("down")
	if p := run(); len(p) != 1 || p[0].Finding.Title != "Clusters: 1 cluster of the account not covered; 1 cluster of pullcheck's own not answering" {
		t.Errorf("changed survey: %+v", p)
	}
	s.Members[0].Err, s.Uncovered = nil, nil
	if p := run(); len(p) != 1 || p[0].Finding.Severity != SeverityOK {
		t.Errorf("cleared survey: %+v", p)
	}
	if p := run(); len(p) != 0 {
		t.Errorf("a clear survey posted again: %+v", p)
	}
}

// TestHygieneSweepNamesItsCluster: where pullcheck serves several
// clusters, a namespace's finding names its cluster, and its buttons act
// there.
func TestHygieneSweepNamesItsCluster(t *testing.T) {
	w := newWorld(t)
	pods := build(t, w, "team-a")
	rec, c := &recorder{}, newClock(date(25, 0))
	h := hygieneSweep(w, &memStore{}, rec, c)
	h.Cluster = "prod-eu"
	p := sweepOnce(t, h, rec)
	if len(p) != 1 || !strings.HasPrefix(p[0].Finding.Title, "Namespace team-a of cluster prod-eu has ") {
		t.Fatalf("posts %+v", p)
	}
	for _, o := range p[0].Finding.Offers {
		if !strings.HasPrefix(o.Value, "fix prod-eu ") || !strings.Contains(o.Value, " team-a/"+pods["team-a"]) {
			t.Errorf("offer %q does not act in prod-eu", o.Value)
		}
	}
}
