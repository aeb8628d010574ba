//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// seedCluster creates what IBM Cloud Kubernetes Service and a team would
// have made: default/all-icr-io, the cluster-info ConfigMap, the default
// service accounts (there is no controller manager), and the broken
// Deployment shop/web whose namespace lacks its all-icr-io copy.
func seedCluster(t *testing.T, kube *kubernetes.Clientset, w *sandbox.World) (pod string) {
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := json.Marshal(map[string]string{"cluster_id": sandbox.ClusterID})
	must(kube.CoreV1().ConfigMaps("kube-system").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "cluster-info"},
		Data: map[string]string{"cluster-config.json": string(cfg)}}, metav1.CreateOptions{}))
	must(kube.CoreV1().ServiceAccounts("default").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"},
		ImagePullSecrets: []corev1.LocalObjectReference{{Name: sandbox.AllICRIO}}}, metav1.CreateOptions{}))
	must(kube.CoreV1().Secrets("default").Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: sandbox.AllICRIO},
		Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: sandbox.DockerConfig("iamapikey", w.ClusterKey, sandbox.ICRHosts()...)}}, metav1.CreateOptions{}))
	return seedBroken(t, kube, "shop")
}

// seedBroken creates what a team deploys in a new namespace ns that lacks
// its all-icr-io copy: the namespace, its default service account, and the
// Deployment web with its ReplicaSet and a pod that cannot pull (the
// kubelet's status and event included).
func seedBroken(t *testing.T, kube *kubernetes.Clientset, ns string) (pod string) {
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}))
	must(kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{}))

	labels := map[string]string{"app": "web"}
	podLabels := map[string]string{"app": "web", "pod-template-hash": "7d9f8b6c5"}
	tmpl := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "us.icr.io/shop/web:1.0"}}}}
	one := int32(1)
	d, err := kube.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: tmpl}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	rs, err := kube.AppsV1().ReplicaSets(ns).Create(ctx, &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "web-7d9f8b6c5",
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID, Controller: &yes}}},
		Spec: appsv1.ReplicaSetSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: podLabels}, Template: tmpl}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	created := createPod(t, kube, rs, "web-7d9f8b6c5-x2k4p")
	setStatusIn(t, kube, ns, created.Name, "ImagePullBackOff")
	now := metav1.NewTime(time.Now())
	must(kube.CoreV1().Events(ns).Create(ctx, &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: created.Name + ".1"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: created.Name, UID: created.UID, FieldPath: "spec.containers{web}"},
		Reason:         "Failed", Type: corev1.EventTypeWarning, Count: 3, FirstTimestamp: now, LastTimestamp: now,
		Source:  corev1.EventSource{Component: "kubelet", Host: "10.240.0.11"},
		Message: `Failed to pull image "us.icr.io/shop/web:1.0": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://us.icr.io/oauth/token: 401 Unauthorized`},
		metav1.CreateOptions{}))
	return created.Name
}

// createPod plays the ReplicaSet controller: a pod of rs's template named
// name, scheduled on the one node.
func createPod(t *testing.T, kube *kubernetes.Clientset, rs *appsv1.ReplicaSet, name string) *corev1.Pod {
	t.Helper()
	yes := true
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: rs.Spec.Template.Labels,
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &yes}}},
		Spec: rs.Spec.Template.Spec}
	p.Spec.NodeName = "10.240.0.11"
	created, err := kube.CoreV1().Pods(rs.Namespace).Create(context.Background(), p, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return created
}

// setStatus plays the kubelet of shop's pods (setStatusIn).
func setStatus(t *testing.T, kube *kubernetes.Clientset, pod, reason string) {
	t.Helper()
	setStatusIn(t, kube, "shop", pod, reason)
}

// setStatusIn plays the kubelet: the container of pod ns/pod waits with
// reason, or runs ("").
func setStatusIn(t *testing.T, kube *kubernetes.Clientset, ns, pod, reason string) {
	t.Helper()
	ctx := context.Background()
	p, err := kube.CoreV1().Pods(ns).Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := corev1.ContainerStatus{Name: "web", Image: p.Spec.Containers[0].Image}
	p.Status.Phase = corev1.PodPending
	if reason == "" {
		p.Status.Phase, st.Ready = corev1.PodRunning, true
		st.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.Now()}
	} else {
		st.State.Waiting = &corev1.ContainerStateWaiting{Reason: reason, Message: `Back-off pulling image "us.icr.io/shop/web:1.0"`}
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{st}
	if _, err := kube.CoreV1().Pods(ns).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// seedCrafted creates what a tenant of shop can make on their own: a
// failing pod that lists default's other pull secret, partner-token, as its
// own. Its diagnosis names the secret missing from shop.
func seedCrafted(t *testing.T, kube *kubernetes.Clientset, w *sandbox.World) (pod string) {
	t.Helper()
	ctx := context.Background()
	if _, err := kube.CoreV1().Secrets("default").Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "partner-token"},
		Type: corev1.SecretTypeDockerConfigJson,
		Data: map[string][]byte{corev1.DockerConfigJsonKey: sandbox.DockerConfig("iamapikey", w.ClusterKey, sandbox.ICRHosts()...)}},
		metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	p, err := kube.CoreV1().Pods("shop").Create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "crafted"},
		Spec: corev1.PodSpec{NodeName: "10.240.0.11", ImagePullSecrets: []corev1.LocalObjectReference{{Name: "partner-token"}},
			Containers: []corev1.Container{{Name: "web", Image: "us.icr.io/shop/web:1.0"}}}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	setStatus(t, kube, p.Name, "ImagePullBackOff")
	return p.Name
}
