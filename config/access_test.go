package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCopySources(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", []string{"all-icr-io"}},
		{"default/all-icr-io, default/partner-pull,default/all-icr-io", []string{"all-icr-io", "partner-pull"}},
		{"default/partner-pull", []string{"partner-pull"}},
	} {
		c, err := Load(env(map[string]string{KeyCopySources: tc.in}))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if diff := cmp.Diff(tc.want, c.CopySources); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, diff)
		}
	}
	for _, bad := range []string{"all-icr-io", "kube-system/some-token", "default/", "default/Bad_Name", "default/a/b"} {
		_, err := Load(env(map[string]string{KeyCopySources: bad}))
		if err == nil || !strings.Contains(err.Error(), KeyCopySources) || !strings.Contains(err.Error(), "example: default/all-icr-io") {
			t.Errorf("%q: error %v, want one naming %s with an example", bad, err, KeyCopySources)
		}
	}
}
