package fix

import (
	"context"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// restartPod is restart-pod: it deletes a pod (Args "pod", and optionally
// "uid", the pod the remedy was made for) so that its controller creates a
// new one, which picks up the service account's current pull secrets.
type restartPod struct {
	kube kubernetes.Interface
}

var _ Fixer = (*restartPod)(nil)

// Apply does nothing when the pod is gone, already replaced or already
// terminating, and refuses a pod that no live controller would recreate.
// The delete carries the pod's UID as a precondition, so a replacement that
// took the name meanwhile (a StatefulSet's) is never deleted.
func (f *restartPod) Apply(ctx context.Context, req Request) (Result, error) {
	ns, name, uid := req.Namespace, req.Args["pod"], types.UID(req.Args["uid"])
	if err := checkNamespace(ns); err != nil {
		return Result{}, err
	}
	if name == "" {
		return Result{}, refuse("no pod given")
	}
	if err := checkName("pod", name); err != nil {
		return Result{}, err
	}
	pod, err := f.kube.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return req.result(false, "pod %s/%s is already gone", ns, name), nil
	case err != nil:
		return Result{}, fmt.Errorf("reading pod %s/%s: %w", ns, name, err)
	case uid != "" && pod.UID != uid:
		return req.result(false, "pod %s/%s was already replaced (uid %s, not %s)", ns, name, pod.UID, uid), nil
	case pod.DeletionTimestamp != nil:
		return req.result(false, "pod %s/%s is already terminating", ns, name), nil
	}
	owner, err := f.controller(ctx, pod)
	if err != nil {
		return Result{}, err
	}
	err = f.kube.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{
		Preconditions: &metav1.Preconditions{UID: &pod.UID}, DryRun: req.dryRun()})
	switch {
	case apierrors.IsNotFound(err):
		return req.result(false, "pod %s/%s is already gone", ns, name), nil
	case apierrors.IsConflict(err):
		return req.result(false, "pod %s/%s was already replaced", ns, name), nil
	case err != nil:
		return Result{}, fmt.Errorf("deleting pod %s/%s: %w", ns, name, err)
	}
	return req.result(true, "%s pod %s/%s (uid %s); its %s %s %s", req.would("deleted", "delete"), ns, name, pod.UID,
		owner.Kind, owner.Name, req.would("will replace it", "replace it")), nil
}

// controller returns the pod's controller reference, refusing unless the
// controller is of a kind that recreates deleted pods, still exists and is
// not finished.
func (f *restartPod) controller(ctx context.Context, pod *corev1.Pod) (*metav1.OwnerReference, error) {
	ref := metav1.GetControllerOf(pod)
	if ref == nil {
		return nil, refuse("pod %s/%s is not owned by a controller: deleting it would not bring it back", pod.Namespace, pod.Name)
	}
	gv, _ := schema.ParseGroupVersion(ref.APIVersion)
	get, ok := f.getters()[schema.GroupKind{Group: gv.Group, Kind: ref.Kind}]
	if !ok {
		return nil, refuse("pod %s/%s is controlled by %s %s, and pullcheck cannot tell whether that brings deleted pods back: "+
			"delete it by hand if it does", pod.Namespace, pod.Name, ref.Kind, ref.Name)
	}
	obj, err := get(ctx, pod.Namespace, ref.Name)
	if err != nil && !apierrors.IsNotFound(err) {
		return nil, fmt.Errorf("reading %s %s/%s: %w", ref.Kind, pod.Namespace, ref.Name, err)
	}
	if err != nil || (ref.UID != "" && obj.GetUID() != ref.UID) || obj.GetDeletionTimestamp() != nil {
		return nil, refuse("the %s %s that owns pod %s/%s no longer exists: deleting the pod would not bring it back",
			ref.Kind, ref.Name, pod.Namespace, pod.Name)
	}
	if j, ok := obj.(*batchv1.Job); ok && jobFinished(j) {
		return nil, refuse("Job %s has finished: deleting pod %s/%s would not bring it back", j.Name, pod.Namespace, pod.Name)
	}
	return ref, nil
}

// getter reads one controller.
type getter func(ctx context.Context, ns, name string) (metav1.Object, error)

// getters are the controllers that recreate the pods they own when those
// are deleted.
func (f *restartPod) getters() map[schema.GroupKind]getter {
	apps, batch, core := f.kube.AppsV1(), f.kube.BatchV1(), f.kube.CoreV1()
	return map[schema.GroupKind]getter{
		{Group: "apps", Kind: "ReplicaSet"}: func(ctx context.Context, ns, name string) (metav1.Object, error) {
			return apps.ReplicaSets(ns).Get(ctx, name, metav1.GetOptions{})
		},
		{Group: "apps", Kind: "StatefulSet"}: func(ctx context.Context, ns, name string) (metav1.Object, error) {
			return apps.StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
		},
		{Group: "apps", Kind: "DaemonSet"}: func(ctx context.Context, ns, name string) (metav1.Object, error) {
			return apps.DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
		},
		{Group: "batch", Kind: "Job"}: func(ctx context.Context, ns, name string) (metav1.Object, error) {
			return batch.Jobs(ns).Get(ctx, name, metav1.GetOptions{})
		},
		{Group: "", Kind: "ReplicationController"}: func(ctx context.Context, ns, name string) (metav1.Object, error) {
			return core.ReplicationControllers(ns).Get(ctx, name, metav1.GetOptions{})
		},
	}
}

// jobFinished reports whether j completed or failed for good; either way
// it creates no more pods.
func jobFinished(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}
