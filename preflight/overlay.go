package preflight

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
)

// Overlay is the live cluster as the manifests would leave it once
// applied: reads of a Namespace, ServiceAccount or Secret that the
// manifests create answer with the manifests' object; everything else
// falls through to live. A namespace the manifests create gets the
// "default" service account the service account controller would give it.
// Call it once m is resolved (Manifests.Resolve): objects are found by
// their namespace.
func Overlay(live kubernetes.Interface, m *Manifests) kubernetes.Interface {
	if len(m.Namespaces)+len(m.ServiceAccounts)+len(m.Secrets) == 0 {
		return live
	}
	o := &objects{namespaces: map[string]*corev1.Namespace{}, accounts: map[objectKey]*corev1.ServiceAccount{},
		secrets: map[objectKey]*corev1.Secret{}}
	for _, ns := range m.Namespaces {
		o.namespaces[ns.Name] = ns
	}
	for _, sa := range m.ServiceAccounts {
		o.accounts[objectKey{sa.Namespace, sa.Name}] = sa
	}
	for _, s := range m.Secrets {
		o.secrets[objectKey{s.Namespace, s.Name}] = s
	}
	o.secretOrder = m.Secrets
	return &overlay{Interface: live, objs: o}
}

type objectKey struct{ namespace, name string }

// objects are the manifests' objects, read-only once built.
type objects struct {
	namespaces map[string]*corev1.Namespace
	accounts   map[objectKey]*corev1.ServiceAccount
	secrets    map[objectKey]*corev1.Secret
	// secretOrder is the manifests' order, for lists.
	secretOrder []*corev1.Secret
}

type overlay struct {
	kubernetes.Interface
	objs *objects
}

var _ kubernetes.Interface = (*overlay)(nil)

func (o *overlay) CoreV1() corev1client.CoreV1Interface {
	return &overlayCore{CoreV1Interface: o.Interface.CoreV1(), objs: o.objs}
}

type overlayCore struct {
	corev1client.CoreV1Interface
	objs *objects
}

func (c *overlayCore) Namespaces() corev1client.NamespaceInterface {
	return overlayNamespaces{c.CoreV1Interface.Namespaces(), c.objs}
}

func (c *overlayCore) ServiceAccounts(ns string) corev1client.ServiceAccountInterface {
	return overlayAccounts{c.CoreV1Interface.ServiceAccounts(ns), ns, c.objs}
}

func (c *overlayCore) Secrets(ns string) corev1client.SecretInterface {
	return overlaySecrets{c.CoreV1Interface.Secrets(ns), ns, c.objs}
}

type overlayNamespaces struct {
	corev1client.NamespaceInterface
	objs *objects
}

func (n overlayNamespaces) Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1.Namespace, error) {
	if ns, ok := n.objs.namespaces[name]; ok {
		return ns.DeepCopy(), nil
	}
	return n.NamespaceInterface.Get(ctx, name, opts)
}

type overlayAccounts struct {
	corev1client.ServiceAccountInterface
	ns   string
	objs *objects
}

func (a overlayAccounts) Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1.ServiceAccount, error) {
	if sa, ok := a.objs.accounts[objectKey{a.ns, name}]; ok {
		return sa.DeepCopy(), nil
	}
	sa, err := a.ServiceAccountInterface.Get(ctx, name, opts)
	if _, created := a.objs.namespaces[a.ns]; created && name == "default" && apierrors.IsNotFound(err) {
		return &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: a.ns, Name: name}}, nil
	}
	return sa, err
}

type overlaySecrets struct {
	corev1client.SecretInterface
	ns   string
	objs *objects
}

func (s overlaySecrets) Get(ctx context.Context, name string, opts metav1.GetOptions) (*corev1.Secret, error) {
	if sec, ok := s.objs.secrets[objectKey{s.ns, name}]; ok {
		return sec.DeepCopy(), nil
	}
	return s.SecretInterface.Get(ctx, name, opts)
}

// List is the live list with the manifests' secrets of the namespace that
// match opts laid over it.
func (s overlaySecrets) List(ctx context.Context, opts metav1.ListOptions) (*corev1.SecretList, error) {
	list, err := s.SecretInterface.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	fsel, err := fields.ParseSelector(opts.FieldSelector)
	if err != nil {
		return nil, err
	}
	lsel, err := labels.Parse(opts.LabelSelector)
	if err != nil {
		return nil, err
	}
	out := list.DeepCopy()
	out.Items = out.Items[:0]
	for _, live := range list.Items {
		if _, shadowed := s.objs.secrets[objectKey{s.ns, live.Name}]; !shadowed {
			out.Items = append(out.Items, live)
		}
	}
	for _, sec := range s.objs.secretOrder {
		if sec.Namespace != s.ns || s.objs.secrets[objectKey{s.ns, sec.Name}] != sec {
			continue // another namespace, or a later manifest's secret of the same name wins
		}
		f := fields.Set{"metadata.name": sec.Name, "metadata.namespace": sec.Namespace, "type": string(sec.Type)}
		if fsel.Matches(f) && lsel.Matches(labels.Set(sec.Labels)) {
			out.Items = append(out.Items, *sec.DeepCopy())
		}
	}
	return out, nil
}
