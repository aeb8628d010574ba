package diagnose

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// containerFacts is one container of the pod, with its waiting state.
type containerFacts struct {
	Name    string
	Kind    string // "init container", "container" or "ephemeral container"
	Image   string
	Reason  string
	Message string
	// PullPolicy is the container's imagePullPolicy as the API server
	// defaulted it ("" when the pod was built without defaulting).
	PullPolicy corev1.PullPolicy
}

func (c containerFacts) failing() bool { return IsPullFailure(c.Reason) }

// podFacts is the pod and the container the diagnosis is about.
type podFacts struct {
	pod       *corev1.Pod
	container containerFacts
	failing   []containerFacts
	// missingContainer is set when the request names a container the pod lacks.
	missingContainer string
}

// kubeError turns a Kubernetes API error into a user-safe one and records a
// missing RBAC permission.
func (t *Target) kubeError(err error, verb, resource, ns, neededFor string) error {
	switch {
	case apierrors.IsForbidden(err):
		perm := fmt.Sprintf("Kubernetes RBAC: %s %s in namespace %s", verb, resource, ns)
		t.noteMissing(perm, neededFor)
		return fmt.Errorf("pullcheck may not %s %s in namespace %s", verb, resource, ns)
	case apierrors.IsNotFound(err):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Errorf("the Kubernetes API did not answer in time (%s %s)", verb, resource)
	case apierrors.IsUnauthorized(err):
		return errors.New("the Kubernetes API rejected pullcheck's credentials (401): check the kubeconfig or service account token")
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return fmt.Errorf("cannot reach the Kubernetes API: %v", opErr)
	}
	ref := newRef()
	t.e.opts.Logger.Warn("kubernetes API error", "verb", verb, "resource", resource, "namespace", ns, "ref", ref, "err", err)
	return fmt.Errorf("the Kubernetes API failed to %s %s (reference %s)", verb, resource, ref)
}

// podFacts returns the pod, or a skip error when it does not exist.
func (t *Target) podFacts(ctx context.Context) (*podFacts, error) {
	pf, err := t.pod.get(func() (*podFacts, error) { return t.loadPod(ctx) })
	switch {
	case apierrors.IsNotFound(err):
		return nil, skip("pod %s not found", t.Request)
	case err != nil:
		return nil, skip("the pod could not be read (see pod-not-found)")
	}
	if err == nil && pf.missingContainer != "" {
		return nil, skip("pod %s has no container %s", t.Request, pf.missingContainer)
	}
	return pf, err
}

func (t *Target) loadPod(ctx context.Context) (*podFacts, error) {
	req := t.Request
	var pod *corev1.Pod
	var err error
	if req.Preflight() {
		pod, err = t.preflightPod(ctx)
	} else {
		pod, err = t.e.opts.Kube.CoreV1().Pods(req.Namespace).Get(ctx, req.Pod, metav1.GetOptions{})
	}
	if err != nil {
		return nil, t.kubeError(err, "get", "pods", req.Namespace, "read the pod")
	}
	pf := &podFacts{pod: pod}
	all := containersOf(pod)
	for _, c := range all {
		if c.failing() {
			pf.failing = append(pf.failing, c)
		}
	}
	switch {
	case req.Container != "":
		pf.missingContainer = req.Container
		for _, c := range all {
			if c.Name == req.Container {
				pf.container, pf.missingContainer = c, ""
			}
		}
	case len(pf.failing) > 0:
		pf.container = pf.failing[0]
	case len(all) > 0:
		pf.container = firstRegular(all)
	}
	return pf, nil
}

// preflightPod is the pod a workload would create for the image: it runs
// as the request's service account and gets the pull secrets it lists, or
// else the service account's, as the ServiceAccount admission plugin copies
// them into new pods.
func (t *Target) preflightPod(ctx context.Context) (*corev1.Pod, error) {
	req := t.Request
	ns, sa := req.Namespace, req.ServiceAccount
	if sa == "" {
		sa = "default"
	}
	if _, err := t.e.opts.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); err != nil && apierrors.IsNotFound(err) {
		return nil, err
	}
	name := req.Container
	if name == "" {
		name = "preflight"
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "preflight"},
		Spec: corev1.PodSpec{ServiceAccountName: sa, Containers: []corev1.Container{{Name: name, Image: req.Image}}}}
	for _, s := range req.PullSecrets {
		pod.Spec.ImagePullSecrets = append(pod.Spec.ImagePullSecrets, corev1.LocalObjectReference{Name: s})
	}
	if len(pod.Spec.ImagePullSecrets) == 0 {
		if acct, err := t.e.opts.Kube.CoreV1().ServiceAccounts(ns).Get(ctx, sa, metav1.GetOptions{}); err == nil {
			pod.Spec.ImagePullSecrets = acct.ImagePullSecrets
		}
	}
	return pod, nil
}

// containersOf lists init, regular and ephemeral containers, in that order,
// with their waiting state.
func containersOf(pod *corev1.Pod) []containerFacts {
	var out []containerFacts
	add := func(kind, name, image string, policy corev1.PullPolicy, statuses []corev1.ContainerStatus) {
		c := containerFacts{Name: name, Kind: kind, Image: image, PullPolicy: policy}
		for _, s := range statuses {
			if s.Name == name && s.State.Waiting != nil {
				c.Reason, c.Message = s.State.Waiting.Reason, s.State.Waiting.Message
			}
		}
		out = append(out, c)
	}
	for _, c := range pod.Spec.InitContainers {
		add("init container", c.Name, c.Image, c.ImagePullPolicy, pod.Status.InitContainerStatuses)
	}
	for _, c := range pod.Spec.Containers {
		add("container", c.Name, c.Image, c.ImagePullPolicy, pod.Status.ContainerStatuses)
	}
	for _, c := range pod.Spec.EphemeralContainers {
		add("ephemeral container", c.Name, c.Image, c.ImagePullPolicy, pod.Status.EphemeralContainerStatuses)
	}
	return out
}

func firstRegular(all []containerFacts) containerFacts {
	for _, c := range all {
		if c.Kind == "container" {
			return c
		}
	}
	return all[0]
}

// containerAndImage returns what the report is about, when the pod was read.
func (t *Target) containerAndImage() (string, string) {
	pf, err := t.pod.get(func() (*podFacts, error) { return nil, errors.New("pod not read") })
	if err != nil || pf == nil || pf.missingContainer != "" {
		return "", ""
	}
	return pf.container.Name, pf.container.Image
}

// serviceAccountFacts is the pod's service account; missing when it does not exist.
type serviceAccountFacts struct {
	name    string
	missing bool
	secrets []string
}

func (t *Target) serviceAccount(ctx context.Context) (*serviceAccountFacts, error) {
	return t.sa.get(func() (*serviceAccountFacts, error) {
		pf, err := t.podFacts(ctx)
		if err != nil {
			return nil, err
		}
		name := pf.pod.Spec.ServiceAccountName
		if name == "" {
			name = "default"
		}
		sa, err := t.e.opts.Kube.CoreV1().ServiceAccounts(t.Request.Namespace).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return &serviceAccountFacts{name: name, missing: true}, nil
		}
		if err != nil {
			return nil, t.kubeError(err, "get", "serviceaccounts", t.Request.Namespace, "read the pod's service account")
		}
		return &serviceAccountFacts{name: name, secrets: refNames(sa.ImagePullSecrets)}, nil
	})
}

func refNames(refs []corev1.LocalObjectReference) []string {
	var names []string
	for _, r := range refs {
		if r.Name != "" {
			names = append(names, r.Name)
		}
	}
	return names
}

func joinOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
