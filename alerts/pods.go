package alerts

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// failures lists a pod's containers (init, regular, ephemeral) that cannot
// pull, as the diagnosis sees them.
func failures(p *corev1.Pod) []diagnose.FailingContainer { return diagnose.FailingContainers(p) }

// Strip is the informer transform: it keeps only what detection needs
// (names, owners, container names and images, waiting reasons), so that a
// cache of 50,000 pods stays small. Idempotent, as transforms must be.
func Strip(obj any) (any, error) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return obj, nil
	}
	s := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: p.UID,
		ResourceVersion: p.ResourceVersion, OwnerReferences: p.OwnerReferences, CreationTimestamp: p.CreationTimestamp,
		DeletionTimestamp: p.DeletionTimestamp}}
	if h := p.Labels["pod-template-hash"]; h != "" {
		s.Labels = map[string]string{"pod-template-hash": h}
	}
	s.Spec.InitContainers = stripContainers(p.Spec.InitContainers)
	s.Spec.Containers = stripContainers(p.Spec.Containers)
	for _, c := range p.Spec.EphemeralContainers {
		s.Spec.EphemeralContainers = append(s.Spec.EphemeralContainers,
			corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: c.Name, Image: c.Image}})
	}
	s.Status.Phase = p.Status.Phase
	s.Status.InitContainerStatuses = stripStatuses(p.Status.InitContainerStatuses)
	s.Status.ContainerStatuses = stripStatuses(p.Status.ContainerStatuses)
	s.Status.EphemeralContainerStatuses = stripStatuses(p.Status.EphemeralContainerStatuses)
	return s, nil
}

func stripContainers(cs []corev1.Container) []corev1.Container {
	var out []corev1.Container
	for _, c := range cs {
		out = append(out, corev1.Container{Name: c.Name, Image: c.Image})
	}
	return out
}

func stripStatuses(ss []corev1.ContainerStatus) []corev1.ContainerStatus {
	var out []corev1.ContainerStatus
	for _, s := range ss {
		st := corev1.ContainerStatus{Name: s.Name, Ready: s.Ready}
		switch {
		case s.State.Waiting != nil:
			st.State.Waiting = &corev1.ContainerStateWaiting{Reason: s.State.Waiting.Reason}
		case s.State.Running != nil:
			st.State.Running = &corev1.ContainerStateRunning{}
		case s.State.Terminated != nil:
			st.State.Terminated = &corev1.ContainerStateTerminated{Reason: s.State.Terminated.Reason, ExitCode: s.State.Terminated.ExitCode}
		}
		out = append(out, st)
	}
	return out
}

// workload names a pod's owning workload: Deployment (through its
// ReplicaSet's pod-template-hash), StatefulSet, DaemonSet, CronJob (through
// its Job), Job, or the pod itself.
func workload(p *corev1.Pod) string {
	c := metav1.GetControllerOf(p)
	if c == nil {
		return "Pod/" + p.Namespace + "/" + p.Name
	}
	name := c.Name
	switch c.Kind {
	case "ReplicaSet":
		if h := p.Labels["pod-template-hash"]; h != "" && strings.HasSuffix(name, "-"+h) {
			return "Deployment/" + p.Namespace + "/" + strings.TrimSuffix(name, "-"+h)
		}
	case "Job":
		if i := strings.LastIndexByte(name, '-'); i > 0 && allDigits(name[i+1:]) {
			return "CronJob/" + p.Namespace + "/" + name[:i]
		}
	}
	return c.Kind + "/" + p.Namespace + "/" + name
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
