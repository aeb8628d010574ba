package cloud

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// store returns the in-memory registry behind a public registry host (or
// hubStore), creating it on first use. Private and deprecated names share it.
func (c *Cloud) store(host string) http.Handler {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.stores[host]
	if !ok {
		s = registry.New(registry.Logger(log.New(io.Discard, "", 0)))
		c.stores[host] = s
	}
	return s
}

// storeTransport calls a store in-process, bypassing icr.io's access rules.
type storeTransport struct{ h http.Handler }

func (t storeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil { // servers always see a body; pkg/registry relies on it
		r = r.Clone(r.Context())
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r // remote resolves upload Locations against it
	return resp, nil
}

// storeOption returns the remote option that talks to the store of a
// registry host, or false when the host is not an IBM registry.
func (c *Cloud) storeOption(host string) (remote.Option, icr.Host, bool) {
	h, ok := icr.Lookup(host)
	if !ok {
		return nil, h, false
	}
	return remote.WithTransport(storeTransport{c.store(h.Host)}), h, true
}

// Push stores img, a v1.Image or v1.ImageIndex, under ref
// ("us.icr.io/ns/repo:tag"). It bypasses authorization, quotas and the
// namespace registry, like an administrator seeding the registry. Docker Hub
// images ("docker.io/library/nginx:1.27") are public: anyone may pull them.
func (c *Cloud) Push(ref string, img any) error {
	r, err := name.ParseReference(ref)
	if err != nil {
		return fmt.Errorf("parsing %q: %w", ref, err)
	}
	opt, _, ok := c.storeOption(r.Context().RegistryStr())
	if isHubRegistry(r.Context().RegistryStr()) {
		opt, ok = remote.WithTransport(storeTransport{c.store(hubStore)}), true
		c.mu.Lock()
		c.hub.public[r.Context().RepositoryStr()] = true
		c.mu.Unlock()
	}
	if !ok {
		return fmt.Errorf("pushing %q: %s is not an IBM Cloud Container Registry or Docker Hub host", ref, r.Context().RegistryStr())
	}
	switch v := img.(type) {
	case v1.Image:
		err = remote.Write(r, v, opt)
	case v1.ImageIndex:
		err = remote.WriteIndex(r, v, opt)
	default:
		return fmt.Errorf("pushing %q: unsupported type %T", ref, img)
	}
	if err != nil {
		return fmt.Errorf("pushing %q: %w", ref, err)
	}
	return nil
}

// imageFilter selects images for GET /api/v1/images.
type imageFilter struct {
	account, namespace, repository string
	manifestLists                  bool
}

// listImages returns RemoteAPIImage objects for the images of one account in
// the registry of h, one per repository and digest.
func (c *Cloud) listImages(ctx context.Context, h icr.Host, f imageFilter) ([]map[string]any, error) {
	opt, _, _ := c.storeOption(h.Host)
	reg, err := name.NewRegistry(h.Host)
	if err != nil {
		return nil, err
	}
	repos, err := remote.Catalog(ctx, reg, opt)
	if err != nil {
		return nil, fmt.Errorf("listing repositories: %w", err)
	}
	slices.Sort(repos)
	out := []map[string]any{}
	for _, repo := range repos {
		if !c.wantRepo(h, repo, f) {
			continue
		}
		imgs, err := c.repoImages(ctx, reg.Repo(repo), f.manifestLists, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, imgs...)
	}
	return out, nil
}

func (c *Cloud) wantRepo(h icr.Host, repo string, f imageFilter) bool {
	ns, _, _ := strings.Cut(repo, "/")
	c.mu.Lock()
	owner, ok := c.namespaces[h.Region+"/"+ns]
	c.mu.Unlock()
	full := h.Host + "/" + repo
	return ok && owner.AccountID == f.account && (f.namespace == "" || f.namespace == ns) &&
		(f.repository == "" || f.repository == repo || f.repository == full || f.repository == strings.TrimPrefix(repo, ns+"/"))
}

func (c *Cloud) repoImages(ctx context.Context, repo name.Repository, lists bool, opt remote.Option) ([]map[string]any, error) {
	tags, err := remote.List(repo, opt, remote.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("listing tags of %s: %w", repo, err)
	}
	byDigest := map[string]map[string]any{}
	var out []map[string]any
	for _, tag := range tags {
		d, err := remote.Head(repo.Tag(tag), opt, remote.WithContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("reading %s:%s: %w", repo, tag, err)
		}
		if d.MediaType.IsIndex() && !lists {
			continue
		}
		img, ok := byDigest[d.Digest.String()]
		if !ok {
			img = map[string]any{"Id": d.Digest.String(), "ManifestType": string(d.MediaType),
				"Size": d.Size, "VirtualSize": d.Size, "Created": c.epoch.Unix(),
				"RepoDigests": []string{repo.Digest(d.Digest.String()).String()}, "RepoTags": []string{}}
			byDigest[d.Digest.String()] = img
			out = append(out, img)
		}
		img["RepoTags"] = append(img["RepoTags"].([]string), repo.Tag(tag).String())
	}
	return out, nil
}
