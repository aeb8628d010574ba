package alerts

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
)

func TestRoutesByCluster(t *testing.T) {
	r, err := ParseRoutes("C0DEF", "prod-eu/shop-*=C0EU, */kube-*=C0PLATFORM, shop-*=C0SHOP")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ cluster, ns, want string }{
		{"prod-eu", "shop-a", "C0EU"},
		{"prod-us", "shop-a", "C0SHOP"},
		{"prod-us", "kube-system", "C0PLATFORM"},
		{"", "shop-a", "C0SHOP"},
		{"", "kube-system", "C0DEF"},
		{"prod-eu", "web", "C0DEF"},
	} {
		if got := r.ChannelIn(tt.cluster, tt.ns); got != tt.want {
			t.Errorf("ChannelIn(%q, %q) = %s, want %s", tt.cluster, tt.ns, got, tt.want)
		}
	}
	if got := r.Clusters(); len(got) != 2 || got[0] != "prod-eu" || got[1] != "*" {
		t.Errorf("Clusters() = %q", got)
	}
	for _, bad := range []string{"prod-eu/=C1", "/shop=C1", "a/b/c=C1"} {
		if _, err := ParseRoutes("C", bad); err == nil || !strings.Contains(err.Error(), "<cluster pattern>/<namespace pattern>") {
			t.Errorf("ParseRoutes(%q) = %v", bad, err)
		}
	}
}

// TestManagerNamesItsCluster: the incident, its alert, its route and its
// metrics all carry the Manager's cluster.
func TestManagerNamesItsCluster(t *testing.T) {
	w := world(t)
	ctx := context.Background()
	name := scenario(t, "team-a").Build(w)
	pod, err := w.Kube.CoreV1().Pods("team-a").Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	routes, err := ParseRoutes("C0ALERTS", "prod-us/team-*=C0US,prod-eu/team-*=C0EU")
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	metrics := NewClusterMetrics(reg)
	clock := clocktesting.NewFakeClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	rec, store := &recorder{}, MemoryStore()
	m, err := NewManager(ctx, Options{Cluster: "prod-eu", Engine: w.Engine(), Notify: rec, Store: store, Routes: routes,
		Hold: hold, Clock: clock, Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	m.Observe(ctx, pod)
	clock.Step(hold)
	m.Tick(ctx)
	m.WaitPosted()
	if len(rec.incidents) != 1 || rec.incidents[0].Cluster != "prod-eu" || rec.channels[0] != "C0EU" {
		t.Fatalf("alerts %+v in %q", rec.incidents, rec.channels)
	}
	var st State
	if _, err := store.Load(ctx, &st); err != nil {
		t.Fatal(err)
	}
	for _, inc := range st.Incidents {
		if inc.Cluster != "prod-eu" {
			t.Errorf("saved incident %+v", inc)
		}
	}
	body := scrape(t, reg)
	for _, want := range []string{`pullcheck_alerts_posted_total{cluster="prod-eu",kind="incident"} 1`,
		`pullcheck_diagnoses_total{cluster="prod-eu",finding="pull-secret-not-copied"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
}

// TestClusterMetrics: per-cluster state gauges where pullcheck serves
// several clusters, the labels of old where it serves one.
func TestClusterMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewClusterMetrics(reg)
	m.RegisterCluster("prod-us", func() bool { return true }, func() bool { return true })
	m.RegisterCluster("prod-eu", func() bool { return false }, func() bool { return true })
	body := scrape(t, reg)
	for _, want := range []string{`pullcheck_cluster_up{cluster="prod-eu"} 0`, `pullcheck_cluster_up{cluster="prod-us"} 1`,
		`pullcheck_cluster_synced{cluster="prod-eu"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	single := prometheus.NewRegistry()
	s := NewMetrics(single)
	s.RegisterCluster("x", func() bool { return true }, func() bool { return true })
	s.grouped("", 2)
	body = scrape(t, single)
	for _, want := range []string{"pullcheck_alerts_grouped_total 2", "pullcheck_incidents_resolved_total 0", "pullcheck_diagnosis_seconds_count 0"} {
		if !strings.Contains(body, want) {
			t.Errorf("single-cluster metrics lack %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "cluster") {
		t.Errorf("single-cluster metrics name a cluster:\n%s", body)
	}
}

func TestReadyzStatuses(t *testing.T) {
	srv := httptest.NewServer(OpsHandler(prometheus.NewRegistry(), []Check{{"slack connected", func() bool { return true }}},
		Status{"cluster prod-eu", func() string { return "unreachable since 09:00:00 UTC" }}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := new(bytes.Buffer)
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || b.String() != "slack connected: ok\ncluster prod-eu: unreachable since 09:00:00 UTC\n" {
		t.Errorf("readyz %d %q", resp.StatusCode, b.String())
	}
}

func scrape(t *testing.T, g prometheus.Gatherer) string {
	t.Helper()
	srv := httptest.NewServer(OpsHandler(g, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := new(bytes.Buffer)
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}
