package alerts

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// platformAccess binds C0SHOP to shop-* for everything, C0PLATFORM to
// every namespace but for diagnosis only, and C0OPS to kube-system's
// alerts by name; channels without bindings get nothing.
func platformAccess() *commands.Access {
	return commands.NewAccess([]commands.Binding{
		{Channel: "C0SHOP", Namespaces: []string{"shop-*"}, Rights: commands.AllRights},
		{Channel: "C0PLATFORM", Namespaces: []string{"*"}, Rights: []commands.Right{commands.RightDiagnose}},
		{Channel: "C0OPS", Namespaces: []string{"kube-system"}, Rights: []commands.Right{commands.RightAlerts}},
	}, nil, "kube-system", "pullcheck")
}

// TestRoutesFollowBindings: bindings veto what routes pick. A route (or the
// default) to a channel not bound for alerts on the namespace gives way to
// the first channel that is; with none, the alert goes nowhere.
func TestRoutesFollowBindings(t *testing.T) {
	r, err := ParseRoutes("C0ALERTS", "shop-*=C0PLATFORM,team-*=C0SHOP,kube-*=C0OPS")
	if err != nil {
		t.Fatal(err)
	}
	r = r.Bound(platformAccess())
	for ns, want := range map[string]string{
		"shop-eu":     "C0SHOP", // routed to C0PLATFORM, which may only diagnose
		"team-a":      "",       // routed to C0SHOP, which is not bound to team-*
		"billing":     "",       // the default channel is not bound at all
		"kube-system": "C0OPS",  // bound by name
		"kube-public": "",       // routed to C0OPS, bound to kube-system only
	} {
		if got := r.Channel(ns); got != want {
			t.Errorf("Channel(%s) = %q, want %q", ns, got, want)
		}
	}
}

// TestAlertGoesOnlyWhereBound: a failing pod in a namespace no channel is
// bound for alerts on opens no incident; one in a bound namespace opens an
// incident in the bound channel, not the default.
func TestAlertGoesOnlyWhereBound(t *testing.T) {
	w := world(t)
	routes, err := ParseRoutes("C0ALERTS", "")
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewManager(context.Background(), Options{Engine: w.Engine(), Notify: &recorder{}, Store: MemoryStore(),
		Routes: routes.Bound(platformAccess())})
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"billing", "shop-eu"} {
		w.Namespace(ns, sandbox.NamespaceSetup{})
		name := w.Deploy(sandbox.Workload{Namespace: ns, Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff"})
		pod, err := w.Kube.CoreV1().Pods(ns).Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		m.Observe(context.Background(), pod)
	}
	inc := onlyIncident(t, m)
	if inc.Namespace != "shop-eu" || inc.Channel != "C0SHOP" {
		t.Errorf("incident in %s, channel %s; want shop-eu in C0SHOP", inc.Namespace, inc.Channel)
	}
}
