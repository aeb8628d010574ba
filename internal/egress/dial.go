package egress

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
)

// DialFunc dials a network address (net.Dialer.DialContext).
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Guard returns a clone of tr whose every connection is checked: a
// configured host:port is dialled as it is; any other address only on port
// 443, resolved now, and only when none of its addresses is refused, and
// then the checked address is dialled, never the name again. tr's proxy
// (HTTPS_PROXY), which the operator chose, is dialled as it is; a request
// sent through it is checked by its URL's host instead, as far as
// resolving it here can tell. A refusal is a *Refusal.
func (p *Policy) Guard(tr *http.Transport) http.RoundTripper {
	g := &guarded{p: p, tr: tr.Clone()}
	dial := g.tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	g.tr.DialContext = g.dial(dial)
	if proxy := g.tr.Proxy; proxy != nil {
		g.tr.Proxy = func(r *http.Request) (*url.URL, error) {
			u, err := proxy(r)
			if u != nil {
				g.proxies.Store(proxyAddr(u), true)
			}
			return u, err
		}
	}
	return g
}

// guarded is a transport whose dials a Policy checks.
type guarded struct {
	p       *Policy
	tr      *http.Transport
	proxies sync.Map // "host:port" of proxies tr's Proxy chose
}

// RoundTrip checks the target of a request sent through a proxy, whose
// dial reaches the proxy, not the target; other requests are checked as
// they dial.
func (g *guarded) RoundTrip(r *http.Request) (*http.Response, error) {
	if g.tr.Proxy != nil {
		if u, err := g.tr.Proxy(r); err == nil && u != nil {
			if _, _, err := g.p.checkAddr(r.Context(), targetAddr(r.URL)); err != nil && isRefusal(err) {
				return nil, err // a name that does not resolve here is the proxy's to resolve
			}
		}
	}
	return g.tr.RoundTrip(r)
}

// CloseIdleConnections reaches the wrapped transport.
func (g *guarded) CloseIdleConnections() { g.tr.CloseIdleConnections() }

func (g *guarded) dial(next DialFunc) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if _, ok := g.proxies.Load(addr); ok {
			return next(ctx, network, addr)
		}
		addrs, prt, err := g.p.checkAddr(ctx, addr)
		if err != nil || addrs == nil {
			if err != nil {
				return nil, err
			}
			return next(ctx, network, addr) // configured: dialled as it is
		}
		var errs []error
		for _, a := range addrs {
			c, err := next(ctx, network, net.JoinHostPort(a.String(), prt))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
		return nil, errors.Join(errs...)
	}
}

// checkAddr judges a host:port about to be dialled: nil addresses and no
// error for a configured one; else the addresses to dial, every one of
// them allowed, and their port, 443.
func (p *Policy) checkAddr(ctx context.Context, addr string) ([]netip.Addr, string, error) {
	host, prt, err := splitHost(strings.ToLower(addr))
	if err != nil {
		return nil, "", &Refusal{Host: addr, Reason: "it is not a host name or host:port"}
	}
	if p.configured[net.JoinHostPort(host, prt)] {
		return nil, prt, nil
	}
	if prt != "443" {
		return nil, "", &Refusal{Host: addr, Reason: "only port 443 is probed on hosts that are not configured"}
	}
	addrs, err := p.lookup(ctx, host)
	if err != nil {
		return nil, "", err
	}
	if len(addrs) == 0 {
		return nil, "", &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	if r := p.refusedAddrs(host, addrs); r != nil {
		return nil, "", r
	}
	return addrs, prt, nil
}

// targetAddr is the host:port a request's URL reaches.
func targetAddr(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "http" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return net.JoinHostPort(u.Hostname(), "443")
}

// proxyAddr is the host:port http.Transport dials for a proxy URL.
func proxyAddr(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	switch u.Scheme {
	case "https":
		return net.JoinHostPort(u.Hostname(), "443")
	case "socks5", "socks5h":
		return net.JoinHostPort(u.Hostname(), "1080")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

func isRefusal(err error) bool {
	var r *Refusal
	return errors.As(err, &r)
}
