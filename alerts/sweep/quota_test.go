package sweep

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

const mib = 1 << 20

// usSouth sets the sandbox account's us-south quota: 512 MiB of storage
// (130 used) and 5 GiB of pull traffic, trafficMiB of it used.
func usSouth(w *sandbox.World, trafficMiB int64) {
	w.Cloud.SetQuota("us-south", sandbox.ClusterAccount, cloud.Quota{StorageLimit: 512 * mib, StorageUsed: 130 * mib,
		TrafficLimit: 5120 * mib, TrafficUsed: trafficMiB * mib})
}

// quotaSweep is a sweep of us-south against w with pullcheck's key.
func quotaSweep(w *sandbox.World, store Store, rec *recorder, c *clock) *QuotaSweep {
	return &QuotaSweep{IBM: ibmClient(w, w.BotKey), Regions: []string{"us-south"}, Store: store, Notify: rec,
		Channel: "#platform", Now: c.Now}
}

// largestInUSSouth is what the sandbox's registry holds in us-south, as a
// warning lists it (read through the real client).
func largestInUSSouth(t *testing.T, w *sandbox.World) []string {
	t.Helper()
	repos, err := ibmClient(w, w.BotKey).Repositories(context.Background(), "us-south", sandbox.ClusterAccount)
	if err != nil {
		t.Fatal(err)
	}
	if len(repos) == 0 || !strings.HasPrefix(repos[0].Repository, "us.icr.io/") {
		t.Fatalf("repositories in the sandbox: %+v", repos)
	}
	return repoLines(repos, nil)
}

// run runs the sweep at time now and returns what it posted.
func run(t *testing.T, q *QuotaSweep, c *clock, rec *recorder, now int) []post {
	t.Helper()
	c.Set(date(10, now))
	if err := q.Run(context.Background()); err != nil {
		t.Fatalf("Run at hour %d: %v", now, err)
	}
	return rec.take()
}

func TestQuotaSweepPostsChanges(t *testing.T) {
	w := newWorld(t)
	rec, c := &recorder{}, newClock(date(10, 0))
	q := quotaSweep(w, &memStore{}, rec, c)
	largest := largestInUSSouth(t, w)

	usSouth(w, 4200) // 82%
	got := run(t, q, c, rec, 0)
	want := []post{{Channel: "#platform", Finding: Finding{Kind: KindQuota, Key: "quota/us-south/traffic", Severity: SeverityWarning,
		Title: "Registry pull traffic in us-south is at 82% of its limit (4.1 GiB of 5.0 GiB)",
		Lines: append([]string{noForecastYet}, largest...)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("first run (-want +got):\n%s", diff)
	}

	usSouth(w, 4300) // still a warning
	if got := run(t, q, c, rec, 2); len(got) != 0 {
		t.Fatalf("same severity posted again: %+v", got)
	}

	usSouth(w, 4900) // 95.7%: critical
	got = run(t, q, c, rec, 24)
	want = []post{{Channel: "#platform", Finding: Finding{Kind: KindQuota, Key: "quota/us-south/traffic", Severity: SeverityCritical,
		Title: "Registry pull traffic in us-south is at 95% of its limit (4.8 GiB of 5.0 GiB)",
		// 4200, 4300 and 4900 MiB at 0, 2 and 24 h: 28.4 MiB/h, the limit at 31.7 h.
		Lines: append([]string{"at this month's rate, pull traffic reaches its limit on 2026-11-11"}, largest...)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("crossing to critical (-want +got):\n%s", diff)
	}

	usSouth(w, 5120) // used up: still critical
	if got := run(t, q, c, rec, 25); len(got) != 0 {
		t.Fatalf("same severity posted again: %+v", got)
	}

	usSouth(w, 1000)
	got = run(t, q, c, rec, 26)
	want = []post{{Channel: "#platform", Finding: Finding{Kind: KindQuota, Key: "quota/us-south/traffic", Severity: SeverityOK,
		Title: "Registry pull traffic in us-south is back to normal: 19% of its limit (1000.0 MiB of 5.0 GiB)"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("back to normal (-want +got):\n%s", diff)
	}
	if got := run(t, q, c, rec, 27); len(got) != 0 {
		t.Fatalf("ok posted again: %+v", got)
	}
}

func TestQuotaSweepLimits(t *testing.T) {
	w := newWorld(t) // jp-tok's pull traffic is used up; eu-de is unlimited
	w.Cloud.SetQuota("eu-de", sandbox.ClusterAccount, cloud.Quota{StorageLimit: 512 * mib, StorageUsed: 500 * mib, TrafficLimit: -1, TrafficUsed: 1 << 40})
	rec, c := &recorder{}, newClock(date(10, 0))
	store := &memStore{}
	q := quotaSweep(w, store, rec, c)
	q.Regions = []string{"jp-tok", "eu-de"}
	var got []Finding
	for _, p := range run(t, q, c, rec, 0) {
		got = append(got, Finding{Key: p.Finding.Key, Severity: p.Finding.Severity, Title: p.Finding.Title, Lines: p.Finding.Lines[:2]})
	}
	want := []Finding{
		{Key: "quota/jp-tok/traffic", Severity: SeverityCritical, Title: "Registry pull traffic in jp-tok has reached its limit (5.0 GiB of 5.0 GiB)",
			Lines: []string{"pulls are refused until pull traffic resets on 2026-12-01, or the quota is raised (ibmcloud cr quota-set)",
				"largest repositories:"}},
		{Key: "quota/eu-de/storage", Severity: SeverityCritical, Title: "Registry storage in eu-de is at 97% of its limit (500.0 MiB of 512.0 MiB)",
			Lines: []string{noForecastYet, "largest repositories:"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if _, ok := store.st.Quota["eu-de/traffic"]; ok {
		t.Errorf("samples kept for an unlimited quota: %v", store.st.Quota)
	}
	if n := len(store.st.Quota["jp-tok/traffic"]); n != 1 {
		t.Errorf("%d jp-tok traffic samples, want 1", n)
	}
}

func TestQuotaSweepPostsErrorsOnce(t *testing.T) {
	w := newWorld(t)
	usSouth(w, 4200)
	t.Run("no key of its own", func(t *testing.T) {
		rec, c := &recorder{}, newClock(date(10, 0))
		q := quotaSweep(w, &memStore{}, rec, c)
		q.IBM = ibmClient(w, "")
		for i, want := range []int{1, 0, 0} {
			if err := q.Run(context.Background()); !errors.Is(err, ibmcloud.ErrNoBotKey) {
				t.Fatalf("run %d: %v, want ErrNoBotKey", i, err)
			}
			if got := rec.take(); len(got) != want {
				t.Fatalf("run %d: %d posts, want %d: %+v", i, len(got), want, got)
			} else if want == 1 {
				f := got[0].Finding
				if f.Key != "quota/error" || f.Title != "Quota sweep cannot read the registry quota" ||
					!cmp.Equal(f.Lines, []string{ibmcloud.ErrNoBotKey.Error()}) {
					t.Errorf("error post: %+v", f)
				}
			}
		}
	})
	t.Run("no registry role", func(t *testing.T) {
		key, iam := w.ServiceIDKey(sandbox.ClusterAccount, "pullcheck-without-registry")
		w.Grant(sandbox.ClusterAccount, iam, sandbox.ViewerRole, "iam-identity")
		rec, c := &recorder{}, newClock(date(10, 0))
		q := quotaSweep(w, &memStore{}, rec, c)
		q.IBM = ibmClient(w, key)
		err := q.Run(context.Background())
		var pe *ibmcloud.PermissionError
		if !errors.As(err, &pe) || pe.Status != 403 {
			t.Fatalf("Run = %v, want a 403 *PermissionError", err)
		}
		got := rec.take()
		if len(got) != 1 || got[0].Finding.Key != "quota/us-south/error" ||
			got[0].Finding.Title != "Quota sweep cannot read the registry quota in us-south" ||
			!strings.Contains(got[0].Finding.Lines[0], "lacks Reader on Container Registry (HTTP 403)") {
			t.Fatalf("posts: %+v", got)
		}
		if err := q.Run(context.Background()); err == nil || len(rec.take()) != 0 {
			t.Fatalf("second run: err %v; the same error must not be posted again", err)
		}
		w.Grant(sandbox.ClusterAccount, iam, sandbox.ReaderRole, "container-registry")
		if err := q.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); len(got) != 1 || got[0].Finding.Key != "quota/us-south/traffic" {
			t.Fatalf("after the grant: %+v", got)
		}
	})
}

func TestQuotaSweepFailedPostIsRetried(t *testing.T) {
	w := newWorld(t)
	usSouth(w, 4200)
	rec, c := &recorder{err: errors.New("slack is down")}, newClock(date(10, 0))
	q := quotaSweep(w, &memStore{}, rec, c)
	if err := q.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "posting quota/us-south/traffic: slack is down") {
		t.Fatalf("Run = %v", err)
	}
	rec.err = nil
	if got := run(t, q, c, rec, 1); len(got) != 1 {
		t.Fatalf("%d posts after the failed one, want 1", len(got))
	}
}

func TestQuotaSweepStateInConfigMap(t *testing.T) {
	w := newWorld(t)
	usSouth(w, 4200)
	kubestatetest.LimitConfigMaps(w.Kube)
	store := func() Store { return NewConfigMapStore(w.Kube, "pullcheck") }
	rec, c := &recorder{}, newClock(date(10, 0))
	if got := run(t, quotaSweep(w, store(), rec, c), c, rec, 0); len(got) != 1 {
		t.Fatalf("first sweep: %d posts, want 1", len(got))
	}
	// A restarted or newly elected replica: new sweep, new store, same ConfigMap.
	if got := run(t, quotaSweep(w, store(), rec, c), c, rec, 1); len(got) != 0 {
		t.Fatalf("second sweep posted again: %+v", got)
	}
	st, err := store().Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{{At: date(10, 0), Used: 4200 * mib, Limit: 5120 * mib}, {At: date(10, 1), Used: 4200 * mib, Limit: 5120 * mib}}
	if diff := cmp.Diff(want, st.Quota["us-south/traffic"]); diff != "" || st.Posted["quota/us-south/traffic"] != SeverityWarning {
		t.Errorf("stored samples (-want +got):\n%s\nposted: %v", diff, st.Posted)
	}
}
