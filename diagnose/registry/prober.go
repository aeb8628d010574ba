package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Prober probes registries. It is safe for concurrent use.
type Prober struct {
	base    http.RoundTripper
	backoff *remote.Backoff
}

// Option configures a Prober.
type Option func(*Prober)

// New returns a Prober sending requests through rt, the base transport
// (production: a clone of http.DefaultTransport; nil means
// remote.DefaultTransport). Authentication and retries are layered on top.
func New(rt http.RoundTripper, opts ...Option) *Prober {
	if rt == nil {
		rt = remote.DefaultTransport
	}
	p := &Prober{base: rt}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// WithRetryBackoff retries a request that fails temporarily (a network flake
// or status 408, 429, 500, 502, 503 or 504) with backoff b; b.Steps is the
// number of attempts. The default is a single attempt per request and no
// retries, so a probe takes one round trip per stage and reports a 429 as
// ProblemTooManyRequests instead of sleeping through ggcr's 1 s × 3 backoff.
func WithRetryBackoff(b remote.Backoff) Option {
	return func(p *Prober) {
		b.Steps = max(b.Steps, 1)
		p.backoff = &b
	}
}

// retryStatusCodes are the statuses WithRetryBackoff retries.
var retryStatusCodes = []int{
	http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
	http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout,
}

// plain hides the base transport's type: transport.NewWithContext skips the
// whole handshake for a *transport.Wrapper.
type plain struct{ http.RoundTripper }

// transport is the base transport with the retry policy applied.
func (p *Prober) transport() http.RoundTripper {
	if p.backoff == nil {
		return plain{p.base}
	}
	return transport.NewRetry(plain{p.base}, transport.WithRetryBackoff(*p.backoff),
		transport.WithRetryStatusCodes(retryStatusCodes...))
}

// handshakeDoing names the handshake's stages in error messages.
var handshakeDoing = map[Stage]string{StagePing: "pinging registry", StageLogin: "logging in"}

// probe is the state of one Probe call.
type probe struct {
	req     Request
	secrets secrets
	opts    []remote.Option
	out     *Outcome
}

// Probe pulls req.Ref's manifest and config the way a container runtime
// would, stopping at the first failing stage. It never returns nil.
func (p *Prober) Probe(ctx context.Context, req Request) *Outcome {
	pr := &probe{req: req, out: &Outcome{Platform: platformString(req.Platform)}}
	if req.Ref == nil {
		pr.fail(StagePing, errors.New("probing: no image reference"))
		return pr.out
	}
	auth := req.Auth
	if auth == nil {
		auth = authn.Anonymous
	}
	cfg, err := authn.Authorization(ctx, auth)
	if err != nil {
		pr.fail(StageLogin, fmt.Errorf("resolving credentials: %w", err))
		return pr.out
	}
	pr.secrets = secretsOf(cfg)
	pr.out.Anonymous = auth == authn.Anonymous || *cfg == (authn.AuthConfig{})
	repo := req.Ref.Context()
	limits := &rateLimitRecorder{next: p.transport()}
	defer func() { pr.out.RateLimit = limits.get() }()
	tr, err := transport.NewWithContext(ctx, repo.Registry, auth, plain{limits},
		[]string{repo.Scope(transport.PullScope)})
	if err != nil {
		stage := handshakeStage(err)
		pr.fail(stage, fmt.Errorf("%s: %w", handshakeDoing[stage], err))
		return pr.out
	}
	pr.opts = []remote.Option{remote.WithTransport(tr), remote.WithContext(ctx)}
	pr.pull()
	return pr.out
}

// pull runs the manifest, platform and config stages.
func (pr *probe) pull() {
	desc, err := remote.Get(pr.req.Ref, pr.opts...)
	if err != nil {
		pr.fail(StageManifest, fmt.Errorf("fetching manifest: %w", err))
		if pr.out.Problem == ProblemManifestUnknown {
			pr.listNearestTags()
		}
		return
	}
	pr.out.Digest, pr.out.MediaType = desc.Digest.String(), string(desc.MediaType)
	fromIndex := desc.MediaType.IsIndex()
	if fromIndex {
		if desc = pr.child(desc); desc == nil {
			return
		}
	}
	cfg := pr.config(desc)
	if cfg == nil {
		return
	}
	if !fromIndex && cfg.Platform() != nil {
		pr.out.ImagePlatform = platformString(*cfg.Platform())
	}
	if !fromIndex && !platformMatches(pr.req.Platform, cfg.Platform()) {
		pr.mismatch(StagePlatform, fmt.Errorf("checking platform: image is %s", platformString(*cfg.Platform())))
		return
	}
	pr.out.Stage = StageDone
}

// child picks the node's platform in an index and fetches its manifest.
func (pr *probe) child(index *remote.Descriptor) *remote.Descriptor {
	im, err := v1.ParseIndexManifest(bytes.NewReader(index.Manifest))
	if err != nil {
		pr.fail(StageManifest, fmt.Errorf("parsing index: %w", err))
		return nil
	}
	want := pr.req.Platform
	if want.OS == "" && want.Architecture == "" {
		want = defaultPlatform
	}
	pr.out.Platform, pr.out.Platforms = platformString(want), indexPlatforms(im)
	d, ok := pickChild(im, want)
	if !ok {
		pr.mismatch(StagePlatform, fmt.Errorf("choosing platform: no %s in index", pr.out.Platform))
		return nil
	}
	child, err := remote.Get(pr.req.Ref.Context().Digest(d.Digest.String()), pr.opts...)
	if err != nil {
		pr.fail(StageManifest, fmt.Errorf("fetching %s manifest: %w", pr.out.Platform, err))
		return nil
	}
	if child.MediaType.IsIndex() {
		pr.fail(StageManifest, errors.New("fetching child manifest: nested index"))
		return nil
	}
	return child
}

// config fetches and parses the image's config blob.
func (pr *probe) config(desc *remote.Descriptor) *v1.ConfigFile {
	img, err := desc.Image()
	if err != nil {
		pr.fail(StageManifest, fmt.Errorf("reading manifest: %w", err))
		return nil
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		pr.fail(StageConfig, fmt.Errorf("fetching config: %w", err))
		return nil
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		pr.fail(StageConfig, fmt.Errorf("parsing config: %w", err))
		return nil
	}
	return cfg
}

// mismatch records a platform mismatch.
func (pr *probe) mismatch(stage Stage, err error) {
	pr.out.Stage, pr.out.Problem = stage, ProblemPlatformMismatch
	pr.out.Err = pr.secrets.wrap(err)
}

// listNearestTags lists the repository's tags for a missing tag.
func (pr *probe) listNearestTags() {
	tag, ok := pr.req.Ref.(name.Tag)
	if !ok {
		return // a missing digest has no near neighbours
	}
	tags, err := remote.List(pr.req.Ref.Context(), pr.opts...)
	if err != nil {
		pr.out.TagsErr = pr.secrets.clip("listing tags: " + pr.secrets.message(err))
		return
	}
	pr.out.NearestTags = nearestTags(tag.TagStr(), tags, 5)
}
