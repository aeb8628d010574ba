package fix

import (
	"context"
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Annotations on the pull-secret copies pullcheck manages. Together with
// the diagnose.ManagedByLabel label they let a sweep find stale copies and
// tell who made each one.
const (
	// SourceAnnotation names the secret a copy was made from
	// ("default/all-icr-io"). diagnose owns it: with the label, it is what
	// makes a secret pullcheck's copy (diagnose.ManagedCopy).
	SourceAnnotation = diagnose.SourceAnnotation
	// SourceHashAnnotation is diagnose.ContentHash of the data copied.
	SourceHashAnnotation = "pullcheck.io/source-hash"
	// AppliedByAnnotation is the Request.Actor of the last create or refresh.
	AppliedByAnnotation = "pullcheck.io/applied-by"
)

// sourceNamespace holds the cluster pull secrets that are copied.
const sourceNamespace = "default"

// secretCopies reads and writes pullcheck's copies of default's pull secrets.
type secretCopies struct {
	kube    kubernetes.Interface
	sources copySources
}

// copyNames validates a copy or sync request and returns the target
// namespace and the secret name (Args "secret", default all-icr-io).
func copyNames(req Request) (ns, name string, err error) {
	ns, name = req.Namespace, req.arg("secret", diagnose.ClusterPullSecretName)
	if err := checkNamespace(ns); err != nil {
		return "", "", err
	}
	if ns == sourceNamespace {
		return "", "", refuse("%s/%s is the original: there is nothing to copy into %s", ns, name, sourceNamespace)
	}
	return ns, name, checkName("secret", name)
}

// source reads default/<name>, refusing when it is missing or is not an
// image pull secret: a button must not be able to copy any other secret out
// of default.
func (c secretCopies) source(ctx context.Context, name string) (*corev1.Secret, error) {
	s, err := c.kube.CoreV1().Secrets(sourceNamespace).Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return nil, refuse("%s/%s does not exist: re-apply the cluster pull secret first", sourceNamespace, name)
	case err != nil:
		return nil, fmt.Errorf("reading secret %s/%s: %w", sourceNamespace, name, err)
	case s.Type != corev1.SecretTypeDockerConfigJson && s.Type != corev1.SecretTypeDockercfg:
		return nil, refuse("%s/%s is not an image pull secret (type %s): pullcheck copies only pull secrets", sourceNamespace, name, s.Type)
	}
	return s, nil
}

// target reads ns/name; nil, nil when it does not exist.
func (c secretCopies) target(ctx context.Context, ns, name string) (*corev1.Secret, error) {
	s, err := c.kube.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading secret %s/%s: %w", ns, name, err)
	}
	return s, nil
}

// sourceRef is the SourceAnnotation value of a copy of src.
func sourceRef(src *corev1.Secret) string { return sourceNamespace + "/" + src.Name }

// checkManaged refuses dst unless pullcheck made it as a copy of src
// (diagnose.ManagedCopy): pullcheck never overwrites a secret it did not
// create.
func checkManaged(dst, src *corev1.Secret) error {
	if !diagnose.ManagedCopy(dst.Labels, dst.Annotations) {
		return refuse("secret %s/%s exists and is not managed by pullcheck, which never overwrites a secret it did not create: "+
			"refresh it by hand, or label it %s=%s and annotate it %s=%s to hand it over",
			dst.Namespace, dst.Name, diagnose.ManagedByLabel, diagnose.ManagedBy, SourceAnnotation, sourceRef(src))
	}
	if from := dst.Annotations[SourceAnnotation]; from != sourceRef(src) {
		return refuse("secret %s/%s is pullcheck's copy of %s, not of %s: it is left alone", dst.Namespace, dst.Name, from, sourceRef(src))
	}
	return nil
}

// upToDate reports whether dst holds exactly src's type and data and says
// so in its annotation. The data is compared too, so a copy edited by hand
// is refreshed even though its annotation still matches.
func upToDate(dst, src *corev1.Secret) bool {
	h := diagnose.ContentHash(src.Data)
	return dst.Type == src.Type && diagnose.ContentHash(dst.Data) == h && dst.Annotations[SourceHashAnnotation] == h
}

// stamp labels s as pullcheck's copy of src, made for actor.
func stamp(s, src *corev1.Secret, actor string) {
	if s.Labels == nil {
		s.Labels = map[string]string{}
	}
	if s.Annotations == nil {
		s.Annotations = map[string]string{}
	}
	s.Labels[diagnose.ManagedByLabel] = diagnose.ManagedBy
	s.Annotations[SourceAnnotation] = sourceRef(src)
	s.Annotations[SourceHashAnnotation] = diagnose.ContentHash(src.Data)
	s.Annotations[AppliedByAnnotation] = actor
}

// newCopy is the managed copy of src in ns. It takes src's type and data
// only: src's own labels and annotations (a last-applied-configuration
// annotation may hold the data itself) stay behind.
func newCopy(src *corev1.Secret, ns, actor string) *corev1.Secret {
	s := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: src.Name},
		Type:       src.Type,
		Data:       maps.Clone(src.Data),
	}
	stamp(s, src, actor)
	return s
}

// pair reads the source default/<secret> and its copy in the request's
// namespace (nil when there is none). A secret that is not a copy source is
// refused before anything is read.
func (f secretCopies) pair(ctx context.Context, req Request) (ns, name string, src, dst *corev1.Secret, err error) {
	if ns, name, err = copyNames(req); err != nil {
		return "", "", nil, nil, err
	}
	if err = f.sources.check(name); err != nil {
		return "", "", nil, nil, err
	}
	if src, err = f.source(ctx, name); err != nil {
		return "", "", nil, nil, err
	}
	dst, err = f.target(ctx, ns, name)
	return ns, name, src, dst, err
}
