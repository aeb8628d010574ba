package fix

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// copySecret is copy-pull-secret: it copies default/<secret> (Args "secret",
// default all-icr-io) into the request's namespace under the same name,
// labelled as managed by pullcheck and annotated with the source, its
// content hash and the actor.
type copySecret struct {
	secretCopies
}

var _ Fixer = (*copySecret)(nil)

// Apply creates the copy when it is missing. An existing copy made by
// pullcheck is left alone when it matches the source and refreshed when it
// does not; any other existing secret is a refusal.
func (f *copySecret) Apply(ctx context.Context, req Request) (Result, error) {
	ns, name, src, dst, err := f.pair(ctx, req)
	if err != nil {
		return Result{}, err
	}
	if dst != nil {
		return f.refresh(ctx, req, src, dst)
	}
	res, err := f.create(ctx, req, src, ns)
	if !apierrors.IsAlreadyExists(err) {
		return res, err
	}
	// Someone created it between the read and the create (a second
	// click, or a person): decide again on what is there now.
	if dst, err = f.target(ctx, ns, name); err != nil {
		return Result{}, err
	}
	if dst == nil {
		return Result{}, fmt.Errorf("creating secret %s/%s: it was created and deleted meanwhile; try again", ns, name)
	}
	return f.refresh(ctx, req, src, dst)
}

// create creates the managed copy of src in ns. AlreadyExists is returned
// as is, for Apply to decide on.
func (f *copySecret) create(ctx context.Context, req Request, src *corev1.Secret, ns string) (Result, error) {
	s := newCopy(src, ns, req.Actor)
	_, err := f.kube.CoreV1().Secrets(ns).Create(ctx, s, metav1.CreateOptions{DryRun: req.dryRun()})
	switch {
	case apierrors.IsAlreadyExists(err):
		return Result{}, err
	case apierrors.IsNotFound(err):
		return Result{}, refuse("namespace %s does not exist", ns)
	case err != nil:
		return Result{}, fmt.Errorf("creating secret %s/%s: %w", ns, s.Name, err)
	}
	return req.result(true, "%s %s/%s from %s (%s)", req.would("created", "create"), ns, s.Name, sourceRef(src),
		diagnose.ContentHash(src.Data)), nil
}
