package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/blackhole"
)

// within fails the test when f has not returned a minute later.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s still runs a minute later", what)
	}
}

// TestRegistryProbesAreBounded: a registry that accepts connections and
// never answers ends a probe of the wired engine within PULLCHECK_TIMEOUT,
// though the probe's context has no deadline at all.
func TestRegistryProbesAreBounded(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	cfg, err := config.Load(func(k string) string { return map[string]string{config.KeyTimeout: "300ms"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	opts := engineOptions(cfg, sandbox.NewClientset(), slog.New(slog.DiscardHandler))
	ref, err := name.ParseReference(bh.Addr() + "/shop/web:1.0")
	if err != nil {
		t.Fatal(err)
	}
	var out *registry.Outcome
	within(t, "a probe of a registry that never answers", func() {
		out = opts.Registry.Probe(context.Background(), registry.Request{Ref: ref})
	})
	if out.Problem != registry.ProblemUnreachable || out.Network != registry.NetworkTimeout {
		t.Errorf("outcome %s/%s (%v), want unreachable/timeout", out.Problem, out.Network, out.Err)
	}
	if bh.Accepted() == 0 {
		t.Error("the probe never reached the black hole")
	}
}

// TestTransportTimeouts: a TLS handshake, response headers or a body that
// never come each end a request with a timeout, though the request has no
// deadline; each stage has its own bound, capped by PULLCHECK_TIMEOUT.
func TestTransportTimeouts(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	stall := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "{")
		w.(http.Flusher).Flush()
		select { // the rest of the body never comes
		case <-stall:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(stall)
	client := &http.Client{Transport: newTransport(300 * time.Millisecond)}
	for _, url := range []string{"https://" + bh.Addr() + "/v2/", "http://" + bh.Addr() + "/v2/", slow.URL + "/v2/"} {
		var err error
		within(t, "GET "+url, func() {
			var resp *http.Response
			if resp, err = client.Get(url); err == nil {
				_, err = io.ReadAll(resp.Body)
				_ = resp.Body.Close()
			}
		})
		if ne := net.Error(nil); !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("GET %s: %v, want a timeout", url, err)
		}
	}
	for _, tc := range []struct {
		timeout, tls, header, request time.Duration
	}{
		{30 * time.Second, tlsTimeout, headerTimeout, requestTimeout},
		{300 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond},
	} {
		tr := newTransport(tc.timeout).(*boundedTransport)
		if tr.next.TLSHandshakeTimeout != tc.tls || tr.next.ResponseHeaderTimeout != tc.header || tr.limit != tc.request {
			t.Errorf("timeout %s: TLS %s, headers %s, request %s; want %s, %s, %s", tc.timeout,
				tr.next.TLSHandshakeTimeout, tr.next.ResponseHeaderTimeout, tr.limit, tc.tls, tc.header, tc.request)
		}
	}
}
