package pullerr

import (
	"strings"
	"testing"
)

// FuzzClassify feeds arbitrary messages through Classify and Split: neither
// panics, Classify is deterministic and names a known class, and Split only
// cuts an aggregate whose parts, printed the way the kubelet prints them,
// give back the message.
func FuzzClassify(f *testing.F) {
	for _, m := range messages {
		f.Add(m.msg)
	}
	f.Add(aggregate(errNotFound, err401))
	f.Add(`Back-off pulling image "a": ErrImagePull: ` + aggregate(errPlatform, errCRIO403))
	f.Add("[rpc error: code = , rpc error: code = ]")
	f.Add("[, rpc error: code = x]")
	f.Fuzz(func(t *testing.T, msg string) {
		c := Classify(msg)
		if again := Classify(msg); again != c {
			t.Fatalf("Classify(%q) = %q, then %q", msg, c, again)
		}
		if _, ok := descriptions[c]; !ok {
			t.Fatalf("Classify(%q) = %q, which is no Class", msg, c)
		}
		parts := Split(msg)
		switch {
		case len(parts) == 0:
			t.Fatalf("Split(%q) returned no part", msg)
		case len(parts) == 1:
			if parts[0] != msg {
				t.Fatalf("Split(%q) = %q, want the message whole", msg, parts)
			}
		default:
			if joined := "[" + strings.Join(parts, ", ") + "]"; joined != msg {
				t.Fatalf("Split(%q) = %q, which joins to %q", msg, parts, joined)
			}
			for _, p := range parts {
				if !startsPullError(p) {
					t.Fatalf("Split(%q) has part %q, which is no pull error", msg, p)
				}
			}
			if repeats(parts) {
				t.Fatalf("Split(%q) = %q repeats a part", msg, parts)
			}
		}
	})
}
