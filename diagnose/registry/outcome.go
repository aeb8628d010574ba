package registry

import (
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Request is what to probe and how.
type Request struct {
	// Ref is the image reference the pod asks for.
	Ref name.Reference
	// Auth is the credential the kubelet would send; nil means anonymous.
	Auth authn.Authenticator
	// Platform is the node's platform, e.g. linux/amd64. When empty, an index
	// is resolved for linux/amd64 and a single image is not checked.
	Platform v1.Platform
}

// Stage is a step of a pull, named in Outcome for the step that failed.
type Stage string

// The stages of a pull, in order.
const (
	StagePing     Stage = "ping"     // GET /v2/
	StageLogin    Stage = "login"    // token endpoint
	StageManifest Stage = "manifest" // GET of the manifest (and of a child manifest)
	StagePlatform Stage = "platform" // choosing the node's platform
	StageConfig   Stage = "config"   // GET of the config blob
	StageDone     Stage = "done"     // every stage passed
)

// Problem is the classified cause of a failed probe.
type Problem string

// The problems a probe can report.
const (
	ProblemNone             Problem = ""
	ProblemUnreachable      Problem = "unreachable"       // DNS, TCP, TLS or timeout; see Outcome.Network
	ProblemLoginRefused     Problem = "login-refused"     // the token endpoint refused the credentials
	ProblemUnsupportedAuth  Problem = "unsupported-auth"  // UNSUPPORTED: e.g. icr.io's discontinued "token" user
	ProblemUnauthorized     Problem = "unauthorized"      // 401: no or invalid credentials
	ProblemDenied           Problem = "denied"            // 403 DENIED: no access to this repository
	ProblemQuotaExceeded    Problem = "quota-exceeded"    // DENIED: monthly pull-traffic quota used up
	ProblemStorageQuota     Problem = "storage-quota"     // DENIED: the storage quota, in any wording
	ProblemPrivateOnly      Problem = "private-only"      // DENIED: the account only allows the private network
	ProblemNameUnknown      Problem = "name-unknown"      // NAME_UNKNOWN: no such repository
	ProblemManifestUnknown  Problem = "manifest-unknown"  // MANIFEST_UNKNOWN: no such tag or digest
	ProblemPlatformMismatch Problem = "platform-mismatch" // no image for the node's platform
	ProblemTooManyRequests  Problem = "too-many-requests" // 429 TOOMANYREQUESTS
	ProblemOther            Problem = "other"             // anything else; see Outcome.Err
)

// The kinds of network failure reported in Outcome.Network.
const (
	NetworkDNS     = "dns"
	NetworkTCP     = "tcp"
	NetworkTLS     = "tls"
	NetworkTimeout = "timeout"
)

// Outcome is the result of a probe. Every string in it is safe to show: it
// never holds a credential.
type Outcome struct {
	// Stage is the stage that failed, or StageDone.
	Stage Stage
	// Problem is why the stage failed; ProblemNone when Stage is StageDone.
	Problem Problem
	// Network is NetworkDNS, NetworkTCP, NetworkTLS or NetworkTimeout for
	// ProblemUnreachable.
	Network string
	// StatusCode is the HTTP status of the failed request, if it got one.
	StatusCode int
	// Code and Message are the registry's first error code and message,
	// redacted and trimmed to 300 characters.
	Code, Message string
	// Anonymous is true when no credentials were used.
	Anonymous bool
	// Digest and MediaType describe the manifest the reference names (the
	// index, for a multi-platform image).
	Digest, MediaType string
	// Platforms lists an index's platforms ("linux/amd64", "linux/arm/v7").
	Platforms []string
	// Platform is the platform checked, "" when none was.
	Platform string
	// ImagePlatform is a single image's platform as its config states it
	// ("linux/arm64"); "" for an index, or when the config was not read.
	ImagePlatform string
	// NearestTags holds, for ProblemManifestUnknown on a tag, up to five
	// existing tags closest to the wanted one.
	NearestTags []string
	// TagsErr says why the tags could not be listed (safe text).
	TagsErr string
	// RateLimit is the registry's last word on its pull rate limit.
	RateLimit RateLimit
	// Err is the underlying error for logs, nil when Stage is StageDone. Its
	// message is redacted and one line. errors.As reaches a sanitized copy of
	// the registry's *transport.Error (its Request has method and URL only)
	// and the network error (*net.DNSError, *net.OpError, TLS errors).
	Err error
}
