package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
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
		if tr.base.TLSHandshakeTimeout != tc.tls || tr.base.ResponseHeaderTimeout != tc.header || tr.limit != tc.request {
			t.Errorf("timeout %s: TLS %s, headers %s, request %s; want %s, %s, %s", tc.timeout,
				tr.base.TLSHandshakeTimeout, tr.base.ResponseHeaderTimeout, tr.limit, tc.tls, tc.header, tc.request)
		}
	}
}

// TestDiagnoseSaysWhichChecksTimedOut: pullcheck diagnose against a
// registry that never answers ends at PULLCHECK_TIMEOUT and names the
// checks that timed out, in text and in JSON.
func TestDiagnoseSaysWhichChecksTimedOut(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	prev := connect
	connect = func(_ *config.Config, _ diagnoseFlags, logger *slog.Logger) (diagnose.Options, error) {
		o := w.EngineOptions(w.BotKey)
		o.Registry, o.Logger = registry.New(bh.Transport(w.Transport(), "us.icr.io")), logger
		return o, nil
	}
	defer func() { connect = prev }()
	t.Setenv(config.KeyTimeout, "500ms")
	s, _ := sandbox.Named("team-a")
	pod := "team-a/" + s.Build(w)
	for format, timedOut := range map[string]*regexp.Regexp{
		"text": regexp.MustCompile(`(?m)^\? [a-z-]+ +timed out after \d`),
		"json": regexp.MustCompile(`"id": "[a-z-]+",\s+"status": "inconclusive",\s+"summary": "timed out after \d`),
	} {
		var stdout string
		within(t, "pullcheck diagnose -o "+format, func() { _, stdout, _ = runCLI(t, "diagnose", "pod", pod, "-o", format) })
		if !timedOut.MatchString(stdout) {
			t.Errorf("-o %s does not say which checks timed out:\n%s", format, stdout)
		}
	}
}
