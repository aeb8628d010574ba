package commands

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseObjectRef(t *testing.T) {
	tests := []struct {
		in      string
		want    ObjectRef
		wantErr string
	}{
		{"shop/web-7d9f", ObjectRef{"shop", "web-7d9f"}, ""},
		{" kube-system/coredns-1.a ", ObjectRef{"kube-system", "coredns-1.a"}, ""},
		{"web", ObjectRef{}, "is not <namespace>/<pod name>"},
		{"/web", ObjectRef{}, "is not <namespace>/<pod name>"},
		{"shop/", ObjectRef{}, "is not <namespace>/<pod name>"},
		{"a/b/c", ObjectRef{}, "is not <namespace>/<pod name>"},
		{"Shop/web", ObjectRef{}, "not a valid namespace name"},
		{"shop/Web_1", ObjectRef{}, "not a valid pod name"},
		{"shop/" + strings.Repeat("a", 300), ObjectRef{}, "not a valid pod name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseObjectRef("pod", tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseObjectRef(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "example") {
				t.Fatalf("ParseObjectRef(%q) error = %v; want UsageError containing %q and an example", tt.in, err, tt.wantErr)
			}
		})
	}
}

func FuzzParseObjectRef(f *testing.F) {
	for _, s := range []string{"shop/web", "a/b/c", "", "/", "Ünïcode/pod", "ns/" + strings.Repeat("x", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := ParseObjectRef("pod", s)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("error is not a UsageError: %v", err)
			}
			if utf8.ValidString(s) && len(err.Error()) > 400 {
				t.Fatalf("error message too long: %d", len(err.Error()))
			}
			return
		}
		if reparse(ref) != nil {
			t.Fatalf("round trip of %q failed", s)
		}
	})
}

// reparse re-parses a parsed reference: a valid one must survive.
func reparse(r ObjectRef) error {
	_, err := ParseObjectRef("pod", r.String())
	return err
}
