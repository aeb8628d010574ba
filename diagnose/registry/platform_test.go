package registry

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// plat builds a platform from os, architecture and variant.
func plat(os, arch, variant string) v1.Platform {
	return v1.Platform{OS: os, Architecture: arch, Variant: variant}
}

// indexFor builds an index manifest whose children have these platforms;
// each child's digest field is not set, its Annotations name it.
func indexFor(platforms ...v1.Platform) *v1.IndexManifest {
	im := &v1.IndexManifest{}
	for _, p := range platforms {
		p := p
		im.Manifests = append(im.Manifests, v1.Descriptor{Platform: &p,
			Annotations: map[string]string{"p": platformString(p)}})
	}
	im.Manifests = append(im.Manifests, v1.Descriptor{Annotations: map[string]string{"p": "none"}})
	return im
}

func TestPickChild(t *testing.T) {
	tests := []struct {
		name     string
		children []v1.Platform
		want     v1.Platform
		pick     string // "" for no match
	}{
		{"exact", []v1.Platform{plat("linux", "arm64", "v8"), plat("linux", "amd64", "")}, plat("linux", "amd64", ""), "linux/amd64"},
		{"os differs", []v1.Platform{plat("windows", "amd64", "")}, plat("linux", "amd64", ""), ""},
		{"arm64 only for amd64", []v1.Platform{plat("linux", "arm64", ""), plat("linux", "arm", "v7")}, plat("linux", "amd64", ""), ""},
		{"aliases", []v1.Platform{plat("Linux", "x86_64", "")}, plat("linux", "amd64", ""), "Linux/x86_64"},
		{"amd64 node takes any level, baseline first", []v1.Platform{plat("linux", "amd64", "v3"), plat("linux", "amd64", "v2")}, plat("linux", "amd64", ""), "linux/amd64/v2"},
		{"amd64 v1 is the baseline", []v1.Platform{plat("linux", "amd64", "v2"), plat("linux", "amd64", "v1")}, plat("linux", "amd64", ""), "linux/amd64/v1"},
		{"amd64 v2 node runs v1 not v3", []v1.Platform{plat("linux", "amd64", "v3"), plat("linux", "amd64", "")}, plat("linux", "amd64", "v2"), "linux/amd64"},
		{"amd64 falls back to 386", []v1.Platform{plat("linux", "386", ""), plat("linux", "arm64", "")}, plat("linux", "amd64", ""), "linux/386"},
		{"amd64 prefers amd64 over 386", []v1.Platform{plat("linux", "386", ""), plat("linux", "amd64", "v2")}, plat("linux", "amd64", ""), "linux/amd64/v2"},
		{"arm64 default variant is v8", []v1.Platform{plat("linux", "arm64", "v8")}, plat("linux", "arm64", ""), "linux/arm64/v8"},
		{"aarch64", []v1.Platform{plat("linux", "aarch64", "")}, plat("linux", "arm64", "v8"), "linux/aarch64"},
		{"arm64 v8 cannot run v8.2", []v1.Platform{plat("linux", "arm64", "v8.2")}, plat("linux", "arm64", ""), ""},
		{"arm64 falls back to arm v7", []v1.Platform{plat("linux", "arm", "v6"), plat("linux", "arm", "v7")}, plat("linux", "arm64", ""), "linux/arm/v7"},
		{"arm v7 runs v6", []v1.Platform{plat("linux", "arm", "v6")}, plat("linux", "arm", "v7"), "linux/arm/v6"},
		{"arm default variant is v7", []v1.Platform{plat("linux", "arm", "7")}, plat("linux", "arm", ""), "linux/arm/7"},
		{"arm v6 cannot run v7", []v1.Platform{plat("linux", "arm", "v7")}, plat("linux", "arm", "v6"), ""},
		{"attestations never match", []v1.Platform{plat("unknown", "unknown", "")}, plat("linux", "amd64", ""), ""},
		{"s390x", []v1.Platform{plat("linux", "s390x", ""), plat("linux", "amd64", "")}, plat("linux", "s390x", ""), "linux/s390x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := pickChild(indexFor(tt.children...), tt.want)
			if got := d.Annotations["p"]; got != tt.pick || ok != (tt.pick != "") {
				t.Errorf("pickChild(%s) = %q, %v; want %q", platformString(tt.want), got, ok, tt.pick)
			}
		})
	}
}

func TestPlatformMatches(t *testing.T) {
	tests := []struct {
		name      string
		want      v1.Platform
		got       *v1.Platform
		wantMatch bool
	}{
		{"same", linuxAMD64, &linuxAMD64, true},
		{"different", linuxAMD64, &linuxARM64, false},
		{"image has no platform", linuxAMD64, nil, true},
		{"image has os only", linuxAMD64, &v1.Platform{OS: "linux"}, true},
		{"node unknown", v1.Platform{}, &linuxARM64, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := platformMatches(tt.want, tt.got); got != tt.wantMatch {
				t.Errorf("platformMatches() = %v, want %v", got, tt.wantMatch)
			}
		})
	}
}

func TestIndexPlatforms(t *testing.T) {
	im := indexFor(plat("linux", "amd64", ""), plat("linux", "arm", "v7"), plat("unknown", "unknown", ""), plat("windows", "amd64", ""))
	want := []string{"linux/amd64", "linux/arm/v7", "windows/amd64"}
	if diff := cmp.Diff(want, indexPlatforms(im)); diff != "" {
		t.Errorf("indexPlatforms() (-want +got):\n%s", diff)
	}
}

func TestRuns(t *testing.T) {
	tests := []struct {
		name        string
		node, image v1.Platform
		want        bool
	}{
		{"same", linuxAMD64, linuxAMD64, true},
		{"arm64 node, amd64 image", linuxARM64, linuxAMD64, false},
		{"x86_64 alias", linuxAMD64, v1.Platform{OS: "linux", Architecture: "x86_64"}, true},
		{"arm64 node runs arm v7", linuxARM64, v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}, true},
		{"other os", linuxAMD64, v1.Platform{OS: "windows", Architecture: "amd64"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Runs(tt.node, tt.image); got != tt.want {
				t.Errorf("Runs(%v, %v) = %v, want %v", tt.node, tt.image, got, tt.want)
			}
		})
	}
}
