package fix

import (
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
)

func TestSyncPullSecret(t *testing.T) {
	stale := func() *corev1.Secret { return managedCopy("shop", oldKey, "U999", "1") }
	refreshed := managedCopy("shop", currentKey, "U123", "1")
	summary := "refreshed shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ", was " + hashOf(oldKey) + ")"
	edited := managedCopy("shop", currentKey, "U999", "1")
	edited.Data = stale().Data
	immutable := stale()
	immutable.Immutable = new(true)
	retyped := stale()
	retyped.Type = corev1.SecretTypeDockercfg
	elsewhere := stale()
	elsewhere.Annotations[SourceAnnotation] = "kube-system/all-icr-io"
	// labelledOnly carries the label but not the source: a person labelled
	// a secret made by hand.
	labelledOnly := pullSecret("shop", "all-icr-io", oldKey)
	labelledOnly.Labels = map[string]string{diagnose.ManagedByLabel: diagnose.ManagedBy}
	conflict := apierrors.NewConflict(corev1.Resource("secrets"), "all-icr-io", errors.New("the object has been modified"))
	// rotatedMeanwhile refreshes the copy just before the first update, so
	// that the update's resourceVersion is stale.
	rotatedMeanwhile := func(cs *fake.Clientset) {
		done := false
		cs.PrependReactor("update", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
			if !done {
				done = true
				if err := cs.Tracker().Update(corev1.SchemeGroupVersion.WithResource("secrets"), managedCopy("shop", currentKey, "U777", "7"), "shop"); err != nil {
					return true, nil, err
				}
			}
			return false, nil, nil
		})
	}
	conflictOnce := func(cs *fake.Clientset) {
		done := false
		cs.PrependReactor("update", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
			if done {
				return false, nil, nil
			}
			done = true
			return true, nil, conflict
		})
	}
	runSecretCases(t, diagnose.SyncPullSecret, []secretCase{{
		name:  "refreshes a stale copy at the resourceVersion it read",
		objs:  []runtime.Object{source(), stale()},
		want:  Result{Action: diagnose.SyncPullSecret, Changed: true, Summary: summary},
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, false)},
		after: refreshed,
	}, {
		name: "dry run sends a dry-run update",
		objs: []runtime.Object{source(), stale()},
		dry:  true,
		want: Result{Action: diagnose.SyncPullSecret, DryRun: true,
			Summary: "would refresh shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ", was " + hashOf(oldKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, true)},
		after: stale(),
	}, {
		name:  "an up-to-date copy is left alone",
		objs:  []runtime.Object{source(), managedCopy("shop", currentKey, "U999", "1")},
		want:  Result{Action: diagnose.SyncPullSecret, Summary: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget},
		after: managedCopy("shop", currentKey, "U999", "1"),
	}, {
		name:  "a copy edited by hand is refreshed although its annotation matches",
		objs:  []runtime.Object{source(), edited},
		want:  Result{Action: diagnose.SyncPullSecret, Changed: true, Summary: summary},
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, false)},
		after: refreshed,
	}, {
		name:  "a missing copy is a refusal",
		objs:  []runtime.Object{source()},
		err:   &PreconditionError{Msg: "secret shop/all-icr-io does not exist: copy it first"},
		calls: []call{getSource, getTarget},
	}, {
		name: "a secret pullcheck did not create is never overwritten",
		objs: []runtime.Object{source(), pullSecret("shop", "all-icr-io", oldKey)},
		err: &PreconditionError{Msg: "secret shop/all-icr-io exists and is not managed by pullcheck, which never overwrites a secret " +
			"it did not create: refresh it by hand, or label it app.kubernetes.io/managed-by=pullcheck and annotate it pullcheck.io/source=default/all-icr-io to hand it over"},
		calls: []call{getSource, getTarget},
		after: pullSecret("shop", "all-icr-io", oldKey),
	}, {
		name: "a secret with the label but no source annotation is never overwritten",
		objs: []runtime.Object{source(), labelledOnly},
		err: &PreconditionError{Msg: "secret shop/all-icr-io exists and is not managed by pullcheck, which never overwrites a secret " +
			"it did not create: refresh it by hand, or label it app.kubernetes.io/managed-by=pullcheck and annotate it " +
			"pullcheck.io/source=default/all-icr-io to hand it over"},
		calls: []call{getSource, getTarget},
		after: labelledOnly,
	}, {
		name:  "a missing source is a refusal",
		objs:  []runtime.Object{stale()},
		err:   &PreconditionError{Msg: "default/all-icr-io does not exist: re-apply the cluster pull secret first"},
		calls: []call{getSource},
		after: stale(),
	}, {
		name:  "a copy of another source is left alone",
		objs:  []runtime.Object{source(), elsewhere},
		err:   &PreconditionError{Msg: "secret shop/all-icr-io is pullcheck's copy of kube-system/all-icr-io, not of default/all-icr-io: it is left alone"},
		calls: []call{getSource, getTarget},
		after: elsewhere,
	}, {
		name:  "an immutable copy is a refusal",
		objs:  []runtime.Object{source(), immutable},
		err:   &PreconditionError{Msg: "secret shop/all-icr-io is immutable: delete it, then copy it again"},
		calls: []call{getSource, getTarget},
		after: immutable,
	}, {
		name: "a copy of another type is a refusal",
		objs: []runtime.Object{source(), retyped},
		err: &PreconditionError{Msg: "secret shop/all-icr-io has type kubernetes.io/dockercfg but default/all-icr-io has type " +
			"kubernetes.io/dockerconfigjson, and a type cannot change: delete it, then copy it again"},
		calls: []call{getSource, getTarget},
		after: retyped,
	}, {
		name:  "a conflict with a refresh made meanwhile ends in a no-op",
		objs:  []runtime.Object{source(), stale()},
		react: rotatedMeanwhile,
		want:  Result{Action: diagnose.SyncPullSecret, Summary: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")"},
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, false), getTarget},
		after: managedCopy("shop", currentKey, "U777", "7"),
	}, {
		name:  "one conflict is retried after a second read",
		objs:  []runtime.Object{source(), stale()},
		react: conflictOnce,
		want:  Result{Action: diagnose.SyncPullSecret, Changed: true, Summary: summary},
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, false), getTarget, secretWrite("update", refreshed, false)},
		after: refreshed,
	}, {
		name:  "a second conflict is an error",
		objs:  []runtime.Object{source(), stale()},
		react: func(cs *fake.Clientset) { cs.PrependReactor("update", "secrets", fail(conflict)) },
		err:   errors.New(`updating secret shop/all-icr-io: Operation cannot be fulfilled on secrets "all-icr-io": the object has been modified`),
		calls: []call{getSource, getTarget, secretWrite("update", refreshed, false), getTarget, secretWrite("update", refreshed, false)},
		after: stale(),
	}})
}
