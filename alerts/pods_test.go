package alerts

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// TestNeverPullFails: a pod waiting with ErrImageNeverPull counts as
// failing to pull, also once the informer transform has stripped it.
func TestNeverPullFails(t *testing.T) {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "edge", Name: "web-1"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "us.icr.io/shop/web:1.0", ImagePullPolicy: corev1.PullNever}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{{Name: "app",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull",
				Message: `Container image "us.icr.io/shop/web:1.0" is not present with pull policy of Never`}}}}}}
	stripped, err := Strip(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []diagnose.FailingContainer{{Name: "app", Kind: "container", Image: "us.icr.io/shop/web:1.0", Reason: "ErrImageNeverPull"}}
	if diff := cmp.Diff(want, failures(stripped.(*corev1.Pod))); diff != "" {
		t.Errorf("failures of the cached pod (-want +got):\n%s", diff)
	}
}
