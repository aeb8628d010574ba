package fix

import (
	"context"
	"errors"
	"fmt"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// Request asks for one remedy to be applied.
type Request struct {
	Action diagnose.Action
	// Namespace is where the remedy applies; when empty, Args["namespace"]
	// is used (diagnose remedies carry it there).
	Namespace string
	// Args are the remedy's arguments, as in diagnose.Remedy: "secret",
	// "serviceAccount", "pod", "uid", "cluster". Missing ones take the
	// defaults each action documents.
	Args map[string]string
	// DryRun asks Kubernetes for a server-side dry run (metav1.DryRunAll);
	// IBM Cloud calls are not made at all.
	DryRun bool
	// Actor is who asked (a Slack user ID, or "cli"). It is recorded in the
	// pullcheck.io/applied-by annotation of what pullcheck creates.
	Actor string
}

// Result is what applying a remedy did.
type Result struct {
	Action diagnose.Action
	// Changed is false when there was nothing to do, and for dry runs.
	Changed bool
	DryRun  bool
	// Summary is one line, safe to show users: object names, UIDs and
	// content hashes, never secret data.
	Summary string
}

// PreconditionError is a refusal: the remedy does not apply to the live
// cluster as it is now, and nothing was changed. Msg is safe to show users.
type PreconditionError struct{ Msg string }

// Error returns Msg.
func (e *PreconditionError) Error() string { return e.Msg }

// UserMessage returns Msg.
func (e *PreconditionError) UserMessage() string { return e.Msg }

// refuse returns a *PreconditionError.
func refuse(format string, args ...any) error {
	return &PreconditionError{Msg: fmt.Sprintf(format, args...)}
}

// Fixer applies one action.
type Fixer interface {
	Apply(ctx context.Context, req Request) (Result, error)
}

// Set is every fixer pullcheck has, keyed by action. It is safe for
// concurrent use.
type Set struct {
	fixers  map[diagnose.Action]Fixer
	sources copySources
}

// Option configures a Set.
type Option func(*Set)

// WithCopySources names the secrets of default that copy-pull-secret and
// sync-pull-secret may copy into other namespaces; the default is
// all-icr-io alone. Any other secret a remedy, a button or a typed command
// names is refused: pullcheck's service account can read every secret of
// default, and a tenant must not be able to have it copy one out.
func WithCopySources(names ...string) Option {
	return func(s *Set) { s.sources = newCopySources(names) }
}

// New returns the fixers over kube and ibm. cluster is the IBM Cloud
// cluster ID apply-cluster-pull-secret uses when the request names none
// ("" for unknown). A nil ibm leaves out apply-cluster-pull-secret.
func New(kube kubernetes.Interface, ibm *ibmcloud.Client, cluster string, opts ...Option) *Set {
	s := &Set{sources: newCopySources(nil)}
	for _, o := range opts {
		o(s)
	}
	copies := secretCopies{kube: kube, sources: s.sources}
	s.fixers = map[diagnose.Action]Fixer{
		diagnose.CopyPullSecret:      &copySecret{copies},
		diagnose.SyncPullSecret:      &syncSecret{copies},
		diagnose.PatchServiceAccount: &patchServiceAccount{kube: kube},
		diagnose.RestartPod:          &restartPod{kube: kube},
	}
	if ibm != nil {
		s.fixers[diagnose.ApplyClusterPullSecret] = &applyClusterPullSecret{ibm: ibm, cluster: cluster}
	}
	return s
}

// Actions lists every action that has a fixer, in a stable order.
func Actions() []diagnose.Action {
	return []diagnose.Action{diagnose.CopyPullSecret, diagnose.SyncPullSecret, diagnose.PatchServiceAccount,
		diagnose.RestartPod, diagnose.ApplyClusterPullSecret}
}

// Has reports whether s can apply a.
func (s *Set) Has(a diagnose.Action) bool {
	_, ok := s.fixers[a]
	return ok
}

// Permits reports whether a remedy of action a with args is one the fixers
// may apply at all, before any API call: false for a copy or sync of a
// secret that is not a copy source. Offers leave out what it refuses.
func (s *Set) Permits(a diagnose.Action, args map[string]string) bool {
	if a != diagnose.CopyPullSecret && a != diagnose.SyncPullSecret {
		return true
	}
	return s.sources.check(Request{Args: args}.arg("secret", diagnose.ClusterPullSecretName)) == nil
}

// Apply validates req and hands it to the fixer of its action. An action
// without a fixer, a missing actor or a namespace that contradicts
// Args["namespace"] is a *PreconditionError.
func (s *Set) Apply(ctx context.Context, req Request) (Result, error) {
	f, ok := s.fixers[req.Action]
	switch {
	case !ok && slices.Contains(Actions(), req.Action):
		return Result{}, refuse("%s is not available: pullcheck has no IBM Cloud access configured", req.Action)
	case !ok:
		return Result{}, refuse("pullcheck has no fixer for action %q: it can apply %s", req.Action, actionList())
	case strings.TrimSpace(req.Actor) == "":
		return Result{}, refuse("%s refused: the request does not say who asked, and every fix is audited", req.Action)
	}
	if ns := req.Args["namespace"]; ns != "" {
		if req.Namespace != "" && req.Namespace != ns {
			return Result{}, refuse("%s refused: the request names namespace %q but its arguments name %q", req.Action, req.Namespace, ns)
		}
		req.Namespace = ns
	}
	res, err := f.Apply(ctx, req)
	var status apierrors.APIStatus
	if apierrors.IsForbidden(err) && errors.As(err, &status) {
		// The API server's words name the verb, resource and namespace denied.
		return res, refuse("%s refused by Kubernetes RBAC: %s (is pullcheck deployed read-only?)", req.Action, status.Status().Message)
	}
	return res, err
}

func actionList() string {
	names := make([]string, 0, len(Actions()))
	for _, a := range Actions() {
		names = append(names, string(a))
	}
	return strings.Join(names, ", ")
}

// arg returns req.Args[key], or def when it is absent or empty.
func (r Request) arg(key, def string) string {
	if v := r.Args[key]; v != "" {
		return v
	}
	return def
}

// result is the Result of a fixer that changed, or would have changed,
// something.
func (r Request) result(changed bool, format string, args ...any) Result {
	return Result{Action: r.Action, Changed: changed && !r.DryRun, DryRun: r.DryRun, Summary: fmt.Sprintf(format, args...)}
}

// dryRun is the DryRun field of Kubernetes write options.
func (r Request) dryRun() []string {
	if r.DryRun {
		return []string{metav1.DryRunAll}
	}
	return nil
}

// would returns past when the change is real and conditional when it is a
// dry run, so that summaries read "created …" or "would create …".
func (r Request) would(past, conditional string) string {
	if r.DryRun {
		return "would " + conditional
	}
	return past
}

// checkNamespace refuses a namespace that is not a valid Kubernetes name.
func checkNamespace(ns string) error {
	if ns == "" {
		return refuse("no namespace given")
	}
	if len(validation.IsDNS1123Label(ns)) > 0 {
		return refuse("%q is not a valid namespace name", ns)
	}
	return nil
}

// checkName refuses an object name that is not a valid Kubernetes name.
func checkName(kind, name string) error {
	if len(validation.IsDNS1123Subdomain(name)) > 0 {
		return refuse("%q is not a valid %s name", name, kind)
	}
	return nil
}
