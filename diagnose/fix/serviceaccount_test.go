package fix

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

const (
	appendAt1 = `[{"op":"test","path":"/metadata/resourceVersion","value":"1"},` +
		`{"op":"add","path":"/imagePullSecrets/-","value":{"name":"all-icr-io"}}]`
	createAt1 = `[{"op":"test","path":"/metadata/resourceVersion","value":"1"},` +
		`{"op":"add","path":"/imagePullSecrets","value":[{"name":"all-icr-io"}]}]`
)

var (
	getSA     = get("serviceaccounts", "shop", "default")
	getSecret = get("secrets", "shop", "all-icr-io")
)

func patchSA(patch string, dryRun bool) call {
	c := call{Verb: "patch", Resource: "serviceaccounts", Namespace: "shop", Name: "default", Patch: patch}
	if dryRun {
		c.DryRun = []string{"All"}
	}
	return c
}

// saSecrets is what the tracker holds of shop/default's imagePullSecrets;
// nil when the service account does not exist.
func saSecrets(t *testing.T, cs *fake.Clientset) []string {
	t.Helper()
	obj, err := cs.Tracker().Get(corev1.SchemeGroupVersion.WithResource("serviceaccounts"), "shop", "default")
	if err != nil {
		return nil
	}
	names := []string{}
	for _, r := range obj.(*corev1.ServiceAccount).ImagePullSecrets {
		names = append(names, r.Name)
	}
	return names
}

func TestPatchServiceAccount(t *testing.T) {
	added := Result{Action: diagnose.PatchServiceAccount, Changed: true,
		Summary: "added all-icr-io to the imagePullSecrets of service account shop/default; pods created from now on use it"}
	listed := Result{Action: diagnose.PatchServiceAccount, Summary: "service account shop/default already lists all-icr-io"}
	copied := managedCopy("shop", currentKey, "U1", "1")
	// meanwhile changes the service account before the first patch.
	meanwhile := func(sa *corev1.ServiceAccount) func(cs *fake.Clientset) {
		return func(cs *fake.Clientset) {
			done := false
			cs.PrependReactor("patch", "serviceaccounts", func(k8stesting.Action) (bool, runtime.Object, error) {
				if !done {
					done = true
					sa.ResourceVersion = "7"
					return false, nil, cs.Tracker().Update(corev1.SchemeGroupVersion.WithResource("serviceaccounts"), sa, "shop")
				}
				return false, nil, nil
			})
		}
	}
	tests := []struct {
		name  string
		objs  []runtime.Object
		args  map[string]string
		dry   bool
		react func(cs *fake.Clientset)
		want  Result
		err   error
		calls []call
		after []string
	}{{
		name:  "appends to the list at the resourceVersion it read",
		objs:  []runtime.Object{copied, serviceAccount("shop", "default", "other")},
		want:  added,
		calls: []call{getSecret, getSA, patchSA(appendAt1, false)},
		after: []string{"other", "all-icr-io"},
	}, {
		name:  "creates a missing list",
		objs:  []runtime.Object{copied, serviceAccount("shop", "default")},
		want:  added,
		calls: []call{getSecret, getSA, patchSA(createAt1, false)},
		after: []string{"all-icr-io"},
	}, {
		name: "dry run sends a dry-run patch",
		objs: []runtime.Object{copied, serviceAccount("shop", "default")},
		dry:  true,
		want: Result{Action: diagnose.PatchServiceAccount, DryRun: true,
			Summary: "would add all-icr-io to the imagePullSecrets of service account shop/default; pods created from now on use it"},
		calls: []call{getSecret, getSA, patchSA(createAt1, true)},
		after: []string{},
	}, {
		name:  "a listed secret is a no-op",
		objs:  []runtime.Object{copied, serviceAccount("shop", "default", "all-icr-io")},
		want:  listed,
		calls: []call{getSecret, getSA},
		after: []string{"all-icr-io"},
	}, {
		name:  "a missing service account is a refusal",
		objs:  []runtime.Object{copied, serviceAccount("shop", "builder")},
		err:   &PreconditionError{Msg: "service account shop/default does not exist"},
		calls: []call{getSecret, getSA},
	}, {
		name:  "a missing secret is a refusal",
		objs:  []runtime.Object{serviceAccount("shop", "default")},
		err:   &PreconditionError{Msg: "secret shop/all-icr-io does not exist: copy it first"},
		calls: []call{getSecret},
		after: []string{},
	}, {
		name:  "a secret that is not a pull secret is a refusal",
		objs:  []runtime.Object{&corev1.Secret{ObjectMeta: copied.ObjectMeta, Type: corev1.SecretTypeOpaque}, serviceAccount("shop", "default")},
		err:   &PreconditionError{Msg: "secret shop/all-icr-io is not an image pull secret (type Opaque)"},
		calls: []call{getSecret},
		after: []string{},
	}, {
		name: "other arguments are honoured",
		objs: []runtime.Object{pullSecret("shop", "de-icr-io", currentKey), serviceAccount("shop", "builder")},
		args: map[string]string{"serviceAccount": "builder", "secret": "de-icr-io"},
		want: Result{Action: diagnose.PatchServiceAccount, Changed: true, Summary: "added de-icr-io to the imagePullSecrets of service account shop/builder; pods created from now on use it"},
		calls: []call{get("secrets", "shop", "de-icr-io"), get("serviceaccounts", "shop", "builder"), {Verb: "patch", Resource: "serviceaccounts", Namespace: "shop", Name: "builder",
			Patch: `[{"op":"test","path":"/metadata/resourceVersion","value":"1"},{"op":"add","path":"/imagePullSecrets","value":[{"name":"de-icr-io"}]}]`}},
	}, {
		name:  "a change made meanwhile fails the test and is re-read",
		objs:  []runtime.Object{copied, serviceAccount("shop", "default")},
		react: meanwhile(serviceAccount("shop", "default", "other")),
		want:  added,
		calls: []call{getSecret, getSA, patchSA(createAt1, false), getSA, patchSA(
			`[{"op":"test","path":"/metadata/resourceVersion","value":"7"},{"op":"add","path":"/imagePullSecrets/-","value":{"name":"all-icr-io"}}]`, false)},
		after: []string{"other", "all-icr-io"},
	}, {
		name:  "the secret added meanwhile is a no-op",
		objs:  []runtime.Object{copied, serviceAccount("shop", "default")},
		react: meanwhile(serviceAccount("shop", "default", "all-icr-io")),
		want:  listed,
		calls: []call{getSecret, getSA, patchSA(createAt1, false), getSA},
		after: []string{"all-icr-io"},
	}, {
		name: "a second failed patch is an error",
		objs: []runtime.Object{copied, serviceAccount("shop", "default")},
		react: func(cs *fake.Clientset) {
			cs.PrependReactor("patch", "serviceaccounts", fail(apierrors.NewConflict(corev1.Resource("serviceaccounts"), "default", errors.New("busy"))))
		},
		err:   errors.New(`patching service account shop/default: Operation cannot be fulfilled on serviceaccounts "default": busy`),
		calls: []call{getSecret, getSA, patchSA(createAt1, false), getSA, patchSA(createAt1, false)},
		after: []string{},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := sandbox.NewClientset(tt.objs...)
			if tt.react != nil {
				tt.react(cs)
			}
			req := Request{Action: diagnose.PatchServiceAccount, Namespace: "shop", Args: tt.args, DryRun: tt.dry, Actor: "U123"}
			res, err := apply(t, &patchServiceAccount{kube: cs}, req)
			checkErr(t, err, tt.err)
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.calls, calls(cs)); diff != "" {
				t.Errorf("API calls (-want +got):\n%s", diff)
			}
			if tt.args == nil {
				if diff := cmp.Diff(tt.after, saSecrets(t, cs), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("imagePullSecrets afterwards (-want +got):\n%s", diff)
				}
			}
		})
	}
}
