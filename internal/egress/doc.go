// Package egress decides which registries pullcheck may reach for an
// image a user typed, and holds the probe to that decision when it dials.
//
// A pod's own image is what the cluster pulls already; an image typed in a
// chat room is anyone's choice, and without a bound pullcheck would be a
// way to make requests from inside the cluster: to the cloud's metadata
// service, the API server, or any port of any internal host. A Policy
// allows IBM Cloud Container Registry hosts (every regional, private and
// deprecated domain, and cp.icr.io) on port 443, and the hosts an operator
// configures, on the port configured. It never allows an address that is
// loopback, link-local, private (RFC 1918, RFC 4193), shared (CGNAT),
// unspecified, multicast or reserved, nor the cluster's own service
// addresses, unless the operator configured that host: neither typed as an
// IP literal nor reached through a name that resolves to one.
//
// Check judges the host a user typed, before anything is probed. Guard
// wraps the transport of those probes: every connection, to the typed
// host, a token realm or a redirect, is dialled to an address resolved and
// checked at that moment, so a name that resolves elsewhere the second
// time (DNS rebinding) is refused too.
package egress
