package pullerr

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
)

const (
	errNotFound = `rpc error: code = NotFound desc = failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": us.icr.io/shop/web:1.0: not found`
	err401      = `failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token?scope=repository%3Ashop%2Fweb%3Apull&service=registry: 401 Unauthorized`
	errPlatform = `rpc error: code = Unknown desc = initializing source docker://us.icr.io/shop/web:1.0: choosing image instance: no image found in image index for architecture arm64, variant "v8", OS linux`
	errCRIO403  = `reading manifest 1.0 in us.icr.io/shop/web: denied: You are not authorized to access the specified resource.`
)

// aggregate prints errs as the kubelet does when every credential failed.
func aggregate(msgs ...string) string {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = errors.New(m)
	}
	return utilerrors.NewAggregate(errs).Error()
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want []string
	}{
		{"single error", aggregate(errNotFound), []string{errNotFound}},
		{"two errors", aggregate(errNotFound, err401), []string{errNotFound, err401}},
		{"three errors of two runtimes' wording", aggregate(err401, errPlatform, errCRIO403), []string{err401, errPlatform, errCRIO403}},
		{"duplicates print once", aggregate(err401, err401), []string{err401}},
		{"duplicates among others print once", aggregate(err401, errNotFound, err401), []string{err401, errNotFound}},
		{"a comma inside one error", errPlatform, []string{errPlatform}},
		{"a comma inside a bracketed error", "[" + errPlatform + "]", []string{"[" + errPlatform + "]"}},
		{"bracketed text that is no pull error", "[a, b]", []string{"[a, b]"}},
		{"second part no pull error", "[" + err401 + ", and more]", []string{"[" + err401 + ", and more]"}},
		{"repeated parts are no aggregate", "[" + err401 + ", " + err401 + "]", []string{"[" + err401 + ", " + err401 + "]"}},
		{"no closing bracket", "[" + err401 + ", " + errNotFound, []string{"[" + err401 + ", " + errNotFound}},
		{"event lead-in left to Classify", `Failed to pull image "us.icr.io/shop/web:1.0": ` + aggregate(err401, errNotFound),
			[]string{`Failed to pull image "us.icr.io/shop/web:1.0": ` + aggregate(err401, errNotFound)}},
		{"empty", "", []string{""}},
		{"brackets only", "[]", []string{"[]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Split(tc.msg)); diff != "" {
				t.Errorf("Split(%q) mismatch (-want +got):\n%s", tc.msg, diff)
			}
		})
	}
}

// TestSplitRoundTrip checks Split against the kubelet's own formatting: the
// parts of every aggregate of real messages are the messages.
func TestSplitRoundTrip(t *testing.T) {
	var msgs []string
	for _, m := range messages {
		if m.msg != "" && startsPullError(m.msg) {
			msgs = append(msgs, m.msg)
		}
	}
	for i := 0; i+1 < len(msgs); i++ {
		a, b := msgs[i], msgs[i+1]
		if diff := cmp.Diff([]string{a, b}, Split(aggregate(a, b))); diff != "" {
			t.Errorf("Split of the aggregate of %q and %q mismatch (-want +got):\n%s", a, b, diff)
		}
	}
	if len(msgs) < 10 {
		t.Fatalf("only %d messages start like a pull error; the round trip proves little", len(msgs))
	}
}
