package egress

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// fuzzPolicy allows one configured registry; us.icr.io resolves to a
// public address, de.icr.io to a loopback one, nothing else resolves.
func fuzzPolicy() *Policy {
	return New(WithRegistries("registry.example.com:5000"), WithResolver(fakeResolver(map[string][]string{
		"us.icr.io": {"169.63.39.100"}, "de.icr.io": {"127.0.0.1"}, "registry.example.com": {"10.0.0.7"},
	})))
}

// FuzzCheck: nothing a user types makes pullcheck probe a host that is
// neither an icr.io domain on 443 nor the configured host on its port, nor
// an address in a refused range.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"us.icr.io", "us.icr.io:443", "de.icr.io", "registry.example.com:5000", "registry.example.com",
		"127.0.0.1", "[::1]:5000", "169.254.169.254:80", "0x7f.1", "2130706433", "US.ICR.IO", "us.icr.io:22", "private.us.icr.io",
		"cp.icr.io", "[fe80::1%25eth0]:443", "us.icr.io:+443", "us.icr.io:443:443", "[::ffff:10.0.0.1]", "docker.io"} {
		f.Add(s)
	}
	p := fuzzPolicy()
	f.Fuzz(func(t *testing.T, host string) {
		if p.Check(context.Background(), host) != nil {
			return
		}
		h, port, err := splitHost(canonical(host))
		if err != nil {
			t.Fatalf("Check(%q) allowed a host it cannot split: %v", host, err)
		}
		if h == "registry.example.com" && port == "5000" {
			return
		}
		if port != "443" {
			t.Fatalf("Check(%q) allowed port %s", host, port)
		}
		if _, ok := icr.Lookup(h); !ok && h != "cp.icr.io" {
			t.Fatalf("Check(%q) allowed %s, which is not icr.io", host, h)
		}
		if h == "de.icr.io" {
			t.Fatalf("Check(%q) allowed a host that resolves to loopback", host)
		}
	})
}

// FuzzDial: whatever address a registry's redirect or token realm names,
// the guard dials only checked public addresses on port 443, or the
// configured host:port as it is.
func FuzzDial(f *testing.F) {
	for _, s := range []string{"us.icr.io:443", "de.icr.io:443", "registry.example.com:5000", "registry.example.com:443",
		"127.0.0.1:443", "[::1]:443", "169.254.169.254:80", "104.18.22.33:443", "104.18.22.33:22", "[64:ff9b::a00:1]:443",
		"[2002:a9fe:a9fe::1]:443", "[::ffff:127.0.0.1]:443"} {
		f.Add(s)
	}
	p := fuzzPolicy()
	f.Fuzz(func(t *testing.T, addr string) {
		rec := &recordingDial{}
		_, _ = (&guarded{p: p}).dial(rec.dial)(context.Background(), "tcp", addr)
		for _, dialled := range rec.addrs {
			if dialled == "registry.example.com:5000" {
				continue
			}
			host, port, err := net.SplitHostPort(dialled)
			if err != nil || port != "443" {
				t.Fatalf("dial %q reached %q", addr, dialled)
			}
			a, err := netip.ParseAddr(host)
			if err != nil || refusedAddr(a, nil) != "" {
				t.Fatalf("dial %q reached %q, not a checked public address", addr, dialled)
			}
			if strings.Contains(dialled, "%") {
				t.Fatalf("dial %q reached a zoned address %q", addr, dialled)
			}
		}
	})
}
