package cloud

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"
)

// TransportOption configures Server.Transport.
type TransportOption func(*transportConfig)

type transportConfig struct {
	latency      time.Duration
	unresolvable map[string]bool
	refused      map[string]bool
}

// WithLatency waits d before each request, like a network round trip. The
// default is no delay. The wait ends early when the request's context does.
func WithLatency(d time.Duration) TransportOption {
	return func(c *transportConfig) { c.latency = d }
}

// WithUnresolvable makes dials to hosts fail like a DNS NXDOMAIN answer
// (*net.DNSError with IsNotFound). By default every host resolves.
func WithUnresolvable(hosts ...string) TransportOption {
	return func(c *transportConfig) { addHosts(c.unresolvable, hosts) }
}

// WithRefused makes dials to hosts fail with "connection refused"
// (*net.OpError wrapping ECONNREFUSED). By default every dial succeeds.
func WithRefused(hosts ...string) TransportOption {
	return func(c *transportConfig) { addHosts(c.refused, hosts) }
}

func addHosts(m map[string]bool, hosts []string) {
	for _, h := range hosts {
		m[hostOnly(h)] = true
	}
}

// Transport returns a RoundTripper that connects every host:port to the
// server, without DNS, and trusts only the server's CA. TLS verifies the
// requested host name, so the real URLs (https://us.icr.io/…) work unchanged.
func (s *Server) Transport(opts ...TransportOption) http.RoundTripper {
	cfg := transportConfig{unresolvable: map[string]bool{}, refused: map[string]bool{}}
	for _, o := range opts {
		o(&cfg)
	}
	addr := s.Addr()
	var d net.Dialer
	t := &http.Transport{
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			host := hostOnly(hostport)
			switch {
			case cfg.unresolvable[host]:
				return nil, &net.OpError{Op: "dial", Net: network,
					Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
			case cfg.refused[host]:
				return nil, &net.OpError{Op: "dial", Net: network, Addr: fakeAddr(hostport),
					Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
			}
			return d.DialContext(ctx, "tcp", addr)
		},
		TLSClientConfig:     &tls.Config{RootCAs: s.caPool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
	if cfg.latency <= 0 {
		return t
	}
	return &latencyTransport{next: t, d: cfg.latency}
}

// HTTPClient returns a client using Transport(opts...).
func (s *Server) HTTPClient(opts ...TransportOption) *http.Client {
	return &http.Client{Transport: s.Transport(opts...), Timeout: time.Minute}
}

// latencyTransport delays each request before passing it on.
type latencyTransport struct {
	next http.RoundTripper
	d    time.Duration
}

func (t *latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	timer := time.NewTimer(t.d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return t.next.RoundTrip(r)
	case <-r.Context().Done():
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, r.Context().Err()
	}
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// wrapped transport.
func (t *latencyTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// fakeAddr is the address a refused dial names in its error.
type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return strings.ToLower(string(a)) }
