package registry

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Platforms used by the fixtures.
var (
	linuxAMD64   = v1.Platform{OS: "linux", Architecture: "amd64"}
	linuxARM64   = v1.Platform{OS: "linux", Architecture: "arm64"}
	linuxARM64v8 = v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	linuxARMv7   = v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	attestation  = v1.Platform{OS: "unknown", Architecture: "unknown"}
)

// appTags are the tags of ns/app, all of the same linux/amd64 image.
var appTags = []string{"v1", "v1.2.3", "v1.2.5", "v1.3.0", "v2.0.0", "latest", "sha256-0123abcd.sig"}

// seeded is what seedRegistry pushed.
type seeded struct {
	app, armImage  v1.Hash // single images
	multi, armOnly v1.Hash // indexes
	appConfig      v1.Hash // config blob of ns/app
	multiAMD64     v1.Hash // linux/amd64 child of ns/multi
	multiAMD64Cfg  v1.Hash // its config blob
}

// seedRegistry pushes the fixtures into reg through a plain server of its
// own, so that the fake under test records only the probe's requests:
//
//	ns/app:<appTags>  linux/amd64 image
//	ns/armimg:v1      linux/arm64 image
//	ns/multi:v1       index: linux/amd64, linux/arm64/v8, unknown/unknown
//	ns/armonly:v1     index: linux/arm64, linux/arm/v7
func seedRegistry(t *testing.T, reg http.Handler) seeded {
	t.Helper()
	srv := httptest.NewServer(reg)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	var s seeded
	app := imageFor(t, linuxAMD64)
	for _, tag := range appTags {
		must(t, remote.Write(parseRef(t, host+"/ns/app:"+tag), app))
	}
	s.app = digestOf(t, app)
	s.appConfig, _ = app.ConfigName()
	arm := imageFor(t, linuxARM64)
	must(t, remote.Write(parseRef(t, host+"/ns/armimg:v1"), arm))
	s.armImage = digestOf(t, arm)
	amd64 := imageFor(t, linuxAMD64)
	multi := mutate.AppendManifests(indexOf(t), mutate.IndexAddendum{
		Add: amd64, Descriptor: v1.Descriptor{Platform: &linuxAMD64}})
	multi = mutate.AppendManifests(multi, indexAddenda(t, linuxARM64v8, attestation)...)
	s.multiAMD64 = digestOf(t, amd64)
	s.multiAMD64Cfg, _ = amd64.ConfigName()
	must(t, remote.WriteIndex(parseRef(t, host+"/ns/multi:v1"), multi))
	s.multi = digestOf(t, multi)
	armOnly := indexOf(t, linuxARM64, linuxARMv7)
	must(t, remote.WriteIndex(parseRef(t, host+"/ns/armonly:v1"), armOnly))
	s.armOnly = digestOf(t, armOnly)
	return s
}

// imageFor returns a random image whose config names platform p.
func imageFor(t *testing.T, p v1.Platform) v1.Image {
	t.Helper()
	img, err := random.Image(256, 1)
	must(t, err)
	cfg, err := img.ConfigFile()
	must(t, err)
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Architecture, p.Variant
	img, err = mutate.ConfigFile(img, cfg)
	must(t, err)
	return img
}

// indexOf returns an OCI index with one random image per platform.
func indexOf(t *testing.T, platforms ...v1.Platform) v1.ImageIndex {
	t.Helper()
	return mutate.AppendManifests(empty.Index, indexAddenda(t, platforms...)...)
}

// indexAddenda returns one random image per platform, ready for an index.
func indexAddenda(t *testing.T, platforms ...v1.Platform) []mutate.IndexAddendum {
	t.Helper()
	var adds []mutate.IndexAddendum
	for _, p := range platforms {
		p := p
		adds = append(adds, mutate.IndexAddendum{
			Add:        imageFor(t, p),
			Descriptor: v1.Descriptor{Platform: &p},
		})
	}
	return adds
}

// digestOf returns the digest of an image or index.
func digestOf(t *testing.T, d interface{ Digest() (v1.Hash, error) }) v1.Hash {
	t.Helper()
	h, err := d.Digest()
	must(t, err)
	return h
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// parseRef parses an image reference or fails the test.
func parseRef(t *testing.T, s string) name.Reference {
	t.Helper()
	ref, err := name.ParseReference(s)
	must(t, err)
	return ref
}

// cleanTransport is a fresh production-like base transport.
func cleanTransport() *http.Transport {
	return http.DefaultTransport.(*http.Transport).Clone()
}

// dialing returns a transport whose every dial fails with fail(addr).
func dialing(fail func(addr string) error) *http.Transport {
	tr := cleanTransport()
	tr.DialContext = func(_ context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: fail(addr)}
	}
	return tr
}
