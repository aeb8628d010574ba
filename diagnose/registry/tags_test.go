package registry

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNearestTags(t *testing.T) {
	tests := []struct {
		name string
		want string
		tags []string
		out  []string
	}{{
		name: "semver neighbours first",
		want: "v1.2.4",
		tags: []string{"latest", "v2.0.0", "v1.3.0", "v1.2.5", "v1.2.3", "v1.2.40", "v1", "dev"},
		out:  []string{"v1.2.3", "v1.2.5", "v1.2.40", "v1.3.0", "v2.0.0"},
	}, {
		name: "a missing v is the same version",
		want: "v1.2.4",
		tags: []string{"1.2.4", "1.2.3", "v1.2.9", "latest"},
		out:  []string{"1.2.4", "v1.2.9", "1.2.3", "latest"},
	}, {
		name: "suffix family",
		want: "1.25-alpine",
		tags: []string{"1.25", "1.24-alpine", "1.26-alpine", "1.27-alpine", "alpine"},
		out:  []string{"1.24-alpine", "1.26-alpine", "1.27-alpine", "1.25", "alpine"},
	}, {
		name: "same prefix before others",
		want: "prod-2024.05",
		tags: []string{"dev-2024.05", "prod-2024.04", "prod-2023.01", "prod-2024.07"},
		out:  []string{"prod-2024.04", "prod-2024.07", "prod-2023.01", "dev-2024.05"},
	}, {
		name: "typo by edit distance",
		want: "lastest",
		tags: []string{"stable", "latest", "v1", "lts"},
		out:  []string{"latest", "lts", "stable", "v1"},
	}, {
		name: "signature tags skipped, at most five",
		want: "v3",
		tags: []string{"sha256-abc.sig", "v1", "v2", "v4", "v5", "v6", "v7", "v8"},
		out:  []string{"v2", "v4", "v1", "v5", "v6"},
	}, {
		name: "no tags",
		want: "v1",
		out:  nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.out, nearestTags(tt.want, tt.tags, 5)); diff != "" {
				t.Errorf("nearestTags(%q) (-want +got):\n%s", tt.want, diff)
			}
		})
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		tag  string
		want version
	}{
		{"v1.2.3", version{nums: []int{1, 2, 3}}},
		{"V10", version{nums: []int{10}}},
		{"1.25-alpine3.19", version{nums: []int{1, 25}, suffix: "-alpine3.19"}},
		{"prod-2024.05", version{prefix: "prod-", nums: []int{2024, 5}}},
		{"latest", version{prefix: "latest"}},
		{"1.", version{nums: []int{1}, suffix: "."}},
		{"12345678901234", version{nums: []int{123456789}, suffix: "01234"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseVersion(tt.tag), cmp.AllowUnexported(version{})); diff != "" {
			t.Errorf("parseVersion(%q) (-want +got):\n%s", tt.tag, diff)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"latest", "lastest", 1}, {"v1.2.4", "1.2.4", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzNearestTags feeds registry-controlled tag lists to the ranking.
func FuzzNearestTags(f *testing.F) {
	f.Add("v1.2.4", "v1.2.3,v1.2.5,latest,sha256-x.sig")
	f.Add("1.", "1.,1..2,.1,99999999999999999999")
	f.Fuzz(func(t *testing.T, want, joined string) {
		tags := strings.Split(joined, ",")
		got := nearestTags(want, tags, 5)
		if len(got) > 5 {
			t.Fatalf("%d tags, want at most 5", len(got))
		}
		for _, tag := range got {
			if tag == want || strings.HasPrefix(tag, "sha256-") || !contains(tags, tag) {
				t.Fatalf("suggested %q for %q from %q", tag, want, tags)
			}
		}
	})
}

// contains reports whether s holds v.
func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
