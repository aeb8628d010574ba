package registry

import (
	"sort"
	"strconv"
	"strings"
)

// nearestTags returns up to n of tags closest to want, the tag that was not
// found. Ranking, best first:
//
//  1. version neighbours: in want's family (same prefix, ignoring a lone
//     "v", and same suffix), the nearest lower and higher versions and any
//     numerically equal one ("1.2.4" for "v1.2.4");
//  2. tags with want's prefix (the part before the first digit);
//  3. the rest.
//
// Within a rank, smaller edit distance first, then alphabetical. Signature
// and attestation tags ("sha256-…") are never suggested.
func nearestTags(want string, tags []string, n int) []string {
	wv := parseVersion(want)
	neighbours := versionNeighbours(wv, tags)
	type candidate struct {
		tag        string
		rank, dist int
	}
	var cands []candidate
	for _, t := range tags {
		if t == want || strings.HasPrefix(t, "sha256-") {
			continue
		}
		rank := 2
		switch {
		case neighbours[t]:
			rank = 0
		case parseVersion(t).prefix == wv.prefix:
			rank = 1
		}
		cands = append(cands, candidate{t, rank, editDistance(want, t)})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		return a.tag < b.tag
	})
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].tag)
	}
	return out
}

// version is a tag split as prefix, dotted numbers and suffix:
// "v1.2.3-alpine" is {"", [1 2 3], "-alpine"} (a lone "v" prefix is dropped).
type version struct {
	prefix string
	nums   []int
	suffix string
}

// parseVersion splits tag; nums is empty when tag has no digits.
func parseVersion(tag string) version {
	i := strings.IndexAny(tag, "0123456789")
	if i < 0 {
		return version{prefix: tag}
	}
	v := version{prefix: tag[:i]}
	if strings.EqualFold(v.prefix, "v") {
		v.prefix = ""
	}
	rest := tag[i:]
	for {
		j := 0
		for j < len(rest) && j < 9 && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		num, _ := strconv.Atoi(rest[:j])
		v.nums = append(v.nums, num)
		rest = rest[j:]
		if len(rest) < 2 || rest[0] != '.' || rest[1] < '0' || rest[1] > '9' {
			break
		}
		rest = rest[1:]
	}
	v.suffix = rest
	return v
}

// versionNeighbours returns the tags in want's family that are numerically
// equal to it or nearest below or above it.
func versionNeighbours(want version, tags []string) map[string]bool {
	out := map[string]bool{}
	if len(want.nums) == 0 {
		return out
	}
	family := map[string][]int{}
	var below, above []int
	for _, t := range tags {
		v := parseVersion(t)
		if len(v.nums) == 0 || v.prefix != want.prefix || v.suffix != want.suffix {
			continue
		}
		family[t] = v.nums
		c := compareNums(v.nums, want.nums)
		if c < 0 && (below == nil || compareNums(v.nums, below) > 0) {
			below = v.nums
		}
		if c > 0 && (above == nil || compareNums(v.nums, above) < 0) {
			above = v.nums
		}
	}
	for t, nums := range family {
		for _, target := range [][]int{want.nums, below, above} {
			if target != nil && compareNums(nums, target) == 0 {
				out[t] = true
			}
		}
	}
	return out
}

// compareNums compares dotted numbers, missing parts counting as zero.
func compareNums(a, b []int) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// editDistance is the Levenshtein distance between a and b, in bytes (tags
// are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
