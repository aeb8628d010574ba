package sweep

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
)

// problems finds what is wrong with the pull secrets of one namespace's
// icr.io workloads: each workload is judged as the diagnosis judges one of
// its pods (diagnose.JudgeSetup), and the namespace's problems are the
// union, each naming the workloads it affects.
func (h *HygieneSweep) problems(ctx context.Context, ns string, wls []*workload, defaultHash string) ([]problem, error) {
	cp, err := h.Kube.CoreV1().Secrets(ns).Get(ctx, allICRIO, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		cp = nil
	case err != nil:
		return nil, fmt.Errorf("reading secret %s/%s: %w", ns, allICRIO, err)
	}
	sas, err := h.serviceAccounts(ctx, ns, wls)
	if err != nil {
		return nil, err
	}
	var j judged
	for _, w := range wls {
		f := diagnose.SetupFacts{Namespace: ns, Original: diagnose.SetupSecret{Exists: true, Hash: defaultHash},
			Copy: copyFacts(cp), ConsumerSecrets: w.secrets, ServiceAccount: sas[w.serviceAccount]}
		j.add(w, sas[w.serviceAccount], diagnose.JudgeSetup(f))
	}
	var out []problem
	if len(j.uncopied) > 0 {
		out = append(out, missingCopy(ns, j.copy, j.uncopied))
	}
	if j.stale != nil {
		relying := slices.DeleteFunc(slices.Clone(wls), func(w *workload) bool { return !diagnose.ReliesOnStandardSetup(w.secrets) })
		out = append(out, staleCopy(ns, copyFacts(cp).Hash, defaultHash, *j.stale, nonEmpty(relying, wls)))
	}
	for _, name := range sortedKeys(j.unpatched) {
		out = append(out, unpatchedSA(ns, sas[name], j.patch[name], j.unpatched[name]))
	}
	return out, nil
}

// judged gathers the problems diagnose.JudgeSetup finds in a namespace's
// workloads.
type judged struct {
	// uncopied rely on the missing all-icr-io copy; copy is its remedy.
	uncopied []*workload
	copy     diagnose.Remedy
	// unpatched are the workloads, by service account, whose service
	// account must list all-icr-io; patch is that remedy.
	unpatched map[string][]*workload
	patch     map[string]diagnose.Remedy
	// stale is the copy's staleness, the same for every workload.
	stale *diagnose.SetupProblem
}

func (j *judged) add(w *workload, sa diagnose.SetupServiceAccount, probs []diagnose.SetupProblem) {
	for _, p := range probs {
		switch p.ID {
		case diagnose.PullSecretNotCopied:
			r, _ := p.Remedy(diagnose.CopyPullSecret)
			j.uncopied, j.copy = append(j.uncopied, w), r
		case diagnose.PullSecretStale:
			j.stale = &p
		}
		// A missing copy, as well as an unpatched service account, may
		// need the service account patched.
		if r, ok := p.Remedy(diagnose.PatchServiceAccount); ok {
			if j.unpatched == nil {
				j.unpatched, j.patch = map[string][]*workload{}, map[string]diagnose.Remedy{}
			}
			j.unpatched[sa.Name], j.patch[sa.Name] = append(j.unpatched[sa.Name], w), r
		}
	}
}

// serviceAccounts reads the service accounts of a namespace's workloads,
// each once; a missing one is a fact, not an error.
func (h *HygieneSweep) serviceAccounts(ctx context.Context, ns string, wls []*workload) (map[string]diagnose.SetupServiceAccount, error) {
	out := map[string]diagnose.SetupServiceAccount{}
	for _, w := range wls {
		name := w.serviceAccount
		if _, ok := out[name]; ok {
			continue
		}
		sa, err := h.Kube.CoreV1().ServiceAccounts(ns).Get(ctx, name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			out[name] = diagnose.SetupServiceAccount{Name: name}
		case err != nil:
			return nil, fmt.Errorf("reading service account %s/%s: %w", ns, name, err)
		default:
			out[name] = diagnose.SetupServiceAccount{Name: name, Exists: true, Secrets: refNames(sa.ImagePullSecrets)}
		}
	}
	return out, nil
}

// copyFacts is what diagnose.JudgeSetup needs of the namespace's copy.
func copyFacts(cp *corev1.Secret) diagnose.SetupSecret {
	if cp == nil {
		return diagnose.SetupSecret{}
	}
	return diagnose.SetupSecret{Exists: true, Hash: diagnose.ContentHash(cp.Data), Managed: diagnose.ManagedCopy(cp.Labels, cp.Annotations)}
}

func refNames(refs []corev1.LocalObjectReference) []string {
	var names []string
	for _, r := range refs {
		names = append(names, r.Name)
	}
	return names
}
