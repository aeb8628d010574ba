package diagnose

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ownerFacts is the workload that owns the pod.
type ownerFacts struct {
	kind, name string
	// controlled is true when a controller will recreate the pod if it is deleted.
	controlled bool
	// templateSecrets are the pull secrets the workload's pod template lists.
	templateSecrets []string
	// hasTemplate is true for Deployments, StatefulSets, DaemonSets, Jobs and CronJobs.
	hasTemplate bool
}

func (t *Target) owner(ctx context.Context) (*ownerFacts, error) {
	return t.workload.get(func() (*ownerFacts, error) {
		pf, err := t.podFacts(ctx)
		if err != nil {
			return nil, err
		}
		ctrl := metav1.GetControllerOf(pf.pod)
		if ctrl == nil {
			return &ownerFacts{kind: "Pod", name: pf.pod.Name}, nil
		}
		return t.resolveOwner(ctx, pf.pod.Namespace, ctrl.Kind, ctrl.Name)
	})
}

func (t *Target) resolveOwner(ctx context.Context, ns, kind, name string) (*ownerFacts, error) {
	apps, batch := t.e.opts.Kube.AppsV1(), t.e.opts.Kube.BatchV1()
	of := &ownerFacts{kind: kind, name: name, controlled: true}
	switch kind {
	case "ReplicaSet":
		rs, err := apps.ReplicaSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return t.ownerError(of, err, "replicasets", ns)
		}
		if c := metav1.GetControllerOf(rs); c != nil && c.Kind == "Deployment" {
			return t.resolveOwner(ctx, ns, c.Kind, c.Name)
		}
		of.templateSecrets, of.hasTemplate = refNames(rs.Spec.Template.Spec.ImagePullSecrets), true
	case "Deployment":
		d, err := apps.Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return t.ownerError(of, err, "deployments", ns)
		}
		of.templateSecrets, of.hasTemplate = refNames(d.Spec.Template.Spec.ImagePullSecrets), true
	case "StatefulSet":
		s, err := apps.StatefulSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return t.ownerError(of, err, "statefulsets", ns)
		}
		of.templateSecrets, of.hasTemplate = refNames(s.Spec.Template.Spec.ImagePullSecrets), true
	case "DaemonSet":
		d, err := apps.DaemonSets(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return t.ownerError(of, err, "daemonsets", ns)
		}
		of.templateSecrets, of.hasTemplate = refNames(d.Spec.Template.Spec.ImagePullSecrets), true
	case "Job":
		j, err := batch.Jobs(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return t.ownerError(of, err, "jobs", ns)
		}
		if c := metav1.GetControllerOf(j); c != nil && c.Kind == "CronJob" {
			of.kind, of.name = "CronJob", c.Name
		}
		of.templateSecrets, of.hasTemplate = refNames(j.Spec.Template.Spec.ImagePullSecrets), true
	}
	return of, nil
}

// ownerError keeps what is known of an owner that cannot be read.
func (t *Target) ownerError(of *ownerFacts, err error, resource, ns string) (*ownerFacts, error) {
	if apierrors.IsNotFound(err) {
		return of, nil
	}
	return of, t.kubeError(err, "get", resource, ns, "read the pod's owning workload")
}

// restartRemedies offers restart-pod when a controller will bring the pod back.
func (t *Target) restartRemedies(ctx context.Context) []Remedy {
	of, err := t.owner(ctx)
	if err != nil || !of.controlled {
		return nil
	}
	pf, err := t.podFacts(ctx)
	if err != nil {
		return nil
	}
	return []Remedy{restartPodRemedy(t.Request.Namespace, t.Request.Pod, pf.pod.UID)}
}
