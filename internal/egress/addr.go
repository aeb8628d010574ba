package egress

import "net/netip"

// special is an address range pullcheck never probes for a user unless an
// operator configured the host: what it names is inside the cluster, the
// node or the network pullcheck runs in, not a registry on the internet.
type special struct {
	prefix netip.Prefix
	what   string
}

// specials are the ranges refused, first match wins. IPv4-mapped IPv6
// addresses are unmapped first; NAT64 and 6to4 addresses are judged by the
// IPv4 address they embed.
var specials = []special{
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified address"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared address (CGNAT, RFC 6598)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback address"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local address"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "a reserved address"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private address (RFC 1918)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a reserved address"},
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("::/128"), "an unspecified address"},
	{netip.MustParsePrefix("::1/128"), "a loopback address"},
	{netip.MustParsePrefix("::/96"), "a reserved address"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a reserved address"},
	{netip.MustParsePrefix("100::/64"), "a reserved address"},
	{netip.MustParsePrefix("2001::/32"), "a reserved address"}, // Teredo hides the IPv4 address it reaches
	{netip.MustParsePrefix("fc00::/7"), "a unique local address (RFC 4193)"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local address"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast address"},
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// refusedAddr says why a is not probed, "" when it may be; cluster are the
// cluster's own service addresses.
func refusedAddr(a netip.Addr, cluster []netip.Prefix) string {
	a = embedded(a.Unmap().WithZone(""))
	for _, p := range cluster {
		if p.Contains(a) {
			return "an address of the cluster's services"
		}
	}
	for _, s := range specials {
		if s.prefix.Contains(a) {
			return s.what
		}
	}
	if !a.IsGlobalUnicast() {
		return "not a unicast address"
	}
	return ""
}

// embedded is the IPv4 address a NAT64 or 6to4 address carries, else a.
func embedded(a netip.Addr) netip.Addr {
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return a
}
