// Package registry probes a container registry exactly as an image pull
// would, with given credentials, and classifies the outcome.
//
// A probe makes the pull's own round trips and nothing else: the /v2/ ping and
// the token exchange (one call to transport.NewWithContext), a GET of the
// manifest (a GET rather than a HEAD, so that the registry's error code is
// available), a GET of the platform's child manifest when the reference is an
// index, and a GET of the image's config blob, which is where IBM Cloud
// Container Registry enforces its pull-traffic quota. Only a missing tag adds
// a tag listing, to suggest the nearest existing tags.
//
// Failures are classified from typed errors: *transport.Error status codes and
// registry error codes, *net.DNSError, TLS and x509 errors, timeouts. The one
// exception is the DENIED code, which icr.io uses for three different causes
// that only its message tells apart (see deniedProblem).
//
// No credential reaches an Outcome: registry messages and error texts are
// redacted of every secret the authenticator holds before they are stored.
package registry
