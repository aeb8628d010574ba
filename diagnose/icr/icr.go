// Package icr knows the host names of IBM Cloud Container Registry: which
// region a registry domain serves, its private and deprecated aliases, and the
// base URL of the registry management API for a region.
package icr

import "strings"

// Domain describes one registry region.
type Domain struct {
	// Region is the IBM Cloud region name used in IAM policies ("us-south", "global").
	Region string
	// Host is the public registry host ("us.icr.io").
	Host string
	// Deprecated is the former bluemix.net host, empty when there is none.
	Deprecated string
}

// Domains lists every registry region, global first.
var Domains = []Domain{
	{Region: "global", Host: "icr.io", Deprecated: "registry.bluemix.net"},
	{Region: "us-south", Host: "us.icr.io", Deprecated: "registry.ng.bluemix.net"},
	{Region: "eu-gb", Host: "uk.icr.io", Deprecated: "registry.eu-gb.bluemix.net"},
	{Region: "eu-de", Host: "de.icr.io", Deprecated: "registry.eu-de.bluemix.net"},
	{Region: "au-syd", Host: "au.icr.io", Deprecated: "registry.au-syd.bluemix.net"},
	{Region: "jp-tok", Host: "jp.icr.io"},
	{Region: "jp-osa", Host: "jp2.icr.io"},
	{Region: "ca-tor", Host: "ca.icr.io"},
	{Region: "ca-mon", Host: "ca2.icr.io"},
	{Region: "br-sao", Host: "br.icr.io"},
	{Region: "eu-es", Host: "es.icr.io"},
	{Region: "eu-fr2", Host: "fr2.icr.io"},
	{Region: "in-che", Host: "in.icr.io"},
	{Region: "in-mum", Host: "in2.icr.io"},
}

// aliases maps region names the SDK also accepts to the policy region name.
var aliases = map[string]string{
	"uk-south":   "eu-gb",
	"eu-central": "eu-de",
	"ap-north":   "jp-tok",
	"ap-south":   "au-syd",
}

// Host describes what a registry host name means.
type Host struct {
	Domain
	// Private is true for private.<domain> hosts.
	Private bool
	// IsDeprecated is true when the host is a registry.*.bluemix.net name.
	IsDeprecated bool
}

// Lookup classifies a registry host (a port, if any, is ignored). ok is false
// for hosts that are not IBM Cloud Container Registry.
func Lookup(host string) (h Host, ok bool) {
	host = strings.ToLower(stripPort(host))
	private := strings.HasPrefix(host, "private.")
	bare := strings.TrimPrefix(host, "private.")
	for _, d := range Domains {
		switch {
		case bare == d.Host:
			return Host{Domain: d, Private: private}, true
		case d.Deprecated != "" && host == d.Deprecated:
			return Host{Domain: d, IsDeprecated: true}, true
		}
	}
	return Host{}, false
}

// IsRegistry reports whether host is an IBM Cloud Container Registry host.
func IsRegistry(host string) bool {
	_, ok := Lookup(host)
	return ok
}

// ByRegion returns the domain of a region name, accepting the SDK's aliases.
func ByRegion(region string) (Domain, bool) {
	if a, ok := aliases[region]; ok {
		region = a
	}
	for _, d := range Domains {
		if d.Region == region {
			return d, true
		}
	}
	return Domain{}, false
}

// APIURL is the default base URL of the registry management API of a region
// ("https://us.icr.io"); the API lives on the registry's own host.
func APIURL(region string) (string, bool) {
	d, ok := ByRegion(region)
	if !ok {
		return "", false
	}
	return "https://" + d.Host, true
}

func stripPort(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		return host[:i]
	}
	return host
}
