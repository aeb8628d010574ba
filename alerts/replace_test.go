package alerts

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// replacePod plays the ReplicaSet controller: it deletes the pod and creates
// a new one of the same ReplicaSet with the given waiting reason.
func replacePod(t *testing.T, w *sandbox.World, ns, old, reason string) string {
	t.Helper()
	pods := w.Kube.CoreV1().Pods(ns)
	p, err := pods.Get(context.Background(), old, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := pods.Delete(context.Background(), old, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	n := p.DeepCopy()
	n.Name, n.UID, n.ResourceVersion = old+"x", p.UID+"x", ""
	n.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}}}
	if _, err := pods.Create(context.Background(), n, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return n.Name
}
