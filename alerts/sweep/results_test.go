package sweep

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestResults(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	st := State{
		Quota: map[string][]Sample{
			"us-south/storage": {{At: at.Add(-time.Hour), Used: 1 << 30, Limit: 50 << 30}, {At: at, Used: 41 << 30, Limit: 50 << 30}},
			"us-south/traffic": {{At: at, Used: 2 << 30, Limit: 5 << 30}},
		},
		Posted: map[string]string{"quota/us-south/storage": SeverityCritical, "quota/eu-de/error": "error 3f9a",
			"hygiene/team-b": "warning 123", "hygiene/team-a": "warning 456"},
	}
	want := []Result{
		{KindQuota, SeverityCritical, "us-south storage: 41.0 GiB of 50.0 GiB (82 %), read 2026-11-26 09:00:00 UTC"},
		{KindQuota, SeverityOK, "us-south pull traffic: 2.0 GiB of 5.0 GiB (40 %), read 2026-11-26 09:00:00 UTC"},
		{KindQuota, SeverityWarning, "quota sweep could not read what it needs (quota/eu-de/error); its message in the channel says why"},
		{KindHygiene, SeverityWarning, "2 namespaces with pull-secret problems: team-a, team-b"},
	}
	if diff := cmp.Diff(want, Results(st)); diff != "" {
		t.Errorf("Results (-want +got):\n%s", diff)
	}
	if got := Results(State{}); len(got) != 0 {
		t.Errorf("Results of nothing = %+v", got)
	}
}
