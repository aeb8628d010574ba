package commands

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
)

// controllerUID is the UID of the pod's controller, to find its replacement.
func controllerUID(ctx context.Context, kube kubernetes.Interface, req diagnose.Request) types.UID {
	pod, err := kube.CoreV1().Pods(req.Namespace).Get(ctx, req.Pod, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	if c := metav1.GetControllerOf(pod); c != nil {
		return c.UID
	}
	return ""
}

// follow polls until the pod, or the newest pod of the same controller, runs
// with every container started. It returns that pod's name.
func (s *Service) follow(ctx context.Context, req diagnose.Request, owner types.UID, f FollowOptions) (bool, string) {
	deadline := time.NewTimer(f.Timeout)
	defer deadline.Stop()
	tick := time.NewTicker(f.Interval)
	defer tick.Stop()
	for {
		pod := s.current(ctx, req, owner)
		if pod != nil && running(pod) {
			return true, pod.Name
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			if pod != nil {
				return false, pod.Name
			}
			return false, ""
		case <-ctx.Done():
			return false, ""
		}
	}
}

// current is the pod itself, or its controller's newest pod once it is gone.
func (s *Service) current(ctx context.Context, req diagnose.Request, owner types.UID) *corev1.Pod {
	pod, err := s.Kube.CoreV1().Pods(req.Namespace).Get(ctx, req.Pod, metav1.GetOptions{})
	if err == nil && pod.DeletionTimestamp == nil {
		return pod
	}
	if owner == "" {
		return nil
	}
	list, err := s.Kube.CoreV1().Pods(req.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil
	}
	var newest *corev1.Pod
	for i := range list.Items {
		p := &list.Items[i]
		if c := metav1.GetControllerOf(p); c != nil && c.UID == owner && p.DeletionTimestamp == nil &&
			(newest == nil || p.CreationTimestamp.After(newest.CreationTimestamp.Time)) {
			newest = p
		}
	}
	return newest
}

// running reports whether the pod runs and no container waits.
func running(pod *corev1.Pod) bool {
	if pod.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, statuses := range [][]corev1.ContainerStatus{pod.Status.ContainerStatuses, pod.Status.InitContainerStatuses} {
		for _, cs := range statuses {
			if cs.State.Waiting != nil {
				return false
			}
		}
	}
	return true
}
