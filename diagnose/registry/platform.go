package registry

import (
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// defaultPlatform resolves an index when the request names no platform, as
// the container runtimes of most nodes would.
var defaultPlatform = v1.Platform{OS: "linux", Architecture: "amd64"}

// platformString formats p as os/arch[/variant], "" when p is empty.
func platformString(p v1.Platform) string {
	if p.OS == "" && p.Architecture == "" {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// indexPlatforms lists the platforms of an index's children, skipping
// attestation manifests (unknown/unknown) and children without a platform.
func indexPlatforms(im *v1.IndexManifest) []string {
	var out []string
	for _, d := range im.Manifests {
		if d.Platform == nil || d.Platform.OS == "unknown" {
			continue
		}
		if s := platformString(*d.Platform); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pickChild returns the index child a container runtime would pull for want:
// an exact variant first, then the highest compatible lower one.
func pickChild(im *v1.IndexManifest, want v1.Platform) (v1.Descriptor, bool) {
	best, bestRank := v1.Descriptor{}, -1
	for _, d := range im.Manifests {
		if d.Platform == nil {
			continue
		}
		if r := matchRank(want, *d.Platform); r > bestRank {
			best, bestRank = d, r
		}
	}
	return best, bestRank >= 0
}

// Runs reports whether an image built for image runs on a node of platform
// node, by the same rules as the probe's choice of an index's child (see
// matchRank).
func Runs(node, image v1.Platform) bool { return matchRank(node, image) >= 0 }

// platformMatches reports whether a single image's platform (from its
// config) suits want; it does when either side is unknown.
func platformMatches(want v1.Platform, got *v1.Platform) bool {
	if got == nil || got.OS == "" || got.Architecture == "" || want.OS == "" || want.Architecture == "" {
		return true
	}
	return matchRank(want, *got) >= 0
}

// matchRank is -1 when got cannot run on want, else a preference: higher is
// closer. It follows containerd's platforms.Only after normalization (x86_64
// = amd64, aarch64 = arm64 with v8 as the default variant, arm defaulting to
// v7): an arm vN node runs v5…vN images, an arm64 node runs lower arm64
// variants and then arm v8…v5, an amd64 vN node runs v1…vN and then 386.
// amd64 is lenient: the kubelet reports no microarchitecture level, so a node
// without a variant runs any amd64 image, baseline first.
func matchRank(want, got v1.Platform) int {
	w, g := normalize(want), normalize(got)
	switch {
	case w.OS != g.OS:
		return -1
	case w.Architecture != g.Architecture:
		return fallbackRank(w, g)
	case w.Variant == g.Variant:
		return 1000
	case w.Architecture == "amd64" && w.Variant == "":
		if level := variantLevel(g.Variant); level > 0 {
			return 500 - level
		}
		return 100
	case w.Architecture == "amd64", w.Architecture == "arm", w.Architecture == "arm64":
		if lv, gv := variantLevel(w.Variant), variantLevel(g.Variant); gv <= lv && gv > 0 {
			return gv
		}
	}
	return -1
}

// fallbackRank ranks the other architectures containerd accepts on a node,
// below every image of the node's own architecture.
func fallbackRank(w, g v1.Platform) int {
	switch {
	case w.Architecture == "amd64" && g.Architecture == "386":
		return 5
	case w.Architecture == "arm64" && g.Architecture == "arm":
		if gv := variantLevel(g.Variant); gv >= 50 && gv <= 80 {
			return gv / 10
		}
	}
	return -1
}

// normalize lower-cases p and applies containerd's architecture aliases and
// default variants.
func normalize(p v1.Platform) v1.Platform {
	n := v1.Platform{OS: strings.ToLower(p.OS), Architecture: strings.ToLower(p.Architecture),
		Variant: strings.ToLower(p.Variant)}
	switch n.Architecture {
	case "x86_64", "x86-64":
		n.Architecture = "amd64"
	case "aarch64":
		n.Architecture = "arm64"
	case "armhf":
		n.Architecture, n.Variant = "arm", "v7"
	case "armel":
		n.Architecture, n.Variant = "arm", "v6"
	}
	switch {
	case n.Architecture == "amd64" && n.Variant == "v1":
		n.Variant = ""
	case n.Architecture == "arm64" && (n.Variant == "" || n.Variant == "8"):
		n.Variant = "v8"
	case n.Architecture == "arm" && n.Variant == "":
		n.Variant = "v7"
	case n.Architecture == "arm" && len(n.Variant) == 1:
		n.Variant = "v" + n.Variant
	}
	return n
}

// variantLevel turns "v7" into 70 and "v8.2" into 82 so variants compare as
// numbers; an empty variant (amd64 v1) is 10; anything else is 0.
func variantLevel(v string) int {
	if v == "" {
		return 10
	}
	major, minor, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	m, err := strconv.Atoi(major)
	if err != nil || m < 1 {
		return 0
	}
	n, err := strconv.Atoi(minor)
	if err != nil || n > 9 {
		n = 0
	}
	return m*10 + n
}
