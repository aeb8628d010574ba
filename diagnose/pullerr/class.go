package pullerr

// Class is the cause a pull error message states.
type Class string

// The classes a pull error message can state.
const (
	Unknown            Class = ""                     // no phrase of the table named a cause: the message stays evidence, never a guess
	BackOff            Class = "back-off"             // "Back-off pulling image …": no cause given
	NetworkTimeout     Class = "network-timeout"      // i/o timeout, TLS handshake timeout, context deadline exceeded, Client.Timeout exceeded
	NetworkDNS         Class = "network-dns"          // no such host, server misbehaving, Temporary failure in name resolution
	NetworkRefused     Class = "network-refused"      // connection refused
	NetworkReset       Class = "network-reset"        // connection reset by peer, EOF / unexpected EOF on the request
	NetworkUnreachable Class = "network-unreachable"  // no route to host, network is unreachable
	TLS                Class = "tls"                  // x509 / certificate verification / other TLS failures
	Unauthorized       Class = "unauthorized"         // 401, authentication required, failed to fetch oauth/anonymous token with 401
	Denied             Class = "denied"               // 403, denied, pull access denied, insufficient_scope
	NotFound           Class = "not-found"            // manifest unknown, "…: not found" (tag or digest)
	RepositoryNotFound Class = "repository-not-found" // name unknown / repository name not known to registry
	RateLimited        Class = "rate-limited"         // 429, toomanyrequests, pull rate limit
	TrafficQuota       Class = "pull-traffic-quota"   // any wording that mentions the pull traffic quota
	StorageQuota       Class = "storage-quota"        // any wording that mentions the (image) storage quota
	PrivateOnly        Class = "private-network-only" // "You must access this account over the private network", "Private-only access is enabled"
	Platform           Class = "platform"             // no match for platform in manifest; CRI-O "no image found in manifest list for architecture …"
	DiskFull           Class = "disk-full"            // no space left on device
	NeverPull          Class = "never-pull"           // `Container image "…" is not present with pull policy of Never`
	InvalidName        Class = "invalid-name"         // invalid reference format, couldn't parse image name/reference, Failed to apply default image tag
)

var descriptions = map[Class]string{
	Unknown:            "unknown",
	BackOff:            "back-off (no cause given)",
	NetworkTimeout:     "network timeout",
	NetworkDNS:         "registry host not found (DNS)",
	NetworkRefused:     "connection refused",
	NetworkReset:       "connection reset or cut short",
	NetworkUnreachable: "no network route to the registry",
	TLS:                "TLS or certificate problem",
	Unauthorized:       "unauthorized (credentials missing or rejected)",
	Denied:             "access denied",
	NotFound:           "tag or digest not found",
	RepositoryNotFound: "repository not found",
	RateLimited:        "rate limited by the registry",
	TrafficQuota:       "pull traffic quota exceeded",
	StorageQuota:       "storage quota exceeded",
	PrivateOnly:        "private network only",
	Platform:           "no image for the node's platform",
	DiskFull:           "node disk full",
	NeverPull:          "image not on the node and pull policy Never",
	InvalidName:        "invalid image name",
}

// Network reports whether c means the registry could not be reached over the
// network (the five Network* classes and TLS).
func (c Class) Network() bool {
	switch c {
	case NetworkTimeout, NetworkDNS, NetworkRefused, NetworkReset, NetworkUnreachable, TLS:
		return true
	}
	return false
}

// String describes c for people ("network timeout", "registry host not found
// (DNS)", …; "unknown" for Unknown).
func (c Class) String() string {
	if d, ok := descriptions[c]; ok {
		return d
	}
	return string(c)
}
