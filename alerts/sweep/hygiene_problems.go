package sweep

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// allICRIO is the cluster pull secret a namespace needs a copy of.
const allICRIO = diagnose.ClusterPullSecretName

// problem is one pull-secret problem of a namespace.
type problem struct {
	// id identifies the problem for the namespace's digest: the same
	// problems give the same digest, whatever the pods are called today.
	id   string
	line string
	// action is the fix pullcheck offers, "" when it offers none.
	action diagnose.Action
	title  string // the button's title
	manual string // what a person can run instead
	// pod is a pod of an affected workload, for the fix to re-diagnose;
	// "" when none runs.
	pod string
}

// offer is p's fix button; ok is false without a fix or a pod. Whether it
// is shown is HygieneSweep.Offers' decision.
func (p problem) offer(ns string) (o commands.Offer, ok bool) {
	if p.action == "" || p.pod == "" {
		return commands.Offer{}, false
	}
	cmd := commands.Command{Verb: commands.Fix, Action: p.action, Ref: commands.ObjectRef{Namespace: ns, Name: p.pod}}
	return commands.Offer{Action: p.action, Title: p.title, Value: cmd.String()}, true
}

// problems finds what is wrong with the pull secrets of one namespace's
// icr.io workloads, judged as the diagnosis judges one pod: a workload
// that lists no pull secret, or lists all-icr-io, relies on the
// namespace's all-icr-io copy.
func (h *HygieneSweep) problems(ctx context.Context, ns string, wls []*workload, defaultHash string) ([]problem, error) {
	cp, err := h.Kube.CoreV1().Secrets(ns).Get(ctx, allICRIO, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		cp = nil
	} else if err != nil {
		return nil, fmt.Errorf("reading secret %s/%s: %w", ns, allICRIO, err)
	}
	relying := slices.DeleteFunc(slices.Clone(wls), func(w *workload) bool {
		return len(w.secrets) > 0 && !slices.Contains(w.secrets, allICRIO)
	})
	var out []problem
	switch {
	case cp == nil && len(relying) > 0:
		out = append(out, missingCopy(ns, relying))
	case cp != nil:
		if hash := diagnose.ContentHash(cp.Data); hash != defaultHash {
			out = append(out, staleCopy(ns, cp, hash, defaultHash, nonEmpty(relying, wls)))
		}
	}
	unpatched, err := h.unpatched(ctx, ns, wls)
	return append(out, unpatched...), err
}

// unpatched finds the service accounts that list no pull secret while a
// workload using them lists none either: its pods get no credentials.
func (h *HygieneSweep) unpatched(ctx context.Context, ns string, wls []*workload) ([]problem, error) {
	bySA := map[string][]*workload{}
	for _, w := range wls {
		if len(w.secrets) == 0 {
			bySA[w.serviceAccount] = append(bySA[w.serviceAccount], w)
		}
	}
	var out []problem
	for _, name := range sortedKeys(bySA) {
		sa, err := h.Kube.CoreV1().ServiceAccounts(ns).Get(ctx, name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			continue // the diagnosis of its pods says so; there is nothing to patch
		case err != nil:
			return nil, fmt.Errorf("reading service account %s/%s: %w", ns, name, err)
		case len(sa.ImagePullSecrets) == 0:
			out = append(out, unpatchedSA(ns, name, bySA[name]))
		}
	}
	return out, nil
}

func missingCopy(ns string, relying []*workload) problem {
	return problem{
		id:     "missing-copy",
		line:   fmt.Sprintf("%s has no %s copy while default has one; %s", ns, allICRIO, relyText(relying)),
		action: diagnose.CopyPullSecret,
		title:  fmt.Sprintf("Copy %s into %s", allICRIO, ns),
		manual: fmt.Sprintf("kubectl get secret %s -n default -o yaml | sed 's/namespace: default/namespace: %s/' | kubectl create -n %s -f -", allICRIO, ns, ns),
		pod:    currentPod(relying),
	}
}

func staleCopy(ns string, cp *corev1.Secret, hash, defaultHash string, affected []*workload) problem {
	p := problem{
		id:     "stale-copy " + hash + " " + defaultHash,
		manual: fmt.Sprintf("kubectl delete secret %s -n %s && kubectl get secret %s -n default -o yaml | sed 's/namespace: default/namespace: %s/' | kubectl create -n %s -f -", allICRIO, ns, allICRIO, ns, ns),
	}
	differs := fmt.Sprintf("%s/%s (%s) differs from default/%s (%s)", ns, allICRIO, hash, allICRIO, defaultHash)
	if cp.Labels[diagnose.ManagedByLabel] != managedBy {
		p.line = differs + ": it was made by hand, so pullcheck leaves it alone; to replace it, run: " + p.manual
		return p
	}
	p.line = differs + ": the key was rotated after pullcheck copied it"
	p.action, p.title, p.pod = diagnose.SyncPullSecret, fmt.Sprintf("Refresh %s/%s from default", ns, allICRIO), currentPod(affected)
	return p
}

func unpatchedSA(ns, sa string, users []*workload) problem {
	return problem{
		id:     "unpatched-sa " + sa,
		line:   fmt.Sprintf("service account %s lists no pull secret, and %s none either", sa, listText(users, "lists", "list")),
		action: diagnose.PatchServiceAccount,
		title:  fmt.Sprintf("Add %s to service account %s", allICRIO, sa),
		manual: fmt.Sprintf(`kubectl patch -n %s serviceaccount/%s -p '{"imagePullSecrets":[{"name":"%s"}]}'`, ns, sa, allICRIO),
		pod:    currentPod(users),
	}
}

// relyText says which workloads rely on the copy.
func relyText(ws []*workload) string {
	return listText(ws, "relies", "rely") + " on it"
}

// listText names up to three workloads and the verb agreeing with them:
// "deployment/web relies", "deployment/a, pod/b and 2 more rely".
func listText(ws []*workload, one, many string) string {
	const shown = 3
	names := make([]string, 0, shown)
	for _, w := range ws[:min(len(ws), shown)] {
		names = append(names, w.String())
	}
	s := strings.Join(names, ", ")
	if len(ws) > shown {
		s += fmt.Sprintf(" and %d more", len(ws)-shown)
	}
	if len(ws) == 1 {
		return s + " " + one
	}
	return s + " " + many
}

// currentPod is the newest pod of the workloads (ties by name), "" when
// none has one.
func currentPod(ws []*workload) string {
	var best *pod
	for _, w := range ws {
		for i := range w.pods {
			p := &w.pods[i]
			if best == nil || p.created.After(best.created) || (p.created.Equal(best.created) && p.name < best.name) {
				best = p
			}
		}
	}
	if best == nil {
		return ""
	}
	return best.name
}

// nonEmpty returns a unless it is empty, else b.
func nonEmpty(a, b []*workload) []*workload {
	if len(a) > 0 {
		return a
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
