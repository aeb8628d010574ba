package fix

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

func TestActions(t *testing.T) {
	want := []diagnose.Action{diagnose.CopyPullSecret, diagnose.SyncPullSecret, diagnose.PatchServiceAccount,
		diagnose.RestartPod, diagnose.ApplyClusterPullSecret}
	if diff := cmp.Diff(want, Actions()); diff != "" {
		t.Errorf("Actions() (-want +got):\n%s", diff)
	}
	withIBM := New(sandbox.NewClientset(), ibmcloud.New(ibmcloud.Endpoints{}, http.DefaultClient, ""), "c1")
	kubeOnly := New(sandbox.NewClientset(), nil, "")
	// Every action of diagnose/remedy.go but rerun (commands runs it) and
	// manual (a person runs it) has a fixer.
	for _, a := range []diagnose.Action{diagnose.CopyPullSecret, diagnose.SyncPullSecret, diagnose.PatchServiceAccount,
		diagnose.RestartPod, diagnose.ApplyClusterPullSecret, diagnose.Rerun, diagnose.Manual} {
		fixable := a != diagnose.Rerun && a != diagnose.Manual
		if got := withIBM.Has(a); got != fixable {
			t.Errorf("Has(%s) = %t, want %t", a, got, fixable)
		}
		if got, want := kubeOnly.Has(a), fixable && a != diagnose.ApplyClusterPullSecret; got != want {
			t.Errorf("without IBM Cloud: Has(%s) = %t, want %t", a, got, want)
		}
	}
}

func TestSetApply(t *testing.T) {
	objs := []runtime.Object{source(), serviceAccount("shop", "default")}
	created := Result{Action: diagnose.CopyPullSecret, Changed: true,
		Summary: "created shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ")"}
	tests := []struct {
		name string
		req  Request
		want Result
		err  error
	}{{
		name: "dispatches on the action",
		req:  Request{Action: diagnose.CopyPullSecret, Namespace: "shop", Actor: "U123"},
		want: created,
	}, {
		name: "takes the namespace from the remedy's arguments",
		req:  Request{Action: diagnose.CopyPullSecret, Args: map[string]string{"namespace": "shop"}, Actor: "U123"},
		want: created,
	}, {
		name: "refuses a namespace that contradicts the arguments",
		req:  Request{Action: diagnose.CopyPullSecret, Namespace: "shop", Args: map[string]string{"namespace": "kube-system"}, Actor: "U123"},
		err:  &PreconditionError{Msg: `copy-pull-secret refused: the request names namespace "shop" but its arguments name "kube-system"`},
	}, {
		name: "refuses an unknown action, listing the known ones",
		req:  Request{Action: "frobnicate", Namespace: "shop", Actor: "U123"},
		err: &PreconditionError{Msg: `pullcheck has no fixer for action "frobnicate": it can apply copy-pull-secret, sync-pull-secret, ` +
			"patch-service-account, restart-pod, apply-cluster-pull-secret"},
	}, {
		name: "rerun is not a fix",
		req:  Request{Action: diagnose.Rerun, Namespace: "shop", Actor: "U123"},
		err: &PreconditionError{Msg: `pullcheck has no fixer for action "rerun": it can apply copy-pull-secret, sync-pull-secret, ` +
			"patch-service-account, restart-pod, apply-cluster-pull-secret"},
	}, {
		name: "refuses a cluster fix without IBM Cloud access",
		req:  Request{Action: diagnose.ApplyClusterPullSecret, Actor: "U123"},
		err:  &PreconditionError{Msg: "apply-cluster-pull-secret is not available: pullcheck has no IBM Cloud access configured"},
	}, {
		name: "refuses an unaudited request",
		req:  Request{Action: diagnose.CopyPullSecret, Namespace: "shop", Actor: " "},
		err:  &PreconditionError{Msg: "copy-pull-secret refused: the request does not say who asked, and every fix is audited"},
	}, {
		name: "refuses a namespace that is not a name",
		req:  Request{Action: diagnose.PatchServiceAccount, Namespace: "Shop/../x", Actor: "U123"},
		err:  &PreconditionError{Msg: `"Shop/../x" is not a valid namespace name`},
	}, {
		name: "refuses a copy into default",
		req:  Request{Action: diagnose.SyncPullSecret, Namespace: "default", Actor: "U123"},
		err:  &PreconditionError{Msg: "default/all-icr-io is the original: there is nothing to copy into default"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := New(sandbox.NewClientset(objs...), nil, "").Apply(context.Background(), tt.req)
			checkErr(t, err, tt.err)
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyTwice applies every Kubernetes remedy twice in a row: the second
// time there is nothing left to do, and the fixer says so.
func TestApplyTwice(t *testing.T) {
	stale := managedCopy("shop", oldKey, "U1", "1")
	tests := []struct {
		req          Request
		objs         []runtime.Object
		first, again string
	}{{
		req:   Request{Action: diagnose.CopyPullSecret},
		objs:  []runtime.Object{source()},
		first: "created shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ")",
		again: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")",
	}, {
		req:   Request{Action: diagnose.SyncPullSecret},
		objs:  []runtime.Object{source(), stale},
		first: "refreshed shop/all-icr-io from default/all-icr-io (" + hashOf(currentKey) + ", was " + hashOf(oldKey) + ")",
		again: "shop/all-icr-io already matches default/all-icr-io (" + hashOf(currentKey) + ")",
	}, {
		req:   Request{Action: diagnose.PatchServiceAccount},
		objs:  []runtime.Object{stale, serviceAccount("shop", "default")},
		first: "added all-icr-io to the imagePullSecrets of service account shop/default; pods created from now on use it",
		again: "service account shop/default already lists all-icr-io",
	}, {
		req:   Request{Action: diagnose.RestartPod, Args: map[string]string{"pod": "web-1", "uid": "pod-1"}},
		objs:  []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-1")},
		first: "deleted pod shop/web-1 (uid pod-1); its ReplicaSet web-7d9 will replace it",
		again: "pod shop/web-1 is already gone",
	}}
	for _, tt := range tests {
		t.Run(string(tt.req.Action), func(t *testing.T) {
			s := New(sandbox.NewClientset(tt.objs...), nil, "")
			tt.req.Namespace, tt.req.Actor = "shop", "U123"
			var got []Result
			for range 2 {
				res, err := s.Apply(context.Background(), tt.req)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, res)
			}
			want := []Result{{Action: tt.req.Action, Changed: true, Summary: tt.first}, {Action: tt.req.Action, Summary: tt.again}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestForbiddenIsAClearRefusal(t *testing.T) {
	cs := sandbox.NewClientset(serviceAccount("shop", "default"))
	cs.PrependReactor("*", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: a.GetResource().Resource}, "", errors.New(`User "system:serviceaccount:pullcheck:pullcheck" cannot get resource`))
	})
	_, err := New(cs, nil, "").Apply(context.Background(), Request{Action: diagnose.PatchServiceAccount, Namespace: "shop", Actor: "U1"})
	var pe *PreconditionError
	if !errors.As(err, &pe) || !strings.Contains(pe.Msg, "refused by Kubernetes RBAC") || !strings.Contains(pe.Msg, "system:serviceaccount:pullcheck:pullcheck") {
		t.Fatalf("error %v, want a clear RBAC refusal", err)
	}
}
