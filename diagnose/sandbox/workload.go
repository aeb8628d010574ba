package sandbox

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Workload describes a Deployment and its one pod.
type Workload struct {
	Namespace, Name, Image string
	// PodSecrets are the pod template's imagePullSecrets.
	PodSecrets []string
	// ServiceAccount defaults to "default".
	ServiceAccount string
	// PodOnlySecrets are the pod's imagePullSecrets when they differ from
	// the template's (the service account admission copied them in).
	PodOnlySecrets []string
	// PullPolicy is the container's imagePullPolicy; "" leaves it unset.
	PullPolicy corev1.PullPolicy
	// Reason is the container's waiting reason ("" = running).
	Reason string
	// Kubelet is the kubelet's pull error message (an event and the
	// ErrImagePull status message).
	Kubelet string
	// EventReason is the reason of the kubelet's event carrying Kubelet:
	// "" means "Failed" ("Failed to pull image …: <Kubelet>"); any other
	// reason ("ErrImageNeverPull") carries Kubelet as it is.
	EventReason string
	// Node defaults to the amd64 node.
	Node string
	// Bare creates the pod without a Deployment.
	Bare bool
}

var sandboxEpoch = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// Deploy creates the workload and returns its pod's name.
func (w *World) Deploy(wl Workload) string {
	tmpl := corev1.PodSpec{ServiceAccountName: wl.ServiceAccount, ImagePullSecrets: refs(wl.PodSecrets),
		Containers: []corev1.Container{{Name: "app", Image: wl.Image, ImagePullPolicy: wl.PullPolicy}}}
	o := w.owners(wl.Namespace, wl.Name, tmpl)
	podName, podLabels := wl.Name, map[string]string{"app": wl.Name}
	var owner []metav1.OwnerReference
	if !wl.Bare {
		w.create(o.deploy)
		w.create(o.rs)
		podName, podLabels = o.pod, o.podLabels
		owner = controlledBy("apps/v1", "ReplicaSet", o.rs.Name, o.rs.UID)
	}
	spec := *tmpl.DeepCopy()
	if wl.PodOnlySecrets != nil {
		spec.ImagePullSecrets = refs(wl.PodOnlySecrets)
	}
	spec.NodeName = wl.Node
	if spec.NodeName == "" {
		spec.NodeName = AMD64Node
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: wl.Namespace, Name: podName, UID: o.uid("pod"),
		Labels: podLabels, OwnerReferences: owner, CreationTimestamp: metav1.NewTime(sandboxEpoch)},
		Spec: spec, Status: podStatus(wl)}
	w.create(pod)
	if wl.Kubelet != "" {
		w.events(pod, wl)
	}
	return podName
}

// workloadOwners are the Deployment and ReplicaSet of a workload, not yet
// created, and the name of the pod the ReplicaSet creates.
type workloadOwners struct {
	deploy    *appsv1.Deployment
	rs        *appsv1.ReplicaSet
	pod       string
	podLabels map[string]string
	uid       func(kind string) types.UID
}

// owners builds the Deployment called name in ns, with pod template tmpl,
// and its ReplicaSet, named as the deployment controller names them.
func (w *World) owners(ns, name string, tmpl corev1.PodSpec) workloadOwners {
	w.pods++
	n := w.pods
	uid := func(kind string) types.UID {
		return types.UID(fmt.Sprintf("%08x-0000-4000-8000-%012d", n, len(kind)))
	}
	hash := suffix(ns+name, 9)
	rsName := name + "-" + hash
	labels := map[string]string{"app": name}
	podLabels := map[string]string{"app": name, "pod-template-hash": hash}
	deploy := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: uid("deploy")},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: tmpl}}}
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: rsName, UID: uid("rs"),
		OwnerReferences: controlledBy("apps/v1", "Deployment", name, uid("deploy"))},
		Spec: appsv1.ReplicaSetSpec{Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: tmpl}}}
	return workloadOwners{deploy: deploy, rs: rs, pod: rsName + "-" + suffix(rsName, 5), podLabels: podLabels, uid: uid}
}

func podStatus(wl Workload) corev1.PodStatus {
	st := corev1.ContainerStatus{Name: "app", Image: wl.Image}
	if wl.Reason == "" {
		st.Ready = true
		st.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(sandboxEpoch)}
		return corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{st}}
	}
	msg := fmt.Sprintf("Back-off pulling image %q", wl.Image)
	if wl.Reason != "ImagePullBackOff" {
		msg = wl.Kubelet
	}
	st.State.Waiting = &corev1.ContainerStateWaiting{Reason: wl.Reason, Message: msg}
	return corev1.PodStatus{Phase: corev1.PodPending, ContainerStatuses: []corev1.ContainerStatus{st}}
}

// events records the kubelet's events for a failing pull.
func (w *World) events(pod *corev1.Pod, wl Workload) {
	obj := corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID, FieldPath: "spec.containers{app}"}
	type event struct{ reason, msg string }
	evs := []event{
		{"Failed", fmt.Sprintf("Failed to pull image %q: %s", wl.Image, wl.Kubelet)},
		{"Failed", "Error: " + orDefault(wl.Reason, "ErrImagePull")},
		{"BackOff", fmt.Sprintf("Back-off pulling image %q", wl.Image)},
	}
	if r := orDefault(wl.EventReason, "Failed"); r != "Failed" {
		// Not a failed pull (ErrImageNeverPull): no pull, no back-off.
		evs = []event{{r, wl.Kubelet}, evs[1]}
	}
	for i, ev := range evs {
		at := metav1.NewTime(sandboxEpoch.Add(time.Duration(i) * time.Second))
		w.create(&corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: fmt.Sprintf("%s.%x", pod.Name, i)},
			InvolvedObject: obj, Reason: ev.reason, Message: ev.msg, Type: corev1.EventTypeWarning, Count: 4,
			FirstTimestamp: at, LastTimestamp: at, Source: corev1.EventSource{Component: "kubelet", Host: pod.Spec.NodeName}})
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func refs(names []string) []corev1.LocalObjectReference {
	var out []corev1.LocalObjectReference
	for _, n := range names {
		out = append(out, corev1.LocalObjectReference{Name: n})
	}
	return out
}

func controlledBy(apiVersion, kind, name string, uid types.UID) []metav1.OwnerReference {
	yes := true
	return []metav1.OwnerReference{{APIVersion: apiVersion, Kind: kind, Name: name, UID: uid, Controller: &yes}}
}

// Break makes a running pod fail to pull a new image, as a rollout of a tag
// that was never pushed would: its spec, status and a kubelet event change.
func (w *World) Break(ctx context.Context, ns, pod, image string) error {
	pods := w.Kube.CoreV1().Pods(ns)
	p, err := pods.Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		return err
	}
	p.Spec.Containers[0].Image = image
	if p, err = pods.Update(ctx, p, metav1.UpdateOptions{}); err != nil {
		return err
	}
	msg := fmt.Sprintf(kubeletNotFound, image, image)
	p.Status = podStatus(Workload{Image: image, Reason: "ImagePullBackOff", Kubelet: msg})
	if _, err := pods.UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		return err
	}
	w.events(p, Workload{Image: image, Reason: "ImagePullBackOff", Kubelet: msg})
	return nil
}
