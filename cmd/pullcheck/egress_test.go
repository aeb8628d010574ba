package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/internal/egress"
)

// TestClusterAddresses: what pullcheck learns of the cluster's service
// addresses, from its environment and what it may read.
func TestClusterAddresses(t *testing.T) {
	kube := fake.NewClientset(
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "kubernetes"},
			Spec: corev1.ServiceSpec{ClusterIPs: []string{"172.21.0.1", "fd00:21::1"}}},
		&networkingv1.ServiceCIDR{ObjectMeta: metav1.ObjectMeta{Name: "kubernetes"},
			Spec: networkingv1.ServiceCIDRSpec{CIDRs: []string{"172.21.0.0/16", "fd00:21::/112"}}})
	env := func(k string) string { return map[string]string{"KUBERNETES_SERVICE_HOST": "172.21.0.1"}[k] }
	got := clusterAddresses(context.Background(), kube, env, slog.New(slog.DiscardHandler))
	want := []netip.Prefix{netip.MustParsePrefix("172.21.0.1/32"), netip.MustParsePrefix("172.21.0.1/32"),
		netip.MustParsePrefix("fd00:21::1/128"), netip.MustParsePrefix("172.21.0.0/16"), netip.MustParsePrefix("fd00:21::/112")}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := clusterAddresses(context.Background(), fake.NewClientset(), func(string) string { return "" }, slog.New(slog.DiscardHandler)); len(got) != 0 {
		t.Errorf("nothing readable: %v", got)
	}
}

// TestImageTransportIsGuarded: the transport of the images users type
// refuses a registry on a loopback address at dial time, where the
// transport of pods' own images reaches it.
func TestImageTransportIsGuarded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	if resp, err := (&http.Client{Transport: newTransport(5 * time.Second)}).Get(srv.URL); err != nil {
		t.Fatalf("pods' transport: %v", err)
	} else {
		resp.Body.Close()
	}
	_, err := (&http.Client{Transport: newImageTransport(5*time.Second, egress.New())}).Get(srv.URL)
	if err == nil || !strings.Contains(err.Error(), "pullcheck does not probe") {
		t.Errorf("image transport to %s: %v", srv.URL, err)
	}
}
