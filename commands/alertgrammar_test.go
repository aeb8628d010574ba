package commands

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseAlert(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Command
		wantErr string
	}{
		{"ack incident 3f2a9c1b7d0e", Command{Verb: Ack, Alert: AlertRef{IncidentAlert, "3f2a9c1b7d0e"}}, ""},
		{"ack storm ~AbC-d_e1234", Command{Verb: Ack, Alert: AlertRef{StormAlert, "~AbC-d_e1234"}}, ""},
		{"mute incident 3f2a9c1b7d0e 1h", Command{Verb: Mute, Alert: AlertRef{IncidentAlert, "3f2a9c1b7d0e"}, For: time.Hour}, ""},
		{"MUTE Storm 3f2a 1D", Command{Verb: Mute, Alert: AlertRef{StormAlert, "3f2a"}, For: 24 * time.Hour}, ""},
		{"ack incident", Command{}, "ack expects <incident|storm> <id>"},
		{"mute incident 3f2a", Command{}, "mute expects <incident|storm> <id> <1h|1d>"},
		{"mute incident 3f2a 2h", Command{}, `muted for 1h or 1d, not "2h"`},
		{"ack pod 3f2a", Command{}, `"pod" is not an alert kind`},
		{"ack incident <!here>", Command{}, "is not an alert ID"},
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
			if diff := cmp.Diff(tc.want, got); err != nil || diff != "" {
				t.Fatalf("Parse: %v (-want +got):\n%s", err, diff)
			}
			again, err := Parse(got.String())
			if diff := cmp.Diff(got, again); err != nil || diff != "" {
				t.Errorf("round trip of %q: %v (-first +again):\n%s", got.String(), err, diff)
			}
		})
	}
}
