package fix

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// pod is shop/<name> with uid, controlled by owner when it has a kind.
func pod(name string, uid types.UID, owner metav1.OwnerReference) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name, UID: uid, ResourceVersion: "1"}}
	if owner.Kind != "" {
		owner.Controller = new(true)
		p.OwnerReferences = []metav1.OwnerReference{owner}
	}
	return p
}

func replicaSet(name string, uid types.UID) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name, UID: uid}}
}

var (
	byRS   = metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d9", UID: "rs-1"}
	byJob  = metav1.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: "migrate", UID: "job-1"}
	getPod = get("pods", "shop", "web-1")
	getRS  = get("replicasets", "shop", "web-7d9")
)

func deletePod(uid types.UID, dryRun bool) call {
	c := call{Verb: "delete", Resource: "pods", Namespace: "shop", Name: "web-1", UID: uid}
	if dryRun {
		c.DryRun = []string{metav1.DryRunAll}
	}
	return c
}

func TestRestartPod(t *testing.T) {
	noop := func(summary string) Result { return Result{Action: diagnose.RestartPod, Summary: summary} }
	terminating := pod("web-1", "pod-1", byRS)
	terminating.DeletionTimestamp = &metav1.Time{Time: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	finished := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "migrate", UID: "job-1"},
		Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}}}
	tests := []struct {
		name  string
		objs  []runtime.Object
		args  map[string]string
		dry   bool
		react func(cs *fake.Clientset)
		want  Result
		err   error
		calls []call
		// gone says whether shop/web-1 is deleted afterwards.
		gone bool
	}{{
		name: "deletes a pod its ReplicaSet will replace, on condition of its UID",
		objs: []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-1")},
		want: Result{Action: diagnose.RestartPod, Changed: true,
			Summary: "deleted pod shop/web-1 (uid pod-1); its ReplicaSet web-7d9 will replace it"},
		calls: []call{getPod, getRS, deletePod("pod-1", false)},
		gone:  true,
	}, {
		name: "dry run sends a dry-run delete",
		objs: []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-1")},
		dry:  true,
		want: Result{Action: diagnose.RestartPod, DryRun: true,
			Summary: "would delete pod shop/web-1 (uid pod-1); its ReplicaSet web-7d9 would replace it"},
		calls: []call{getPod, getRS, deletePod("pod-1", true)},
	}, {
		name:  "a pod that is gone is a no-op",
		want:  noop("pod shop/web-1 is already gone"),
		calls: []call{getPod},
		gone:  true,
	}, {
		name:  "a pod already replaced under the same name is a no-op",
		objs:  []runtime.Object{pod("web-1", "pod-2", byRS), replicaSet("web-7d9", "rs-1")},
		args:  map[string]string{"uid": "pod-1"},
		want:  noop("pod shop/web-1 was already replaced (uid pod-2, not pod-1)"),
		calls: []call{getPod},
	}, {
		name:  "a terminating pod is a no-op",
		objs:  []runtime.Object{terminating, replicaSet("web-7d9", "rs-1")},
		want:  noop("pod shop/web-1 is already terminating"),
		calls: []call{getPod},
	}, {
		name:  "a bare pod is never deleted",
		objs:  []runtime.Object{pod("web-1", "pod-1", metav1.OwnerReference{})},
		err:   &PreconditionError{Msg: "pod shop/web-1 is not owned by a controller: deleting it would not bring it back"},
		calls: []call{getPod},
	}, {
		name:  "a pod whose ReplicaSet is gone is not deleted",
		objs:  []runtime.Object{pod("web-1", "pod-1", byRS)},
		err:   &PreconditionError{Msg: "the ReplicaSet web-7d9 that owns pod shop/web-1 no longer exists: deleting the pod would not bring it back"},
		calls: []call{getPod, getRS},
	}, {
		name:  "a ReplicaSet of the same name but another UID is not the owner",
		objs:  []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-2")},
		err:   &PreconditionError{Msg: "the ReplicaSet web-7d9 that owns pod shop/web-1 no longer exists: deleting the pod would not bring it back"},
		calls: []call{getPod, getRS},
	}, {
		name: "a controller pullcheck does not know is not trusted",
		objs: []runtime.Object{pod("web-1", "pod-1", metav1.OwnerReference{APIVersion: "argoproj.io/v1alpha1", Kind: "Rollout", Name: "web", UID: "r-1"})},
		err: &PreconditionError{Msg: "pod shop/web-1 is controlled by Rollout web, and pullcheck cannot tell whether that " +
			"brings deleted pods back: delete it by hand if it does"},
		calls: []call{getPod},
	}, {
		name:  "a pod of a finished Job is not deleted",
		objs:  []runtime.Object{pod("web-1", "pod-1", byJob), finished},
		err:   &PreconditionError{Msg: "Job migrate has finished: deleting pod shop/web-1 would not bring it back"},
		calls: []call{getPod, get("jobs", "shop", "migrate")},
	}, {
		name: "a pod replaced between the read and the delete is a no-op",
		objs: []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-1")},
		react: func(cs *fake.Clientset) {
			cs.PrependReactor("delete", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
				return false, nil, cs.Tracker().Update(corev1.SchemeGroupVersion.WithResource("pods"), pod("web-1", "pod-2", byRS), "shop")
			})
		},
		want:  noop("pod shop/web-1 was already replaced"),
		calls: []call{getPod, getRS, deletePod("pod-1", false)},
	}, {
		name:  "a pod deleted between the read and the delete is a no-op",
		objs:  []runtime.Object{pod("web-1", "pod-1", byRS), replicaSet("web-7d9", "rs-1")},
		react: func(cs *fake.Clientset) { cs.PrependReactor("delete", "pods", notFound("pods", "web-1")) },
		want:  noop("pod shop/web-1 is already gone"),
		calls: []call{getPod, getRS, deletePod("pod-1", false)},
	}, {
		name: "a pod name is required",
		args: map[string]string{"pod": ""},
		err:  &PreconditionError{Msg: "no pod given"},
		gone: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := sandbox.NewClientset(tt.objs...)
			if tt.react != nil {
				tt.react(cs)
			}
			args := map[string]string{"pod": "web-1"}
			for k, v := range tt.args {
				args[k] = v
			}
			req := Request{Action: diagnose.RestartPod, Namespace: "shop", Args: args, DryRun: tt.dry, Actor: "U123"}
			res, err := apply(t, &restartPod{kube: cs}, req)
			checkErr(t, err, tt.err)
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.calls, calls(cs)); diff != "" {
				t.Errorf("API calls (-want +got):\n%s", diff)
			}
			_, err = cs.Tracker().Get(corev1.SchemeGroupVersion.WithResource("pods"), "shop", "web-1")
			if gone := err != nil; gone != tt.gone {
				t.Errorf("pod gone = %t, want %t", gone, tt.gone)
			}
		})
	}
}
