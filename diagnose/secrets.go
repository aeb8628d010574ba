package diagnose

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/dockercfg"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// What marks a pull-secret copy as pullcheck's: the label ManagedByLabel
// with the value ManagedBy, and SourceAnnotation naming the secret it was
// copied from. See ManagedCopy.
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedBy      = "pullcheck"
	// SourceAnnotation names the secret a copy was made from ("default/all-icr-io").
	SourceAnnotation = "pullcheck.io/source"
)

// ManagedCopy reports whether a secret with these labels and annotations is
// a copy pullcheck manages, and so may refresh. The label alone is not
// enough: a person can label a secret made by hand, and only the source
// annotation says what the secret is a copy of.
func ManagedCopy(labels, annotations map[string]string) bool {
	return labels[ManagedByLabel] == ManagedBy && annotations[SourceAnnotation] != ""
}

// secretFacts is one pull secret as the checks see it: never its content,
// only whether it parses, the registries it covers and a content hash.
type secretFacts struct {
	namespace, name string
	missing         bool
	typ             string
	config          *dockercfg.Config
	malformed       *dockercfg.MalformedError
	hash            string
	managed         bool
}

// secret reads and parses one secret, once per diagnosis.
func (t *Target) secret(ctx context.Context, ns, name string) (*secretFacts, error) {
	t.secretsMu.Lock()
	l, ok := t.secrets[ns+"/"+name]
	if !ok {
		l = &lazy[*secretFacts]{}
		t.secrets[ns+"/"+name] = l
	}
	t.secretsMu.Unlock()
	return l.get(func() (*secretFacts, error) {
		s, err := t.e.opts.Kube.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return &secretFacts{namespace: ns, name: name, missing: true}, nil
		}
		if err != nil {
			return nil, t.kubeError(err, "get", "secrets", ns, "read pull secret "+name)
		}
		return newSecretFacts(s), nil
	})
}

func newSecretFacts(s *corev1.Secret) *secretFacts {
	sf := &secretFacts{namespace: s.Namespace, name: s.Name, typ: string(s.Type), hash: contentHash(s.Data),
		managed: ManagedCopy(s.Labels, s.Annotations)}
	cfg, err := dockercfg.ParseSecret(string(s.Type), s.Data)
	var me *dockercfg.MalformedError
	switch {
	case errors.As(err, &me):
		sf.malformed = me
	case err != nil:
		sf.malformed = &dockercfg.MalformedError{Reason: "unreadable"}
	default:
		sf.config = cfg
	}
	return sf
}

// contentHash is a fingerprint of a secret's data, safe to show and compare.
func contentHash(data map[string][]byte) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write(data[k])
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:12]
}

// ContentHash is the fingerprint pullcheck annotates its managed copies with.
func ContentHash(data map[string][]byte) string { return contentHash(data) }

// defaultSecrets are the cluster-wide pull secrets IBM creates in default.
type defaultSecrets struct {
	all    *secretFacts // default/all-icr-io
	legacy []string     // default/*-icr-io names
}

func (d *defaultSecrets) present() bool { return !d.all.missing || len(d.legacy) > 0 }

// legacyPullSecrets are the names of the pull secrets IBM created in
// default before all-icr-io: default-icr-io for icr.io, and
// default-<prefix>-icr-io for each regional domain (default-us-icr-io for
// us.icr.io). Knowing them, pullcheck reads them by name and never needs
// to list secrets.
func legacyPullSecrets() []string {
	names := make([]string, 0, len(icr.Domains))
	for _, d := range icr.Domains {
		name := "default-icr-io"
		if prefix, ok := strings.CutSuffix(d.Host, ".icr.io"); ok {
			name = "default-" + prefix + "-icr-io"
		}
		names = append(names, name)
	}
	return names
}

func (t *Target) defaultSecrets(ctx context.Context) (*defaultSecrets, error) {
	return t.defaults.get(func() (*defaultSecrets, error) {
		all, err := t.secret(ctx, "default", ClusterPullSecretName)
		if err != nil {
			return nil, err
		}
		d := &defaultSecrets{all: all}
		if !all.missing {
			return d, nil
		}
		d.legacy, err = t.legacySecrets(ctx)
		return d, err
	})
}

// legacySecrets reads every legacy name at once and returns those that
// exist as pull secrets, in icr.Domains order.
func (t *Target) legacySecrets(ctx context.Context) ([]string, error) {
	names := legacyPullSecrets()
	found := make([]*secretFacts, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { found[i], errs[i] = t.secret(ctx, "default", name) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first: one missing permission, said once
		}
	}
	var out []string
	for _, s := range found {
		if !s.missing && s.typ == string(corev1.SecretTypeDockerConfigJson) {
			out = append(out, s.name)
		}
	}
	return out, nil
}
