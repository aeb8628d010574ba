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

// ignoreServerFields leaves out what the fake API server fills in.
var ignoreServerFields = cmp.Options{
	cmpopts.IgnoreFields(corev1.Secret{}, "TypeMeta"),
	cmpopts.IgnoreFields(corev1.Secret{}, "ObjectMeta.ResourceVersion", "ObjectMeta.ManagedFields"),
}

// secretCase is one copy or sync test.
type secretCase struct {
	name  string
	objs  []runtime.Object
	args  map[string]string
	dry   bool
	react func(cs *fake.Clientset)
	want  Result
	err   error
	calls []call
	// after is shop/all-icr-io once Apply returned; nil means absent.
	after *corev1.Secret
}

func runSecretCases(t *testing.T, action diagnose.Action, tests []secretCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := sandbox.NewClientset(tt.objs...)
			if tt.react != nil {
				tt.react(cs)
			}
			req := Request{Action: action, Namespace: "shop", Args: tt.args, DryRun: tt.dry, Actor: "U123"}
			res, err := apply(t, New(cs, nil, "").fixers[action], req)
			checkErr(t, err, tt.err)
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.calls, calls(cs)); diff != "" {
				t.Errorf("API calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.after, stored(t, cs, "shop", "all-icr-io"), ignoreServerFields); diff != "" {
				t.Errorf("shop/all-icr-io afterwards (-want +got):\n%s", diff)
			}
		})
	}
}

var (
	getSource = get("secrets", "default", "all-icr-io")
	getTarget = get("secrets", "shop", "all-icr-io")
)

func TestCopyPullSecret(t *testing.T) {
	created := managedCopy("shop", currentKey, "U123", "")
	unmanaged := pullSecret("shop", "all-icr-io", oldKey)
	refused := &PreconditionError{Msg: "secret shop/all-icr-io exists and is not managed by pullcheck, which never overwrites a secret " +
		"it did not create: refresh it by hand, or label it app.kubernetes.io/managed-by=pullcheck and annotate it pullcheck.io/source=default/all-icr-io to hand it over"}
	opaque := source()
	opaque.Type = corev1.SecretTypeOpaque
	// raceWith makes the first create lose against obj, created meanwhile.
	raceWith := func(obj *corev1.Secret) func(cs *fake.Clientset) {
		return func(cs *fake.Clientset) {
			cs.PrependReactor("create", "secrets", func(a k8stesting.Action) (bool, runtime.Object, error) {
				if err := cs.Tracker().Add(obj); err != nil {
					return true, nil, err
				}
				return true, nil, apierrors.NewAlreadyExists(corev1.Resource("secrets"), obj.Name)
			})
		}
	}
	runSecretCases(t, diagnose.CopyPullSecret, []secretCase{{
		name:  "creates the copy",
		objs:  []runtime.Object{source()},
		want:  Result{Action: diagnose.CopyPullSecret, Changed: true, Summary: "created shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("create", created, false)},
		after: created,
	}, {
		name:  "dry run sends a dry-run create",
		objs:  []runtime.Object{source()},
		dry:   true,
		want:  Result{Action: diagnose.CopyPullSecret, DryRun: true, Summary: "would create shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("create", created, true)},
	}, {
		name:  "an up-to-date copy is left alone",
		objs:  []runtime.Object{source(), managedCopy("shop", currentKey, "U999", "1")},
		want:  Result{Action: diagnose.CopyPullSecret, Summary: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget},
		after: managedCopy("shop", currentKey, "U999", "1"),
	}, {
		name: "a stale managed copy is refreshed",
		objs: []runtime.Object{source(), managedCopy("shop", oldKey, "U999", "1")},
		want: Result{Action: diagnose.CopyPullSecret, Changed: true,
			Summary: "refreshed shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ", was " + hashOf(oldKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("update", managedCopy("shop", currentKey, "U123", "1"), false)},
		after: managedCopy("shop", currentKey, "U123", ""),
	}, {
		name:  "a secret pullcheck did not create is never overwritten",
		objs:  []runtime.Object{source(), unmanaged},
		err:   refused,
		calls: []call{getSource, getTarget},
		after: unmanaged,
	}, {
		name:  "a missing source is a refusal",
		err:   &PreconditionError{Msg: "default/all-icr-io does not exist: re-apply the cluster pull secret first"},
		calls: []call{getSource},
	}, {
		name:  "only pull secrets are copied",
		objs:  []runtime.Object{opaque},
		err:   &PreconditionError{Msg: "default/all-icr-io is not an image pull secret (type Opaque): pullcheck copies only pull secrets"},
		calls: []call{getSource},
	}, {
		name: "a secret name that is not a name is refused unread",
		args: map[string]string{"secret": "../all-icr-io"},
		err:  &PreconditionError{Msg: `"../all-icr-io" is not a valid secret name`},
	}, {
		name:  "a missing namespace is a refusal",
		objs:  []runtime.Object{source()},
		react: func(cs *fake.Clientset) { cs.PrependReactor("create", "secrets", notFound("namespaces", "shop")) },
		err:   &PreconditionError{Msg: "namespace shop does not exist"},
		calls: []call{getSource, getTarget, secretWrite("create", created, false)},
	}, {
		name:  "losing a create race to the same copy is a no-op",
		objs:  []runtime.Object{source()},
		react: raceWith(managedCopy("shop", currentKey, "U999", "7")),
		want:  Result{Action: diagnose.CopyPullSecret, Summary: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("create", created, false), getTarget},
		after: managedCopy("shop", currentKey, "U999", ""),
	}, {
		name:  "losing a create race to someone else's secret is a refusal",
		objs:  []runtime.Object{source()},
		react: raceWith(unmanaged),
		err:   refused,
		calls: []call{getSource, getTarget, secretWrite("create", created, false), getTarget},
		after: unmanaged,
	}, {
		name:  "other API errors are wrapped",
		objs:  []runtime.Object{source()},
		react: func(cs *fake.Clientset) { cs.PrependReactor("create", "secrets", fail(errors.New("etcd is down"))) },
		err:   errors.New("creating secret shop/all-icr-io: etcd is down"),
		calls: []call{getSource, getTarget, secretWrite("create", created, false)},
	}})
}

// notFound is a reaction failing with resource/name not found.
func notFound(resource, name string) k8stesting.ReactionFunc {
	return fail(apierrors.NewNotFound(corev1.Resource(resource), name))
}

// fail is a reaction failing with err.
func fail(err error) k8stesting.ReactionFunc {
	return func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, err }
}
