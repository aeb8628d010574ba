package preflight

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestOverlay(t *testing.T) {
	ctx := context.Background()
	live := fake.NewClientset(
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}},
		&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "default"},
			ImagePullSecrets: []corev1.LocalObjectReference{{Name: "all-icr-io"}}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "all-icr-io"}, Type: corev1.SecretTypeDockerConfigJson},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "us-icr-io"}, Type: corev1.SecretTypeDockerConfigJson},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "token"}, Type: corev1.SecretTypeOpaque},
	)
	m := &Manifests{
		Namespaces: []*corev1.Namespace{{ObjectMeta: metav1.ObjectMeta{Name: "launch"}}},
		ServiceAccounts: []*corev1.ServiceAccount{{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "default"}},
			{ObjectMeta: metav1.ObjectMeta{Namespace: "launch", Name: "builder"}}},
		Secrets: []*corev1.Secret{
			{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "us-icr-io"}, Type: corev1.SecretTypeOpaque},
			{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "de-icr-io"}, Type: corev1.SecretTypeDockerConfigJson},
			{ObjectMeta: metav1.ObjectMeta{Namespace: "launch", Name: "regcred"}, Type: corev1.SecretTypeDockerConfigJson},
		},
	}
	kube := Overlay(live, m)
	core := kube.CoreV1()

	for _, ns := range []string{"shop", "launch"} {
		if _, err := core.Namespaces().Get(ctx, ns, metav1.GetOptions{}); err != nil {
			t.Errorf("namespace %s: %v", ns, err)
		}
	}
	if _, err := core.Namespaces().Get(ctx, "ghost", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace ghost: %v, want not found", err)
	}
	sa, err := core.ServiceAccounts("shop").Get(ctx, "default", metav1.GetOptions{})
	if err != nil || len(sa.ImagePullSecrets) != 0 {
		t.Errorf("the manifests' shop/default replaces the live one: %+v, %v", sa, err)
	}
	if sa, err := core.ServiceAccounts("launch").Get(ctx, "default", metav1.GetOptions{}); err != nil || sa.Name != "default" {
		t.Errorf("a created namespace gets a default service account: %+v, %v", sa, err)
	}
	if _, err := core.ServiceAccounts("ghost").Get(ctx, "default", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("ghost/default: %v, want not found", err)
	}
	if s, err := core.Secrets("launch").Get(ctx, "regcred", metav1.GetOptions{}); err != nil || s.Name != "regcred" {
		t.Errorf("launch/regcred: %v", err)
	}
	if s, err := core.Secrets("default").Get(ctx, "all-icr-io", metav1.GetOptions{}); err != nil || s.Name != "all-icr-io" {
		t.Errorf("live default/all-icr-io: %v", err)
	}

	list, err := core.Secrets("default").List(ctx, metav1.ListOptions{FieldSelector: "type=" + string(corev1.SecretTypeDockerConfigJson)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list.Items {
		if s.Type == corev1.SecretTypeDockerConfigJson { // the fake ignores field selectors; the overlay does not
			names = append(names, s.Name)
		}
	}
	if diff := cmp.Diff([]string{"all-icr-io", "de-icr-io"}, names); diff != "" {
		t.Errorf("listing default's pull secrets (-want +got):\n%s", diff)
	}

	// Writes and other resources reach the live cluster.
	if _, err := core.ConfigMaps("shop").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "x"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.CoreV1().ConfigMaps("shop").Get(ctx, "x", metav1.GetOptions{}); err != nil {
		t.Errorf("a call the overlay does not answer did not reach the cluster: %v", err)
	}
}

func TestOverlayWithoutObjectsIsTheCluster(t *testing.T) {
	live := fake.NewClientset()
	if got := Overlay(live, &Manifests{}); got != live {
		t.Error("an overlay without objects should be the live client itself")
	}
}
