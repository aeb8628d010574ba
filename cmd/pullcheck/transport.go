package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/pullcheck/pullcheck/internal/egress"
)

// Bounds of one request to a registry or IBM Cloud; each is also capped
// by the diagnosis timeout (PULLCHECK_TIMEOUT).
const (
	dialTimeout    = 5 * time.Second
	tlsTimeout     = 5 * time.Second
	headerTimeout  = 10 * time.Second
	requestTimeout = 20 * time.Second
)

// newTransport is the system's transport (its proxy settings, TLS roots
// and resolver) with every stage of a request bounded: a host that accepts
// connections and never answers costs one request at most
// min(requestTimeout, timeout), whatever its context says.
func newTransport(timeout time.Duration) http.RoundTripper {
	tr := baseTransport(timeout)
	return &boundedTransport{base: tr, next: tr, limit: min(requestTimeout, timeout)}
}

// newImageTransport is newTransport for the images users type: every dial
// is checked by p (egress.Policy.Guard).
func newImageTransport(timeout time.Duration, p *egress.Policy) http.RoundTripper {
	tr := baseTransport(timeout)
	return &boundedTransport{base: tr, next: p.Guard(tr), limit: min(requestTimeout, timeout)}
}

func baseTransport(timeout time.Duration) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: min(dialTimeout, timeout), KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = min(tlsTimeout, timeout)
	tr.ResponseHeaderTimeout = min(headerTimeout, timeout)
	return tr
}

// boundedTransport ends each request, reading its body included, after
// limit, as http.Client.Timeout does for a client.
type boundedTransport struct {
	base  *http.Transport   // whose stages are bounded
	next  http.RoundTripper // base, or a guard of it
	limit time.Duration
}

func (t *boundedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.limit)
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// CloseIdleConnections reaches the wrapped transport.
func (t *boundedTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// cancelOnClose releases a request's timer once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
