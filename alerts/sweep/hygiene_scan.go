package sweep

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// workload is a pod template that pulls from icr.io: a Deployment,
// StatefulSet or DaemonSet, or a pod that none of those controls (a bare
// pod, or one of a Job).
type workload struct {
	kind, namespace, name string
	created               time.Time
	serviceAccount        string
	// secrets are the template's imagePullSecrets.
	secrets []string
	// pods are its pods that are not being deleted and have not finished.
	pods []pod
}

type pod struct {
	name    string
	created time.Time
}

func (w *workload) String() string { return w.kind + "/" + w.name }

// newWorkload describes a pod template; the service account defaults as
// the API server defaults it.
func newWorkload(kind string, m metav1.ObjectMeta, spec *corev1.PodSpec) *workload {
	w := &workload{kind: kind, namespace: m.Namespace, name: m.Name, created: m.CreationTimestamp.Time,
		serviceAccount: cmp.Or(spec.ServiceAccountName, "default")}
	for _, s := range spec.ImagePullSecrets {
		w.secrets = append(w.secrets, s.Name)
	}
	return w
}

// pageSize bounds each list call: a large cluster's pods do not arrive in
// one answer.
const pageSize = 500

// scanner lists a cluster's workloads. controllers maps the UID of every
// Deployment, StatefulSet and DaemonSet to its workload, nil for those that
// do not pull from icr.io; replicaSets maps a ReplicaSet's UID to the UID
// of the Deployment that controls it.
type scanner struct {
	kube        kubernetes.Interface
	controllers map[types.UID]*workload
	replicaSets map[types.UID]types.UID
}

// scanWorkloads returns the workloads that pull from icr.io, by namespace,
// each namespace's sorted by kind and name.
func scanWorkloads(ctx context.Context, kube kubernetes.Interface) (map[string][]*workload, error) {
	s := &scanner{kube: kube, controllers: map[types.UID]*workload{}, replicaSets: map[types.UID]types.UID{}}
	bare, err := s.scan(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]*workload{}
	for _, w := range s.controllers {
		if w != nil {
			out[w.namespace] = append(out[w.namespace], w)
		}
	}
	for _, w := range bare {
		out[w.namespace] = append(out[w.namespace], w)
	}
	for _, ws := range out {
		slices.SortFunc(ws, func(a, b *workload) int { return strings.Compare(a.String(), b.String()) })
	}
	return out, nil
}

// scan lists the controllers, then the pods, and returns the icr.io pods
// no listed controller owns.
func (s *scanner) scan(ctx context.Context) ([]*workload, error) {
	apps := s.kube.AppsV1()
	err := eachPage("deployments", func(o metav1.ListOptions) (string, error) {
		l, err := apps.Deployments(metav1.NamespaceAll).List(ctx, o)
		if err != nil {
			return "", err
		}
		for i := range l.Items {
			s.controller("deployment", l.Items[i].ObjectMeta, &l.Items[i].Spec.Template.Spec)
		}
		return l.Continue, nil
	})
	if err == nil {
		err = eachPage("statefulsets", func(o metav1.ListOptions) (string, error) {
			l, err := apps.StatefulSets(metav1.NamespaceAll).List(ctx, o)
			if err != nil {
				return "", err
			}
			for i := range l.Items {
				s.controller("statefulset", l.Items[i].ObjectMeta, &l.Items[i].Spec.Template.Spec)
			}
			return l.Continue, nil
		})
	}
	if err == nil {
		err = eachPage("daemonsets", func(o metav1.ListOptions) (string, error) {
			l, err := apps.DaemonSets(metav1.NamespaceAll).List(ctx, o)
			if err != nil {
				return "", err
			}
			for i := range l.Items {
				s.controller("daemonset", l.Items[i].ObjectMeta, &l.Items[i].Spec.Template.Spec)
			}
			return l.Continue, nil
		})
	}
	if err == nil {
		err = eachPage("replicasets", func(o metav1.ListOptions) (string, error) {
			l, err := apps.ReplicaSets(metav1.NamespaceAll).List(ctx, o)
			if err != nil {
				return "", err
			}
			for _, rs := range l.Items {
				if c := metav1.GetControllerOf(&rs); c != nil && c.Kind == "Deployment" {
					s.replicaSets[rs.UID] = c.UID
				}
			}
			return l.Continue, nil
		})
	}
	if err != nil {
		return nil, err
	}
	return s.pods(ctx)
}

// controller records a controller's template.
func (s *scanner) controller(kind string, m metav1.ObjectMeta, spec *corev1.PodSpec) {
	var w *workload
	if pullsFromICR(spec) {
		w = newWorkload(kind, m, spec)
	}
	s.controllers[m.UID] = w
}

// pods attaches pods to their controllers' workloads and returns the icr.io
// pods that have none.
func (s *scanner) pods(ctx context.Context) ([]*workload, error) {
	var bare []*workload
	err := eachPage("pods", func(o metav1.ListOptions) (string, error) {
		l, err := s.kube.CoreV1().Pods(metav1.NamespaceAll).List(ctx, o)
		if err != nil {
			return "", err
		}
		for i := range l.Items {
			p := &l.Items[i]
			if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
				continue
			}
			ref := pod{name: p.Name, created: p.CreationTimestamp.Time}
			if w, ok := s.controllers[s.ownerOf(p)]; ok {
				if w != nil {
					w.pods = append(w.pods, ref)
				}
				continue
			}
			if pullsFromICR(&p.Spec) {
				w := newWorkload("pod", p.ObjectMeta, &p.Spec)
				w.pods = []pod{ref}
				bare = append(bare, w)
			}
		}
		return l.Continue, nil
	})
	return bare, err
}

// ownerOf is the UID of the Deployment, StatefulSet or DaemonSet that
// controls a pod, "" when there is none.
func (s *scanner) ownerOf(p *corev1.Pod) types.UID {
	c := metav1.GetControllerOf(p)
	if c == nil {
		return ""
	}
	if d, ok := s.replicaSets[c.UID]; ok {
		return d
	}
	return c.UID
}

// eachPage calls list with continue tokens until the last page.
func eachPage(what string, list func(metav1.ListOptions) (string, error)) error {
	opts := metav1.ListOptions{Limit: pageSize}
	for {
		next, err := list(opts)
		if err != nil {
			return fmt.Errorf("listing %s: %w", what, err)
		}
		if next == "" {
			return nil
		}
		opts.Continue = next
	}
}

// pullsFromICR reports whether a container of spec pulls from an icr.io
// host (public or private; not the retired bluemix.net names, which
// all-icr-io does not cover).
func pullsFromICR(spec *corev1.PodSpec) bool {
	for _, cs := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for _, c := range cs {
			if h, ok := icr.Lookup(registryHost(c.Image)); ok && !h.IsDeprecated {
				return true
			}
		}
	}
	return false
}

// registryHost is the registry host of an image reference, "" for Docker
// Hub's short names ("nginx", "library/nginx").
func registryHost(image string) string {
	host, rest, ok := strings.Cut(image, "/")
	if !ok || rest == "" || !(strings.ContainsAny(host, ".:") || host == "localhost") {
		return ""
	}
	return host
}
