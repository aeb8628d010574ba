package dockercfg

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// Docker Hub's names: the kubelet sees images as "docker.io/...", keys are
// usually written "https://index.docker.io/v1/".
const (
	dockerHubHost    = "docker.io"
	dockerHubLegacy  = "index.docker.io"
	dockerHubDefault = dockerHubLegacy // the key the kubelet falls back to
)

// Match returns the credential the kubelet would pick for an image in
// registryHost (with its port, if any) and repository ("ns/repo"), following
// the kubelet's credentialprovider keyring:
//
//   - a key may start with http:// or https:// (ignored) and end with /v1/ or
//     /v2/ (ignored);
//   - a key's path is a plain string prefix of the image's path, so
//     "us.icr.io/ns" also matches "us.icr.io/ns-other/app", as in the kubelet;
//   - the port must be equal (both absent, or the same number);
//   - "*" and other path.Match patterns match one host label each, so
//     "*.icr.io" matches "us.icr.io" but not "icr.io";
//   - registry "index.docker.io" or "docker.io" is Docker Hub: keys
//     "docker.io[/...]" match it, and "index.docker.io" (from
//     "https://index.docker.io/v1/") is the fallback when nothing else does.
//
// The kubelet tries every matching credential in turn (see Lookup); the one
// it tries first is returned. Host names are compared case-sensitively, like
// the kubelet.
func (c *Config) Match(registryHost, repository string) (Credential, bool) {
	if c == nil {
		return Credential{}, false
	}
	found := Lookup([]*Config{c}, registryHost, repository)
	if len(found) == 0 {
		return Credential{}, false
	}
	return found[0].Credential, true
}

// normalizeKey turns an auths key into the kubelet's keyring form: host and
// path, without scheme and without a /v1/ or /v2/ path prefix.
func normalizeKey(key string) (string, bool) {
	value := key
	if !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://") {
		value = "https://" + value
	}
	parsed, err := url.Parse(value)
	if err != nil {
		return "", false
	}
	p := parsed.Path
	if strings.HasPrefix(p, "/v2/") || strings.HasPrefix(p, "/v1/") {
		p = p[3:]
	}
	if p == "" || p == "/" {
		return parsed.Host, true
	}
	return parsed.Host + p, true
}

// urlsMatch is the kubelet's URLsMatchStr: glob and target are schemeless
// "host[:port][/path]" strings.
func urlsMatch(glob, target string) bool {
	globURL, err := url.Parse("https://" + glob)
	if err != nil {
		return false
	}
	targetURL, err := url.Parse("https://" + target)
	if err != nil {
		return false
	}
	globParts, globPort := splitHost(globURL.Host)
	targetParts, targetPort := splitHost(targetURL.Host)
	if globPort != targetPort || len(globParts) != len(targetParts) {
		return false
	}
	if !strings.HasPrefix(targetURL.Path, globURL.Path) {
		return false
	}
	for i, pattern := range globParts {
		if ok, err := path.Match(pattern, targetParts[i]); err != nil || !ok {
			return false
		}
	}
	return true
}

// splitHost splits "host[:port]" into its dot-separated labels and its port.
func splitHost(hostport string) ([]string, string) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	return strings.Split(host, "."), port
}
