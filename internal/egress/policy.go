package egress

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Resolver looks host names up (*net.Resolver does).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Policy decides which registry hosts may be probed for a user. It is safe
// for concurrent use.
type Policy struct {
	configured map[string]bool // "host:port", as name.Registry writes the host
	cluster    []netip.Prefix
	resolver   Resolver
}

// Option configures a Policy.
type Option func(*Policy)

// WithRegistries allows hosts beyond IBM Cloud Container Registry, each
// "host" (port 443) or "host:port", on that port only; their addresses are
// not judged (an operator may allow a registry inside the network).
// Default: none.
func WithRegistries(hosts ...string) Option {
	return func(p *Policy) {
		for _, h := range hosts {
			if host, port, err := splitHost(canonical(h)); err == nil {
				p.configured[net.JoinHostPort(host, port)] = true
			}
		}
	}
}

// ValidRegistry reports whether s is a registry WithRegistries accepts:
// "host" or "host:port", the host a DNS name or an IP address (an IPv6
// one in brackets), without scheme or path.
func ValidRegistry(s string) bool {
	_, _, err := splitHost(canonical(s))
	return err == nil && !strings.ContainsAny(s, "/@")
}

// WithClusterAddresses refuses the cluster's own service addresses too (the
// service CIDR, the kubernetes service's ClusterIP), which may lie outside
// the private ranges. Default: none beyond those ranges.
func WithClusterAddresses(prefixes ...netip.Prefix) Option {
	return func(p *Policy) { p.cluster = append(p.cluster, prefixes...) }
}

// WithResolver looks host names up with r. Default: net.DefaultResolver.
func WithResolver(r Resolver) Option { return func(p *Policy) { p.resolver = r } }

// New returns a Policy.
func New(opts ...Option) *Policy {
	p := &Policy{configured: map[string]bool{}, resolver: net.DefaultResolver}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Refusal is a host a Policy refuses; Reason says why, safe to show.
type Refusal struct{ Host, Reason string }

func (r *Refusal) Error() string {
	return fmt.Sprintf("pullcheck does not probe %s: %s", r.Host, r.Reason)
}

// Check decides whether the registry host of an image a user typed
// ("us.icr.io", "quay.io:443", "[fd00::1]:5000") may be probed: an IBM
// Cloud Container Registry host on port 443, or a configured host on its
// port; and, unless configured, only when no address it resolves to now
// is refused. A name that does not resolve is left to the probe, whose
// dials are checked again (Guard). The error is a *Refusal.
func (p *Policy) Check(ctx context.Context, host string) error {
	h, port, err := splitHost(canonical(host))
	if err != nil {
		return &Refusal{Host: host, Reason: "it is not a host name or host:port"}
	}
	if p.configured[net.JoinHostPort(h, port)] {
		return nil
	}
	if reason := p.refusedName(h, port); reason != "" {
		return &Refusal{Host: host, Reason: reason}
	}
	addrs, err := p.lookup(ctx, h)
	if err != nil {
		return nil
	}
	if r := p.refusedAddrs(h, addrs); r != nil {
		r.Host = host
		return r
	}
	return nil
}

// refusedAddrs refuses host when one of its addresses is refused.
func (p *Policy) refusedAddrs(host string, addrs []netip.Addr) *Refusal {
	for _, a := range addrs {
		why := refusedAddr(a, p.cluster)
		switch {
		case why == "":
		case a.String() == host:
			return &Refusal{Host: host, Reason: "it is " + why}
		default:
			return &Refusal{Host: host, Reason: fmt.Sprintf("it resolves to %s, %s", a, why)}
		}
	}
	return nil
}

// refusedName says why a host that is not configured is refused by its
// name and port alone, "" when it is an IBM Cloud Container Registry host
// on port 443.
func (p *Policy) refusedName(host, port string) string {
	if a, err := netip.ParseAddr(host); err == nil {
		if why := refusedAddr(a, p.cluster); why != "" {
			return "it is " + why
		}
		return "IP addresses are probed only when configured"
	}
	if !isICR(host) {
		return "it is not an IBM Cloud Container Registry host (icr.io)"
	}
	if port != "443" {
		return "IBM Cloud Container Registry is probed on port 443 only"
	}
	return ""
}

// isICR reports whether host is a regional, private or deprecated IBM
// Cloud Container Registry domain, or cp.icr.io (IBM's entitled software).
func isICR(host string) bool { return icr.IsRegistry(host) || host == "cp.icr.io" }

// lookup resolves host; an IP literal is itself.
func (p *Policy) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	return p.resolver.LookupNetIP(ctx, "ip", host)
}

// canonical is host as go-containerregistry writes a registry: lower case,
// docker.io as index.docker.io.
func canonical(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if r, err := name.NewRegistry(host); err == nil {
		return r.RegistryStr()
	}
	return host
}

// splitHost splits "host" or "host:port" (IPv6 in brackets), port 443 by
// default; the host must be a DNS name or an IP address, the port a number.
func splitHost(s string) (host, port string, err error) {
	host, port = s, "443"
	if strings.LastIndex(s, ":") > strings.LastIndex(s, "]") {
		if host, port, err = net.SplitHostPort(s); err != nil {
			return "", "", err
		}
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	}
	if !validPort(port) || !validHost(host) {
		return "", "", fmt.Errorf("%q is not host[:port]", s)
	}
	return host, port, nil
}

func validPort(p string) bool {
	n := 0
	for _, c := range p {
		if c < '0' || c > '9' || n > 65535 {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return p != "" && p[0] != '0' && n >= 1 && n <= 65535
}

// validHost accepts an IP address or a DNS name of letters, digits, '-'
// and '.', which is all a registry's name needs and nothing a resolver
// could read as something else.
func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	if h == "" || len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
