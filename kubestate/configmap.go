package kubestate

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// ConfigMap keeps the document as JSON under Key in the ConfigMap
// Namespace/Name, which Save creates (labelled as pullcheck's) when it does
// not exist. Other keys, labels and annotations are left as they are.
// Permissions: get, create and update configmaps in Namespace.
type ConfigMap struct {
	Kube      kubernetes.Interface
	Namespace string
	Name      string
	Key       string
}

var _ Store = (*ConfigMap)(nil)

// Load reads the document; a missing ConfigMap or key is no document.
func (c *ConfigMap) Load(ctx context.Context, v any) (Version, error) {
	cm, err := c.Kube.CoreV1().ConfigMaps(c.Namespace).Get(ctx, c.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading configmap %s: %w", c.ref(), err)
	}
	if raw, ok := cm.Data[c.Key]; ok && raw != "" {
		if err := json.Unmarshal([]byte(raw), v); err != nil {
			return "", fmt.Errorf("reading %s of configmap %s: %w", c.Key, c.ref(), err)
		}
	}
	return Version(cm.ResourceVersion), nil
}

// Save writes v over the version at: it creates the ConfigMap when at is
// "", and otherwise updates it with at as its resourceVersion, so the API
// server refuses the write if anyone wrote since.
func (c *ConfigMap) Save(ctx context.Context, v any, at Version) (Version, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encoding %s of configmap %s: %w", c.Key, c.ref(), err)
	}
	if at == "" {
		return c.create(ctx, string(raw))
	}
	return c.update(ctx, string(raw), at)
}

func (c *ConfigMap) create(ctx context.Context, raw string) (Version, error) {
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Name: c.Name,
			Labels: map[string]string{"app.kubernetes.io/managed-by": "pullcheck"}},
		Data: map[string]string{c.Key: raw},
	}
	out, err := c.Kube.CoreV1().ConfigMaps(c.Namespace).Create(ctx, cm, metav1.CreateOptions{})
	if err != nil {
		return "", c.writeError("creating", err)
	}
	return Version(out.ResourceVersion), nil
}

// update reads the ConfigMap to keep its other keys, and writes it back
// conditional on at.
func (c *ConfigMap) update(ctx context.Context, raw string, at Version) (Version, error) {
	cms := c.Kube.CoreV1().ConfigMaps(c.Namespace)
	cm, err := cms.Get(ctx, c.Name, metav1.GetOptions{})
	if err != nil {
		return "", c.writeError("reading", err)
	}
	if Version(cm.ResourceVersion) != at {
		return "", fmt.Errorf("updating configmap %s: %w (read at version %s, now %s)", c.ref(), ErrConflict, at, cm.ResourceVersion)
	}
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[c.Key] = raw
	out, err := cms.Update(ctx, cm, metav1.UpdateOptions{})
	if err != nil {
		return "", c.writeError("updating", err)
	}
	return Version(out.ResourceVersion), nil
}

// writeError classifies what the API server said about a write.
func (c *ConfigMap) writeError(doing string, err error) error {
	switch {
	case apierrors.IsConflict(err), apierrors.IsAlreadyExists(err), apierrors.IsNotFound(err):
		return fmt.Errorf("%s configmap %s: %w: %w", doing, c.ref(), ErrConflict, err)
	case TooLarge(err):
		return fmt.Errorf("%s configmap %s: %w: %w", doing, c.ref(), ErrTooLarge, err)
	}
	return fmt.Errorf("%s configmap %s: %w", doing, c.ref(), err)
}

func (c *ConfigMap) ref() string { return c.Namespace + "/" + c.Name }

// TooLarge reports whether the API server refused an object as too large:
// a validation error whose cause is a value that is too long (a ConfigMap
// or Secret over 1 MiB), or 413 Request Entity Too Large.
func TooLarge(err error) bool {
	if apierrors.IsRequestEntityTooLargeError(err) {
		return true
	}
	if !apierrors.IsInvalid(err) {
		return false
	}
	return apierrors.HasStatusCause(err, metav1.CauseTypeTooLong)
}
