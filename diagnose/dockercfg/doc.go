// Package dockercfg reads Kubernetes image pull secrets and picks the
// credential the kubelet would send for an image.
//
// It understands both secret types the kubelet accepts
// (kubernetes.io/dockerconfigjson and the legacy kubernetes.io/dockercfg) and
// reproduces the kubelet's credentialprovider matching rules: an optional
// scheme, a path prefix, an exact port and "*" globs per host label, with the
// most specific key winning. Nothing in this package prints or returns secret
// content: MalformedError names keys and fields only, Credential's String
// method redacts, and Fingerprint gives a safe way to compare secrets.
package dockercfg
