package registry

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// TestProbeRoundTrips pins the critical path: ping, token, manifest,
// [child manifest], config, and nothing else.
func TestProbeRoundTrips(t *testing.T) {
	reg := newRegistry()
	s := seedRegistry(t, reg)
	tests := []struct {
		name, ref string
		want      []string
	}{{
		name: "single image", ref: "ns/app:v1",
		want: []string{"GET /v2/", "GET /oauth/token", "GET /v2/ns/app/manifests/v1",
			"GET /v2/ns/app/blobs/" + s.appConfig.String()},
	}, {
		name: "index", ref: "ns/multi:v1",
		want: []string{"GET /v2/", "GET /oauth/token", "GET /v2/ns/multi/manifests/v1",
			"GET /v2/ns/multi/manifests/" + s.multiAMD64.String(),
			"GET /v2/ns/multi/blobs/" + s.multiAMD64Cfg.String()},
	}, {
		name: "missing tag lists tags once", ref: "ns/app:nope",
		want: []string{"GET /v2/", "GET /oauth/token", "GET /v2/ns/app/manifests/nope", "GET /v2/ns/app/tags/list"},
	}, {
		name: "missing digest lists nothing", ref: "ns/app@" + s.armImage.String(),
		want: []string{"GET /v2/", "GET /oauth/token", "GET /v2/ns/app/manifests/" + s.armImage.String()},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newICRFake(t, reg)
			New(cleanTransport()).Probe(context.Background(), Request{
				Ref: parseRef(t, f.host+"/"+tt.ref), Auth: goodAuth, Platform: linuxAMD64})
			if diff := cmp.Diff(tt.want, f.recorded()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProbeRetryBackoff(t *testing.T) {
	reg := newRegistry()
	seedRegistry(t, reg)
	tests := []struct {
		name          string
		opts          []Option
		wantProblem   Problem
		wantManifests int
	}{
		{"default is one attempt", nil, ProblemTooManyRequests, 1},
		{"retry once", []Option{WithRetryBackoff(remote.Backoff{Duration: time.Millisecond, Factor: 1, Steps: 2})}, ProblemNone, 2},
		{"zero steps still tries", []Option{WithRetryBackoff(remote.Backoff{})}, ProblemTooManyRequests, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newICRFake(t, reg)
			f.faultOnce = true
			f.manifest = &fault{status: 429, code: "TOOMANYREQUESTS", message: msgTooMany, header: http.Header{"Retry-After": {"1"}}}
			got := New(cleanTransport(), tt.opts...).Probe(context.Background(), Request{
				Ref: parseRef(t, f.host+"/ns/app:v1"), Auth: goodAuth})
			manifests := 0
			for _, r := range f.recorded() {
				if r == "GET /v2/ns/app/manifests/v1" {
					manifests++
				}
			}
			if got.Problem != tt.wantProblem || manifests != tt.wantManifests {
				t.Errorf("Probe() = %q after %d manifest requests, want %q after %d",
					got.Problem, manifests, tt.wantProblem, tt.wantManifests)
			}
		})
	}
}

// TestProbeErrUnwraps checks that Outcome.Err keeps typed causes for
// errors.As, rebuilt without the request's Authorization header.
func TestProbeErrUnwraps(t *testing.T) {
	reg := newRegistry()
	seedRegistry(t, reg)
	f := newICRFake(t, reg)
	got := New(cleanTransport()).Probe(context.Background(), Request{
		Ref: parseRef(t, f.host+"/ns/app:v1"), Auth: &transportBasic{user: "iamapikey", pass: "Canary-bad"}})
	var te *transport.Error
	if !errors.As(got.Err, &te) {
		t.Fatalf("Err %v does not unwrap to *transport.Error", got.Err)
	}
	if te.StatusCode != 401 || te.Errors[0].Code != transport.UnauthorizedErrorCode || len(te.Request.Header) != 0 {
		t.Errorf("unwrapped error = %d %v, header %v", te.StatusCode, te.Errors, te.Request.Header)
	}
	if te.Request.URL.Path != "/oauth/token" {
		t.Errorf("unwrapped request URL = %v, want the token endpoint", te.Request.URL)
	}

	dns := New(dialing(func(addr string) error { return &net.DNSError{Err: "no such host", Name: addr} }))
	got = dns.Probe(context.Background(), Request{Ref: parseRef(t, "us.icr.io/ns/app:v1"), Auth: goodAuth})
	var dnsErr *net.DNSError
	if !errors.As(got.Err, &dnsErr) {
		t.Errorf("Err %v does not unwrap to *net.DNSError", got.Err)
	}
}

// transportBasic is Basic authentication through the Authenticator
// interface, as a keychain would hand it over.
type transportBasic struct{ user, pass string }

// Authorization implements authn.Authenticator.
func (b *transportBasic) Authorization() (*authn.AuthConfig, error) {
	return &authn.AuthConfig{Username: b.user, Password: b.pass}, nil
}

func TestProbeCancelled(t *testing.T) {
	reg := newRegistry()
	f := newICRFake(t, reg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := New(cleanTransport()).Probe(ctx, Request{Ref: parseRef(t, f.host+"/ns/app:v1"), Auth: goodAuth})
	if got.Stage != StagePing || got.Problem != ProblemOther || !errors.Is(got.Err, context.Canceled) {
		t.Errorf("Probe(cancelled) = %s/%s, %v; want ping/other wrapping context.Canceled", got.Stage, got.Problem, got.Err)
	}
}

func TestProbeWithoutReference(t *testing.T) {
	got := New(cleanTransport()).Probe(context.Background(), Request{})
	if got.Stage != StagePing || got.Problem != ProblemOther || got.Err == nil {
		t.Errorf("Probe(no ref) = %+v, want ping/other with an error", got)
	}
}
