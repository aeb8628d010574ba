package commands_test

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/egress"
)

// hosts resolves names from a table; others do not resolve.
type hosts map[string]string

func (h hosts) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := h[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// TestImageProbesOnlyRegistries: the image command probes icr.io and the
// registries an operator configures; anything else a user types (an
// internal address, a port scan, a name that resolves inside) is refused
// privately, naming the host and the setting, and nothing is probed. A
// pod's own image is probed wherever it is.
func TestImageProbesOnlyRegistries(t *testing.T) {
	w, svc := world(t)
	svc.Images = egress.New(egress.WithRegistries("quay.io"),
		egress.WithResolver(hosts{"us.icr.io": "169.63.39.100", "uk.icr.io": "127.0.0.1", "quay.io": "10.0.0.9", "evil.example": "104.18.22.33"}))
	for _, tc := range []struct{ image, host, why string }{
		{"localhost:5000/x:1", "localhost:5000", "it is not an IBM Cloud Container Registry host (icr.io)"},
		{"169.254.169.254/latest/meta-data", "169.254.169.254", "it is a link-local address"},
		{"10.0.0.1:6443/x", "10.0.0.1:6443", "it is a private address (RFC 1918)"},
		{"[::1]:2379/x", "[::1]:2379", "it is a loopback address"},
		{"us.icr.io:22/shop/web:1", "us.icr.io:22", "IBM Cloud Container Registry is probed on port 443 only"},
		{"uk.icr.io/shop/web:1", "uk.icr.io", "it resolves to 127.0.0.1, a loopback address"},
		{"evil.example/x:1", "evil.example", "it is not an IBM Cloud Container Registry host (icr.io)"},
		{"nginx:1.27", "index.docker.io", "it is not an IBM Cloud Container Registry host (icr.io)"},
	} {
		out := handle(t, svc, commands.Request{User: "U1", Channel: "C1", Text: "image " + tc.image + " in shop"})
		want := "pullcheck does not probe " + tc.host + ": " + tc.why + ". An operator can allow a registry in PULLCHECK_IMAGE_REGISTRIES"
		if !strings.Contains(out, want) || strings.Contains(out, "image ") {
			t.Errorf("image %s:\n%s\nwant only %q", tc.image, out, want)
		}
	}
	for _, image := range []string{"us.icr.io/shop/web:9.9", "quay.io/team/tool:1"} {
		if out := handle(t, svc, commands.Request{User: "U1", Channel: "C1", Text: "image " + image + " in shop"}); !strings.Contains(out, "image "+image) {
			t.Errorf("image %s was not probed:\n%s", image, out)
		}
	}
	pod := scenario(t, "onprem").Build(w)
	if out := handle(t, svc, commands.Request{User: "U1", Channel: "C1", Text: "pod onprem/" + pod}); !strings.Contains(out, "registry-unreachable") {
		t.Errorf("a pod's own image on %s was not probed:\n%s", sandbox.UnreachableHost, out)
	}
}
