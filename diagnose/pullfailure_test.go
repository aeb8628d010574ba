package diagnose_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

func TestPullFailureReasons(t *testing.T) {
	want := []string{"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "ImageInspectError", "RegistryUnavailable"}
	got := d.PullFailureReasons()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("PullFailureReasons (-want +got):\n%s", diff)
	}
	got[0] = "CrashLoopBackOff"
	if d.PullFailureReasons()[0] != "ErrImagePull" {
		t.Error("changing the returned slice changed the list")
	}
	for _, r := range want {
		if !d.IsPullFailure(r) {
			t.Errorf("IsPullFailure(%q) = false", r)
		}
	}
	for _, r := range []string{"", "CrashLoopBackOff", "ContainerCreating", "PodInitializing", "CreateContainerConfigError", "errimagepull"} {
		if d.IsPullFailure(r) {
			t.Errorf("IsPullFailure(%q) = true", r)
		}
	}
}

func TestFailingContainers(t *testing.T) {
	waiting := func(name, reason, msg string) corev1.ContainerStatus {
		return corev1.ContainerStatus{Name: name, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}}}
	}
	pod := &corev1.Pod{
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "migrate", Image: "us.icr.io/shop/migrate:1"}},
			Containers:     []corev1.Container{{Name: "web", Image: "us.icr.io/shop/web:1"}, {Name: "proxy", Image: "us.icr.io/shop/proxy:1"}},
			EphemeralContainers: []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", Image: "us.icr.io/tools/debug:1"}}},
		},
		Status: corev1.PodStatus{
			InitContainerStatuses: []corev1.ContainerStatus{waiting("migrate", "ErrImageNeverPull", "image not present with pull policy of Never")},
			// Sorted by name, as the kubelet reports them.
			ContainerStatuses:          []corev1.ContainerStatus{waiting("proxy", "ImagePullBackOff", "Back-off pulling image"), waiting("web", "PodInitializing", "")},
			EphemeralContainerStatuses: []corev1.ContainerStatus{waiting("debug", "RegistryUnavailable", "")},
		},
	}
	want := []d.FailingContainer{
		{Name: "migrate", Kind: "init container", Image: "us.icr.io/shop/migrate:1", Reason: "ErrImageNeverPull", Message: "image not present with pull policy of Never"},
		{Name: "proxy", Kind: "container", Image: "us.icr.io/shop/proxy:1", Reason: "ImagePullBackOff", Message: "Back-off pulling image"},
		{Name: "debug", Kind: "ephemeral container", Image: "us.icr.io/tools/debug:1", Reason: "RegistryUnavailable"},
	}
	if diff := cmp.Diff(want, d.FailingContainers(pod)); diff != "" {
		t.Errorf("FailingContainers (-want +got):\n%s", diff)
	}
	if got := d.FailingContainers(&corev1.Pod{Spec: pod.Spec}); len(got) != 0 {
		t.Errorf("a pod without statuses: %+v", got)
	}
}

// TestNeverPullIsAPullFailure: a pod waiting with ErrImageNeverPull is
// diagnosed, not reported as pulling fine.
func TestNeverPullIsAPullFailure(t *testing.T) {
	w := newWorld(t)
	w.Namespace("edge", sandbox.NamespaceSetup{SASecrets: []string{d.ClusterPullSecretName}, Copy: true})
	pod := w.Deploy(sandbox.Workload{Namespace: "edge", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ErrImageNeverPull"})
	rep := w.Engine().Diagnose(testContext(t), d.Request{Namespace: "edge", Pod: pod}, nil)
	res, ok := rep.Result(d.PodPullingOK)
	if !ok || res.Status != d.Warn || res.Summary != "container app cannot pull its image (ErrImageNeverPull)" {
		t.Errorf("%s: %+v", d.PodPullingOK, res)
	}
	if rep.Verdict == d.PullsFine {
		t.Errorf("verdict %s for a pod that waits with ErrImageNeverPull", rep.Verdict)
	}
}
