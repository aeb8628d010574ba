package egress

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// resolver answers from a table; names not in it do not resolve. Each
// name's answers are given in turn, the last one repeated (rebinding).
type resolver struct {
	mu    sync.Mutex
	names map[string][][]netip.Addr
}

func fakeResolver(m map[string][]string) *resolver {
	r := &resolver{names: map[string][][]netip.Addr{}}
	for host, answers := range m {
		for _, a := range answers {
			var addrs []netip.Addr
			for _, s := range strings.Split(a, ",") {
				addrs = append(addrs, netip.MustParseAddr(s))
			}
			r.names[host] = append(r.names[host], addrs)
		}
	}
	return r
}

func (r *resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	answers := r.names[host]
	if len(answers) == 0 {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	if len(answers) > 1 {
		r.names[host] = answers[1:]
	}
	return answers[0], nil
}

func TestRefusedAddr(t *testing.T) {
	cluster := []netip.Prefix{netip.MustParsePrefix("172.21.0.0/16"), netip.MustParsePrefix("203.0.113.1/32")}
	for addr, want := range map[string]string{
		"127.0.0.1":                "a loopback address",
		"::1":                      "a loopback address",
		"::ffff:127.0.0.1":         "a loopback address",
		"169.254.169.254":          "a link-local address",
		"fe80::1%eth0":             "a link-local address",
		"10.1.2.3":                 "a private address (RFC 1918)",
		"172.31.255.255":           "a private address (RFC 1918)",
		"192.168.1.1":              "a private address (RFC 1918)",
		"fd00::1":                  "a unique local address (RFC 4193)",
		"100.64.0.1":               "a shared address (CGNAT, RFC 6598)",
		"0.0.0.0":                  "an unspecified address",
		"::":                       "an unspecified address",
		"224.0.0.1":                "a multicast address",
		"ff02::1":                  "a multicast address",
		"255.255.255.255":          "a reserved address",
		"64:ff9b::a00:1":           "a private address (RFC 1918)", // NAT64 of 10.0.0.1
		"2002:a9fe:a9fe::1":        "a link-local address",         // 6to4 of 169.254.169.254
		"2001:0:4136:e378::1":      "a reserved address",
		"::7f00:1":                 "a reserved address",
		"172.21.0.1":               "an address of the cluster's services",
		"203.0.113.1":              "an address of the cluster's services",
		"104.18.22.33":             "",
		"2606:4700::6812:1621":     "",
		"::ffff:104.18.22.33":      "",
		"64:ff9b::6812:1621":       "",
		"2002:6812:1621::1":        "",
		"169.63.39.100":            "",
		"2620:1f7:3f:8000:0:0:0:1": "",
	} {
		if got := refusedAddr(netip.MustParseAddr(addr), cluster); got != want {
			t.Errorf("refusedAddr(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	p := New(WithRegistries("quay.io", "registry.example.com:5000", "docker.io", "10.0.0.5:5000"),
		WithResolver(fakeResolver(map[string][]string{
			"us.icr.io": {"169.63.39.100"}, "quay.io": {"10.0.0.9"}, "registry.example.com": {"192.168.1.10"},
			"de.icr.io": {"104.18.22.33,127.0.0.1"}, "private.jp.icr.io": {"166.9.1.1"},
		})))
	for host, want := range map[string]string{
		"us.icr.io":                 "",
		"us.icr.io:443":             "",
		"private.jp.icr.io":         "",
		"registry.ng.bluemix.net":   "", // deprecated, and does not resolve here: the probe will say so
		"cp.icr.io":                 "",
		"quay.io":                   "", // configured: its address is not judged
		"registry.example.com:5000": "",
		"index.docker.io":           "", // configured as docker.io
		"10.0.0.5:5000":             "",
		"us.icr.io:22":              "IBM Cloud Container Registry is probed on port 443 only",
		"quay.io:8443":              "it is not an IBM Cloud Container Registry host (icr.io)",
		"registry.example.com":      "it is not an IBM Cloud Container Registry host (icr.io)",
		"de.icr.io":                 "it resolves to 127.0.0.1, a loopback address",
		"icr.io.evil.example":       "it is not an IBM Cloud Container Registry host (icr.io)",
		"localhost:5000":            "it is not an IBM Cloud Container Registry host (icr.io)",
		"169.254.169.254":           "it is a link-local address",
		"[::1]:443":                 "it is a loopback address",
		"10.0.0.5":                  "it is a private address (RFC 1918)",
		"104.18.22.33":              "IP addresses are probed only when configured",
		"us.icr.io:0443":            "it is not a host name or host:port",
		"us.icr.io:99999":           "it is not a host name or host:port",
		"us.icr.io.":                "it is not a host name or host:port",
		"us.icr.io%2f@10.0.0.1":     "it is not a host name or host:port",
	} {
		err := p.Check(context.Background(), host)
		var r *Refusal
		switch {
		case want == "" && err != nil:
			t.Errorf("Check(%s) = %v, want allowed", host, err)
		case want != "" && (!errors.As(err, &r) || r.Reason != want):
			t.Errorf("Check(%s) = %v, want refusal %q", host, err, want)
		}
	}
}

// recordingDial records the addresses it is asked to dial and fails.
type recordingDial struct {
	mu    sync.Mutex
	addrs []string
}

func (d *recordingDial) dial(_ context.Context, _, addr string) (net.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
	return nil, errors.New("recorded")
}

// TestGuardDialsTheCheckedAddress: the probe dials the address it resolved
// and checked, not the name; a name that resolves to a refused address at
// dial time is refused, though it resolved to a public one when the typed
// host was checked (DNS rebinding).
func TestGuardDialsTheCheckedAddress(t *testing.T) {
	p := New(WithResolver(fakeResolver(map[string][]string{
		"us.icr.io":    {"169.63.39.100,169.63.39.101"},
		"uk.icr.io":    {"104.18.22.33", "169.254.169.254"},
		"s3.cloud.ibm": {"104.18.0.1"},
	})))
	if err := p.Check(context.Background(), "uk.icr.io"); err != nil {
		t.Fatalf("Check(uk.icr.io): %v", err)
	}
	rec := &recordingDial{}
	dial := (&guarded{p: p}).dial(rec.dial)
	for _, tc := range []struct{ addr, want string }{
		{"us.icr.io:443", "recorded"},
		{"uk.icr.io:443", "pullcheck does not probe uk.icr.io: it resolves to 169.254.169.254, a link-local address"},
		{"s3.cloud.ibm:443", "recorded"}, // a redirect or token realm: any public host, on 443
		{"s3.cloud.ibm:22", "pullcheck does not probe s3.cloud.ibm:22: only port 443 is probed on hosts that are not configured"},
		{"10.0.0.1:443", "pullcheck does not probe 10.0.0.1: it is a private address (RFC 1918)"},
	} {
		if _, err := dial(context.Background(), "tcp", tc.addr); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("dial %s: %v, want %q", tc.addr, err, tc.want)
		}
	}
	want := "169.63.39.100:443 169.63.39.101:443 104.18.0.1:443"
	if got := strings.Join(rec.addrs, " "); got != want {
		t.Errorf("dialled %s, want %s", got, want)
	}
}

// TestGuardTransport: through the guarded transport, a configured
// host:port inside the network is reached, and the same server is refused
// when it is not configured.
func TestGuardTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	base := &http.Transport{}
	for _, tc := range []struct {
		policy *Policy
		want   string
	}{
		{New(WithRegistries(u.Host)), ""},
		{New(), "pullcheck does not probe " + u.Host + ": only port 443 is probed"},
	} {
		resp, err := (&http.Client{Transport: tc.policy.Guard(base)}).Get(srv.URL + "/v2/")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("configured %s: %v", u.Host, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("not configured %s: %v, want %q", u.Host, err, tc.want)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
}

// TestGuardThroughAProxy: the operator's proxy is dialled, and what is
// sent through it is checked by its target.
func TestGuardThroughAProxy(t *testing.T) {
	var asked []string
	var mu sync.Mutex
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Host)
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	p := New(WithResolver(fakeResolver(map[string][]string{"us.icr.io": {"169.63.39.100"}})))
	rt := p.Guard(&http.Transport{Proxy: http.ProxyURL(pu)})
	for target, want := range map[string]string{
		"http://us.icr.io:443/v2/":         "", // the proxy answers
		"http://unresolvable.test:443/v2/": "", // the proxy resolves what pullcheck cannot
		"http://169.254.169.254/latest":    "pullcheck does not probe 169.254.169.254:80: only port 443",
		"http://10.0.0.1:443/":             "it is a private address",
	} {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		resp, err := rt.RoundTrip(req)
		switch {
		case want == "" && (err != nil || resp.StatusCode != http.StatusBadGateway):
			t.Errorf("%s through the proxy: %v", target, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s through the proxy: %v, want %q", target, err, want)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if len(asked) != 2 {
		t.Errorf("the proxy was asked for %v, want the two allowed targets", asked)
	}
}
