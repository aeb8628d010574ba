package sweep

import (
	"fmt"
	"slices"
	"strings"

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
	// action is the fix pullcheck offers, "" when it offers none; args are
	// its remedy's arguments, which its button names.
	action diagnose.Action
	args   map[string]string
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
	// The sweep's judgement and the pod's diagnosis may name the problem
	// with different findings: the button names the remedy by its arguments.
	cmd, ok := commands.FixCommand(commands.ObjectRef{Namespace: ns, Name: p.pod}, "",
		diagnose.Remedy{Action: p.action, Args: p.args, Risk: diagnose.Safe})
	if !ok {
		return commands.Offer{}, false
	}
	return commands.Offer{Action: p.action, Title: p.title, Value: cmd.String()}, true
}

func missingCopy(ns string, r diagnose.Remedy, relying []*workload) problem {
	return problem{
		id:     "missing-copy",
		line:   fmt.Sprintf("%s has no %s copy while default has one; %s", ns, allICRIO, relyText(relying)),
		action: r.Action,
		args:   r.Args,
		title:  r.Title,
		manual: r.Manual,
		pod:    currentPod(relying),
	}
}

// staleCopy is the copy's staleness: a sync button when pullcheck manages
// the copy, else the manual replacement only.
func staleCopy(ns, hash, defaultHash string, stale diagnose.SetupProblem, affected []*workload) problem {
	differs := fmt.Sprintf("%s/%s (%s) differs from default/%s (%s)", ns, allICRIO, hash, allICRIO, defaultHash)
	p := problem{id: "stale-copy " + hash + " " + defaultHash}
	if r, ok := stale.Remedy(diagnose.SyncPullSecret); ok {
		p.line = differs + ": the key was rotated after pullcheck copied it"
		p.action, p.args, p.title, p.manual, p.pod = r.Action, r.Args, r.Title, r.Manual, currentPod(affected)
		return p
	}
	r, _ := stale.Remedy(diagnose.Manual)
	p.manual = r.Manual
	p.line = differs + ": it was made by hand, so pullcheck leaves it alone; to replace it, run: " + p.manual
	return p
}

// unpatchedSA is a service account that must list all-icr-io for users,
// which list no pull secret. A merge patch replaces the whole list, so it
// is the manual command only when the list is empty.
func unpatchedSA(ns string, sa diagnose.SetupServiceAccount, r diagnose.Remedy, users []*workload) problem {
	p := problem{id: "unpatched-sa " + sa.Name, action: r.Action, args: r.Args, title: r.Title, manual: r.Manual, pod: currentPod(users)}
	if len(sa.Secrets) > 0 {
		p.line = fmt.Sprintf("service account %s lists %s but not %s, and %s none either", sa.Name, strings.Join(sa.Secrets, ", "),
			allICRIO, listText(users, "lists", "list"))
		return p
	}
	p.line = fmt.Sprintf("service account %s lists no pull secret, and %s none either", sa.Name, listText(users, "lists", "list"))
	p.manual = fmt.Sprintf(`kubectl patch -n %s serviceaccount/%s -p '{"imagePullSecrets":[{"name":"%s"}]}'`, ns, sa.Name, allICRIO)
	return p
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
