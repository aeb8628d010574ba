package fix

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
)

// patchServiceAccount is patch-service-account: it adds a pull secret (Args
// "secret", default all-icr-io) to the imagePullSecrets of a service account
// (Args "serviceAccount", default "default"), so that pods created from then
// on use it.
type patchServiceAccount struct {
	kube kubernetes.Interface
}

var _ Fixer = (*patchServiceAccount)(nil)

// Apply refuses when the service account or the secret is missing, and does
// nothing when the service account already lists the secret.
//
// The JSON patch tests the resourceVersion the decision was made on, so two
// concurrent clicks cannot both append: the API server fails the second
// patch (422, or 409), and Apply then reads the service account again and
// finds the secret listed.
func (f *patchServiceAccount) Apply(ctx context.Context, req Request) (Result, error) {
	ns, saName, secret := req.Namespace, req.arg("serviceAccount", "default"), req.arg("secret", diagnose.ClusterPullSecretName)
	if err := checkNamespace(ns); err != nil {
		return Result{}, err
	}
	if err := checkName("service account", saName); err != nil {
		return Result{}, err
	}
	if err := checkName("secret", secret); err != nil {
		return Result{}, err
	}
	if err := f.checkSecret(ctx, ns, secret); err != nil {
		return Result{}, err
	}
	for attempt := 0; ; attempt++ {
		sa, err := f.serviceAccount(ctx, ns, saName)
		if err != nil {
			return Result{}, err
		}
		if lists(sa, secret) {
			return req.result(false, "service account %s/%s already lists %s", ns, saName, secret), nil
		}
		err = f.patch(ctx, req, sa, secret)
		switch {
		case err == nil:
			return req.result(true, "%s %s to the imagePullSecrets of service account %s/%s; pods created from now on use it",
				req.would("added", "add"), secret, ns, saName), nil
		case apierrors.IsNotFound(err):
			return Result{}, refuse("service account %s/%s was deleted meanwhile", ns, saName)
		case !(apierrors.IsInvalid(err) || apierrors.IsConflict(err)) || attempt > 0:
			return Result{}, fmt.Errorf("patching service account %s/%s: %w", ns, saName, err)
		}
	}
}

// checkSecret refuses a secret that is missing from ns or that is not an
// image pull secret: the kubelet would ignore it.
func (f *patchServiceAccount) checkSecret(ctx context.Context, ns, name string) error {
	s, err := f.kube.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return refuse("secret %s/%s does not exist: copy it first", ns, name)
	case err != nil:
		return fmt.Errorf("reading secret %s/%s: %w", ns, name, err)
	case s.Type != corev1.SecretTypeDockerConfigJson && s.Type != corev1.SecretTypeDockercfg:
		return refuse("secret %s/%s is not an image pull secret (type %s)", ns, name, s.Type)
	}
	return nil
}

func (f *patchServiceAccount) serviceAccount(ctx context.Context, ns, name string) (*corev1.ServiceAccount, error) {
	sa, err := f.kube.CoreV1().ServiceAccounts(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, refuse("service account %s/%s does not exist", ns, name)
	}
	if err != nil {
		return nil, fmt.Errorf("reading service account %s/%s: %w", ns, name, err)
	}
	return sa, nil
}

// lists reports whether sa's imagePullSecrets name secret.
func lists(sa *corev1.ServiceAccount, secret string) bool {
	for _, r := range sa.ImagePullSecrets {
		if r.Name == secret {
			return true
		}
	}
	return false
}

// jsonPatchOp is one RFC 6902 operation.
type jsonPatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// addSecretPatch appends secret to sa's imagePullSecrets, on condition that
// sa is still at the resourceVersion it was read at. Appending to a missing
// list fails, so an empty list is created whole. Only an object without a
// resourceVersion (in fake clusters) goes unguarded.
func addSecretPatch(sa *corev1.ServiceAccount, secret string) ([]byte, error) {
	var ops []jsonPatchOp
	if rv := sa.ResourceVersion; rv != "" {
		ops = append(ops, jsonPatchOp{Op: "test", Path: "/metadata/resourceVersion", Value: rv})
	}
	ref := corev1.LocalObjectReference{Name: secret}
	if len(sa.ImagePullSecrets) == 0 {
		ops = append(ops, jsonPatchOp{Op: "add", Path: "/imagePullSecrets", Value: []corev1.LocalObjectReference{ref}})
	} else {
		ops = append(ops, jsonPatchOp{Op: "add", Path: "/imagePullSecrets/-", Value: ref})
	}
	return json.Marshal(ops)
}

func (f *patchServiceAccount) patch(ctx context.Context, req Request, sa *corev1.ServiceAccount, secret string) error {
	p, err := addSecretPatch(sa, secret)
	if err != nil {
		return fmt.Errorf("encoding the patch: %w", err)
	}
	_, err = f.kube.CoreV1().ServiceAccounts(sa.Namespace).Patch(ctx, sa.Name, types.JSONPatchType, p,
		metav1.PatchOptions{DryRun: req.dryRun()})
	return err
}
