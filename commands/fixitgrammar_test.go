package commands

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose"
)

func TestParseFixIt(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Command
		wantErr string
	}{
		{"fixit shop/web-1 copy-pull-secret,restart-pod", Command{Verb: FixIt, Ref: ObjectRef{"shop", "web-1"},
			Steps: []diagnose.Action{diagnose.CopyPullSecret, diagnose.RestartPod}}, ""},
		{"FIXIT shop/web-1 restart-pod", Command{Verb: FixIt, Ref: ObjectRef{"shop", "web-1"}, Steps: []diagnose.Action{diagnose.RestartPod}}, ""},
		{"fixit shop/web-1", Command{}, "fixit expects <namespace>/<pod> <action>,<action>…"},
		{"fixit shop/web-1 copy-pull-secret,,restart-pod", Command{}, `"" is not a fix`},
		{"fixit shop/web-1 rerun,restart-pod", Command{}, `"rerun" is not a fix`},
		{"fixit shop/web-1 restart-pod,restart-pod", Command{}, "fixit names restart-pod twice"},
		{"fixit shop copy-pull-secret", Command{}, "is not <namespace>/<pod name>"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Parse(tc.in)
			if tc.wantErr != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want a UsageError with %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			again, err := Parse(got.String())
			if diff := cmp.Diff(got, again); err != nil || diff != "" {
				t.Errorf("round trip of %q: %v (-first +again):\n%s", got.String(), err, diff)
			}
		})
	}
}
