package fix

import (
	"context"
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// syncSecret is sync-pull-secret: it refreshes a stale managed copy
// <namespace>/<secret> from default/<secret> (Args "secret", default
// all-icr-io), after the cluster's API key was rotated.
type syncSecret struct {
	secretCopies
}

var _ Fixer = (*syncSecret)(nil)

// Apply refuses when the copy is missing or not pullcheck's, and does
// nothing when it already matches the source.
func (f *syncSecret) Apply(ctx context.Context, req Request) (Result, error) {
	ns, name, src, dst, err := f.pair(ctx, req)
	if err != nil {
		return Result{}, err
	}
	if dst == nil {
		return Result{}, refuse("secret %s/%s does not exist: copy it first", ns, name)
	}
	return f.refresh(ctx, req, src, dst)
}

// refresh brings pullcheck's copy dst up to date with src. The update
// carries the resourceVersion dst was read at, so a concurrent change is a
// conflict rather than lost: refresh then reads dst again and decides once
// more, and gives up on a second conflict.
func (c secretCopies) refresh(ctx context.Context, req Request, src, dst *corev1.Secret) (Result, error) {
	for attempt := 0; ; attempt++ {
		if err := checkRefresh(dst, src); err != nil {
			return Result{}, err
		}
		h := diagnose.ContentHash(src.Data)
		if upToDate(dst, src) {
			return req.result(false, "%s/%s already matches %s (%s)", dst.Namespace, dst.Name, sourceRef(src), h), nil
		}
		old := diagnose.ContentHash(dst.Data)
		err := c.update(ctx, req, src, dst)
		switch {
		case err == nil:
			return req.result(true, "%s %s/%s from %s (%s, was %s)", req.would("refreshed", "refresh"),
				dst.Namespace, dst.Name, sourceRef(src), h, old), nil
		case apierrors.IsNotFound(err):
			return Result{}, refuse("secret %s/%s was deleted meanwhile: copy it again", dst.Namespace, dst.Name)
		case !apierrors.IsConflict(err) || attempt > 0:
			return Result{}, fmt.Errorf("updating secret %s/%s: %w", dst.Namespace, dst.Name, err)
		}
		ns, name := dst.Namespace, dst.Name
		if dst, err = c.target(ctx, ns, name); err != nil {
			return Result{}, err
		}
		if dst == nil {
			return Result{}, refuse("secret %s/%s was deleted meanwhile: copy it again", ns, name)
		}
	}
}

// checkRefresh refuses to refresh dst from src when dst is not pullcheck's
// copy of src, or when Kubernetes would refuse the update anyway.
func checkRefresh(dst, src *corev1.Secret) error {
	if err := checkManaged(dst, src); err != nil {
		return err
	}
	if upToDate(dst, src) {
		return nil
	}
	if dst.Immutable != nil && *dst.Immutable {
		return refuse("secret %s/%s is immutable: delete it, then copy it again", dst.Namespace, dst.Name)
	}
	if dst.Type != src.Type {
		return refuse("secret %s/%s has type %s but %s has type %s, and a type cannot change: delete it, then copy it again",
			dst.Namespace, dst.Name, dst.Type, sourceRef(src), src.Type)
	}
	return nil
}

// update writes src's data into dst, conditional on dst's resourceVersion.
func (c secretCopies) update(ctx context.Context, req Request, src, dst *corev1.Secret) error {
	s := dst.DeepCopy()
	s.Data = maps.Clone(src.Data)
	s.StringData = nil
	stamp(s, src, req.Actor)
	_, err := c.kube.CoreV1().Secrets(s.Namespace).Update(ctx, s, metav1.UpdateOptions{DryRun: req.dryRun()})
	return err
}
