package fix

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestCopySources: copy-pull-secret and sync-pull-secret copy only the
// sources the operator allows (default/all-icr-io unless told otherwise),
// whatever secret a remedy, a button or a typed command names. A refusal
// makes no API call at all: nothing is read, nothing created.
func TestCopySources(t *testing.T) {
	token := pullSecret("default", "other-secret", oldKey)
	partner := pullSecret("default", "partner-pull", currentKey)
	// A tenant's forged "copy" of default/other-secret, to have it synced.
	forged := managedCopy("shop", oldKey, "U9", "1")
	forged.Name, forged.Annotations[SourceAnnotation] = "other-secret", "default/other-secret"
	refusal := func(name, allowed string) error {
		return &PreconditionError{Msg: "default/" + name + " is not a pull secret pullcheck may copy: it copies only " + allowed +
			", the sources its operator allows"}
	}
	tests := []struct {
		name    string
		action  diagnose.Action
		sources []string
		secret  string
		err     error
		calls   []call
	}{{
		name: "copy of another secret of default", action: diagnose.CopyPullSecret, secret: "other-secret",
		err: refusal("other-secret", "default/all-icr-io"),
	}, {
		name: "sync of a forged copy", action: diagnose.SyncPullSecret, secret: "other-secret",
		err: refusal("other-secret", "default/all-icr-io"),
	}, {
		name: "copy of a source the operator did not list", action: diagnose.CopyPullSecret, sources: []string{"all-icr-io", "partner-pull"},
		secret: "other-secret", err: refusal("other-secret", "default/all-icr-io, default/partner-pull"),
	}, {
		name: "copy of a listed source", action: diagnose.CopyPullSecret, sources: []string{"all-icr-io", "partner-pull"},
		secret: "partner-pull",
		calls:  []call{get("secrets", "default", "partner-pull"), get("secrets", "shop", "partner-pull"), {Verb: "create", Resource: "secrets", Namespace: "shop", Name: "partner-pull"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := sandbox.NewClientset([]runtime.Object{source(), token, partner, forged}...)
			var opts []Option
			if tt.sources != nil {
				opts = append(opts, WithCopySources(tt.sources...))
			}
			_, err := New(cs, nil, "", opts...).Apply(context.Background(), Request{Action: tt.action, Namespace: "shop",
				Args: map[string]string{"secret": tt.secret}, Actor: "U123"})
			checkErr(t, err, tt.err)
			got := calls(cs)
			for i := range got {
				got[i].Object = nil // the create's content is TestCopyPullSecret's concern
			}
			if diff := cmp.Diff(tt.calls, got); diff != "" {
				t.Errorf("API calls (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCopySourcesPermits: Permits tells, without an API call, which
// remedies the fixers would refuse for their source, so that no button
// offers them.
func TestCopySourcesPermits(t *testing.T) {
	s := New(sandbox.NewClientset(), nil, "", WithCopySources("all-icr-io", "partner-pull"))
	for _, tc := range []struct {
		action diagnose.Action
		args   map[string]string
		want   bool
	}{
		{diagnose.CopyPullSecret, nil, true},
		{diagnose.CopyPullSecret, map[string]string{"secret": "partner-pull"}, true},
		{diagnose.CopyPullSecret, map[string]string{"secret": "other-secret"}, false},
		{diagnose.SyncPullSecret, map[string]string{"secret": "other-secret"}, false},
		{diagnose.PatchServiceAccount, map[string]string{"secret": "other-secret"}, true},
	} {
		if got := s.Permits(tc.action, tc.args); got != tc.want {
			t.Errorf("Permits(%s, %v) = %t, want %t", tc.action, tc.args, got, tc.want)
		}
	}
}
