package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/diagnose"
)

// TestAlertsNameTheirCluster: with several clusters an alert and a storm
// say which cluster they come from; with one they read as they always did.
func TestAlertsNameTheirCluster(t *testing.T) {
	rep := &diagnose.Report{Verdict: diagnose.RootCauseFound, RootCause: &diagnose.Result{ID: diagnose.PullSecretNotCopied, Status: diagnose.Fail,
		Summary: "shop has no all-icr-io"}, Request: diagnose.Request{Namespace: "shop", Pod: "web-1"}}
	root := blocks.AlertRoot(inCluster("prod-eu", "Deployment/shop/web"), 1, rep)
	if !strings.Contains(root.Text(), "Deployment/shop/web in cluster prod-eu") {
		t.Errorf("alert text %q", root.Text())
	}
	if inCluster("", "Deployment/shop/web") != "Deployment/shop/web" {
		t.Error("a single cluster's alert names a cluster")
	}
	storm := stormMessage(alerts.StormAlert{Cluster: "prod-eu", Cause: diagnose.PullSecretNotCopied, Summary: "no copy", Pods: 4,
		Incidents: 3, Namespaces: []string{"shop", "cart"}, Workloads: []string{"Deployment/shop/web"}})
	b, err := json.Marshal(storm.Blocks())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"In cluster prod-eu: no copy", "prod-eu/shop", "prod-eu/cart"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("storm blocks lack %q: %s", want, b)
		}
	}
}
