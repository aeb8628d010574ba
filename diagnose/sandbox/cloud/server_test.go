package cloud

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func get(t *testing.T, rt http.RoundTripper, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestTransportRouting(t *testing.T) {
	w := newWorld(t)
	rt := w.server.Transport()
	for url, want := range map[string]int{
		"https://us.icr.io/v2/":                      401,
		"https://private.jp2.icr.io/v2/":             401,
		"https://registry.eu-gb.bluemix.net/v2/":     401,
		"https://iam.cloud.ibm.com/v1/apikeys":       401,
		"https://containers.cloud.ibm.com/global/v2": 401,
		"https://icr.io:443/nothing":                 404,
		"https://index.docker.io/v2/":                401,
		"https://registry-1.docker.io/v2/":           401,
		"https://auth.docker.io/token":               200,
	} {
		resp, err := get(t, rt, context.Background(), url)
		if err != nil || resp.StatusCode != want {
			t.Errorf("GET %s = %v, %v; want %d", url, resp, err, want)
		}
	}
	if _, err := get(t, rt, context.Background(), "https://example.com/"); err == nil {
		t.Error("example.com: certificate accepted")
	}
}

func TestRequests(t *testing.T) {
	w := newWorld(t)
	w.cloud.ResetRequests()
	if _, err := get(t, w.server.Transport(), context.Background(), "https://private.us.icr.io:443/v2/"); err != nil {
		t.Fatal(err)
	}
	got := w.cloud.Requests()
	if len(got) != 1 || got[0].End.Before(got[0].Start) {
		t.Fatalf("Requests() = %+v", got)
	}
	want := RequestRecord{Host: "private.us.icr.io", Method: "GET", Path: "/v2/", Status: 401}
	if diff := cmp.Diff(want, got[0], cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".Start" || p.Last().String() == ".End"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

func TestTransportFailures(t *testing.T) {
	w := newWorld(t)
	rt := w.server.Transport(WithUnresolvable("us.icr.io"), WithRefused("de.icr.io:443"))
	_, err := get(t, rt, context.Background(), "https://us.icr.io/v2/")
	var dns *net.DNSError
	if !errors.As(err, &dns) || !dns.IsNotFound || dns.Name != "us.icr.io" {
		t.Errorf("unresolvable: %v", err)
	}
	_, err = get(t, rt, context.Background(), "https://de.icr.io/v2/")
	var op *net.OpError
	if !errors.As(err, &op) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("refused: %v", err)
	}
	if resp, err := get(t, rt, context.Background(), "https://uk.icr.io/v2/"); err != nil || resp.StatusCode != 401 {
		t.Errorf("other host: %v, %v", resp, err)
	}
}

func TestLatency(t *testing.T) {
	w := newWorld(t)
	if resp, err := get(t, w.server.Transport(WithLatency(time.Millisecond)), context.Background(), "https://us.icr.io/v2/"); err != nil || resp.StatusCode != 401 {
		t.Fatalf("with latency: %v, %v", resp, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w.cloud.ResetRequests()
	_, err := get(t, w.server.Transport(WithLatency(time.Hour)), ctx, "https://us.icr.io/v2/")
	if !errors.Is(err, context.Canceled) || len(w.cloud.Requests()) != 0 {
		t.Errorf("cancelled during latency: %v, %d requests", err, len(w.cloud.Requests()))
	}
}

func TestCAPEM(t *testing.T) {
	w := newWorld(t)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(w.server.CAPEM()) {
		t.Fatal("CAPEM: no certificate")
	}
	for _, h := range append(hostNames(), "us.icr.io", "private.in2.icr.io") {
		if h[0] == '*' {
			continue
		}
		conn, err := tls.Dial("tcp", w.server.Addr(), &tls.Config{RootCAs: pool, ServerName: h})
		if err != nil {
			t.Errorf("TLS to %s: %v", h, err)
			continue
		}
		conn.Close()
	}
}
