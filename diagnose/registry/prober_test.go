package registry

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Media types of the fixtures: random.Image is a Docker image, mutate's
// indexes are OCI.
const (
	dockerImage = string(types.DockerManifestSchema2)
	ociIndex    = string(types.OCIImageIndex)
)

// goodAuth is the valid icr.io login.
var goodAuth = &authn.Basic{Username: "iamapikey", Password: canaryKey}

// probeCase is one row of TestProbe.
type probeCase struct {
	name     string
	ref      string              // path and tag on the fake
	auth     authn.Authenticator // nil: anonymous
	platform v1.Platform
	setup    func(f *icrFake)
	// target overrides where the probe goes: a base transport and a host.
	target func(t *testing.T) (http.RoundTripper, string)
	want   Outcome
}

func TestProbe(t *testing.T) {
	reg := newRegistry()
	s := seedRegistry(t, reg)
	for _, tt := range probeCases(s) {
		t.Run(tt.name, func(t *testing.T) {
			f := newICRFake(t, reg)
			if tt.setup != nil {
				tt.setup(f)
			}
			rt, host := http.RoundTripper(cleanTransport()), f.host
			if tt.target != nil {
				rt, host = tt.target(t)
			}
			got := New(rt).Probe(context.Background(), Request{
				Ref: parseRef(t, host+"/"+tt.ref), Auth: tt.auth, Platform: tt.platform})
			assertNoCanary(t, got)
			got.TagsErr = strings.ReplaceAll(got.TagsErr, host, "HOST")
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Outcome{}, "Err")); diff != "" {
				t.Errorf("Probe() (-want +got):\n%s", diff)
			}
			if (got.Err == nil) != (tt.want.Stage == StageDone) {
				t.Errorf("Probe().Err = %v, want an error only when a stage failed", got.Err)
			}
		})
	}
}

// probeCases has one case per Problem, and then some.
func probeCases(s seeded) []probeCase {
	return append(successCases(s), append(authCases(), append(pullCases(s), networkCases()...)...)...)
}

func successCases(s seeded) []probeCase {
	return []probeCase{{
		name: "single image", ref: "ns/app:v1", auth: goodAuth, platform: linuxAMD64,
		want: Outcome{Stage: StageDone, Digest: s.app.String(), MediaType: dockerImage, Platform: "linux/amd64", ImagePlatform: "linux/amd64"},
	}, {
		name: "index for amd64", ref: "ns/multi:v1", auth: goodAuth, platform: linuxAMD64,
		want: Outcome{Stage: StageDone, Digest: s.multi.String(), MediaType: ociIndex,
			Platforms: []string{"linux/amd64", "linux/arm64/v8"}, Platform: "linux/amd64"},
	}, {
		name: "index for arm64 without variant", ref: "ns/multi:v1", auth: goodAuth, platform: linuxARM64,
		want: Outcome{Stage: StageDone, Digest: s.multi.String(), MediaType: ociIndex,
			Platforms: []string{"linux/amd64", "linux/arm64/v8"}, Platform: "linux/arm64"},
	}, {
		name: "index without a node platform", ref: "ns/multi:v1", auth: goodAuth,
		want: Outcome{Stage: StageDone, Digest: s.multi.String(), MediaType: ociIndex,
			Platforms: []string{"linux/amd64", "linux/arm64/v8"}, Platform: "linux/amd64"},
	}, {
		name: "by digest", ref: "ns/app@" + s.app.String(), auth: goodAuth, platform: linuxAMD64,
		want: Outcome{Stage: StageDone, Digest: s.app.String(), MediaType: dockerImage, Platform: "linux/amd64", ImagePlatform: "linux/amd64"},
	}}
}

func authCases() []probeCase {
	return []probeCase{{
		name: "wrong api key, echoed by the registry", ref: "ns/app:v1",
		auth:  &authn.Basic{Username: "iamapikey", Password: "Canary-wrong-key-77"},
		setup: func(f *icrFake) { f.echoKey = true },
		want: Outcome{Stage: StageLogin, Problem: ProblemLoginRefused, StatusCode: 401, Code: "UNAUTHORIZED",
			Message: "An error occurred when authenticating your request with IBM Cloud. API key [redacted] is not valid."},
	}, {
		name: "discontinued registry token user", ref: "ns/app:v1",
		auth: &authn.Basic{Username: "token", Password: canaryKey},
		want: Outcome{Stage: StageLogin, Problem: ProblemUnsupportedAuth, StatusCode: 401, Code: "UNSUPPORTED", Message: msgUnsupported},
	}, {
		name: "anonymous", ref: "ns/app:v1",
		want: Outcome{Stage: StageLogin, Problem: ProblemUnauthorized, Anonymous: true,
			StatusCode: 401, Code: "UNAUTHORIZED", Message: msgAuthRequired},
	}, {
		name: "empty credential is anonymous", ref: "ns/app:v1", auth: authn.FromConfig(authn.AuthConfig{}),
		want: Outcome{Stage: StageLogin, Problem: ProblemUnauthorized, Anonymous: true,
			StatusCode: 401, Code: "UNAUTHORIZED", Message: msgAuthRequired},
	}, {
		name: "private-only account at the token endpoint", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) { f.token = &fault{status: 403, code: "DENIED", message: msgPrivateOnly} },
		want:  Outcome{Stage: StageLogin, Problem: ProblemPrivateOnly, StatusCode: 403, Code: "DENIED", Message: msgPrivateOnly},
	}, {
		name: "token rejected on the manifest", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) {
			f.manifest = &fault{status: 401, code: "UNAUTHORIZED", message: msgAuthRequired, header: http.Header{
				"Www-Authenticate": {fmt.Sprintf(`Bearer realm="%s/oauth/token",service="registry"`, f.srv.URL)}}}
		},
		want: Outcome{Stage: StageManifest, Problem: ProblemUnauthorized, StatusCode: 401, Code: "UNAUTHORIZED",
			Message: msgAuthRequired, Platform: "linux/amd64"},
		platform: linuxAMD64,
	}, {
		name: "no IAM access", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) { f.manifest = &fault{status: 403, code: "DENIED", message: msgNotAuthzd} },
		want:  Outcome{Stage: StageManifest, Problem: ProblemDenied, StatusCode: 403, Code: "DENIED", Message: msgNotAuthzd},
	}, {
		name: "private-only account on the manifest", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) { f.manifest = &fault{status: 403, code: "DENIED", message: msgPrivateOnly} },
		want:  Outcome{Stage: StageManifest, Problem: ProblemPrivateOnly, StatusCode: 403, Code: "DENIED", Message: msgPrivateOnly},
	}}
}

func pullCases(s seeded) []probeCase {
	return []probeCase{{
		name: "pull traffic quota on the config blob", ref: "ns/app:v1", auth: goodAuth, platform: linuxAMD64,
		setup: func(f *icrFake) { f.blob = &fault{status: 403, code: "DENIED", message: msgQuota} },
		want: Outcome{Stage: StageConfig, Problem: ProblemQuotaExceeded, StatusCode: 403, Code: "DENIED", Message: msgQuota,
			Digest: s.app.String(), MediaType: dockerImage, Platform: "linux/amd64"},
	}, {
		name: "repository missing", ref: "ns/nope:v1", auth: goodAuth,
		want: Outcome{Stage: StageManifest, Problem: ProblemNameUnknown, StatusCode: 404, Code: "NAME_UNKNOWN", Message: "Unknown name"},
	}, {
		name: "tag missing", ref: "ns/app:v1.2.4", auth: goodAuth,
		want: Outcome{Stage: StageManifest, Problem: ProblemManifestUnknown, StatusCode: 404, Code: "MANIFEST_UNKNOWN",
			Message: "Unknown manifest", NearestTags: []string{"v1.2.3", "v1.2.5", "v1.3.0", "v2.0.0", "v1"}},
	}, {
		name: "tag missing and tags not listable", ref: "ns/app:v9", auth: goodAuth,
		setup: func(f *icrFake) { f.tags = &fault{status: 403, code: "DENIED", message: msgNotAuthzd} },
		want: Outcome{Stage: StageManifest, Problem: ProblemManifestUnknown, StatusCode: 404, Code: "MANIFEST_UNKNOWN",
			Message: "Unknown manifest", TagsErr: "listing tags: GET http://HOST/v2/ns/app/tags/list?n=1000: DENIED: " +
				msgNotAuthzd + "; " + msgNotAuthzd},
	}, {
		name: "index without the node's platform", ref: "ns/armonly:v1", auth: goodAuth, platform: linuxAMD64,
		want: Outcome{Stage: StagePlatform, Problem: ProblemPlatformMismatch, Digest: s.armOnly.String(),
			MediaType: ociIndex, Platforms: []string{"linux/arm64", "linux/arm/v7"}, Platform: "linux/amd64"},
	}, {
		name: "single image for another platform", ref: "ns/armimg:v1", auth: goodAuth, platform: linuxAMD64,
		want: Outcome{Stage: StagePlatform, Problem: ProblemPlatformMismatch, Digest: s.armImage.String(),
			MediaType: dockerImage, Platform: "linux/amd64", ImagePlatform: "linux/arm64"},
	}, {
		name: "rate limited", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) {
			f.manifest = &fault{status: 429, code: "TOOMANYREQUESTS", message: msgTooMany, header: http.Header{"Retry-After": {"30"}}}
		},
		want: Outcome{Stage: StageManifest, Problem: ProblemTooManyRequests, StatusCode: 429, Code: "TOOMANYREQUESTS", Message: msgTooMany},
	}, {
		name: "server error", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) { f.manifest = &fault{status: 500, code: "UNKNOWN", message: "internal error"} },
		want:  Outcome{Stage: StageManifest, Problem: ProblemOther, StatusCode: 500, Code: "UNKNOWN", Message: "internal error"},
	}}
}

func networkCases() []probeCase {
	return []probeCase{{
		name: "registry down, answering over http", ref: "ns/app:v1", auth: goodAuth,
		setup: func(f *icrFake) { f.ping = &fault{status: 503, code: "UNAVAILABLE", message: "service unavailable"} },
		want:  Outcome{Stage: StagePing, Problem: ProblemOther, StatusCode: 503, Code: "UNAVAILABLE", Message: "service unavailable"},
	}, {
		name: "dns", ref: "ns/app:v1", auth: goodAuth,
		target: func(t *testing.T) (http.RoundTripper, string) {
			return dialing(func(addr string) error {
				host, _, _ := net.SplitHostPort(addr)
				return &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}), "nosuch.icr.io"
		},
		want: Outcome{Stage: StagePing, Problem: ProblemUnreachable, Network: NetworkDNS},
	}, {
		name: "timeout", ref: "ns/app:v1", auth: goodAuth,
		target: func(t *testing.T) (http.RoundTripper, string) {
			return dialing(func(string) error { return os.ErrDeadlineExceeded }), "us.icr.io"
		},
		want: Outcome{Stage: StagePing, Problem: ProblemUnreachable, Network: NetworkTimeout},
	}, {
		name: "connection refused", ref: "ns/app:v1", auth: goodAuth,
		target: func(t *testing.T) (http.RoundTripper, string) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			must(t, err)
			addr := l.Addr().String()
			must(t, l.Close())
			return cleanTransport(), addr
		},
		want: Outcome{Stage: StagePing, Problem: ProblemUnreachable, Network: NetworkTCP},
	}, {
		name: "untrusted certificate", ref: "ns/app:v1", auth: goodAuth,
		target: func(t *testing.T) (http.RoundTripper, string) {
			srv := httptest.NewUnstartedServer(newRegistry())
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake errors are the point
			srv.StartTLS()
			t.Cleanup(srv.Close)
			return cleanTransport(), strings.TrimPrefix(srv.URL, "https://")
		},
		want: Outcome{Stage: StagePing, Problem: ProblemUnreachable, Network: NetworkTLS},
	}}
}

// assertNoCanary fails if any text of o shows a password used by the tests.
func assertNoCanary(t *testing.T, o *Outcome) {
	t.Helper()
	texts := []string{fmt.Sprintf("%+v", *o), fmt.Sprintf("%#v", *o)}
	if o.Err != nil {
		texts = append(texts, o.Err.Error(), fmt.Sprintf("%+v", o.Err))
	}
	for _, text := range texts {
		if strings.Contains(text, "Canary") {
			t.Fatalf("outcome shows a credential: %s", text)
		}
	}
}
