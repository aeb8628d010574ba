package diagnose

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
)

// admissionFacts are the admission webhook refusals that kept a missing
// pod's owner from creating it, newest first.
type admissionFacts struct {
	denials []admissionDenial
}

// admissionDenial is one FailedCreate event of an owner that an admission
// webhook denied.
type admissionDenial struct {
	ownerKind, owner, webhook, message string
	count                              int32
	last                               time.Time
}

// webhookDenial matches the API server's wording for a validating or
// mutating webhook's refusal; the name is Portieris', Kyverno's,
// Gatekeeper's or any other webhook's.
var webhookDenial = regexp.MustCompile(`admission webhook "([^"]+)" denied the request`)

// admission looks for the owner of a pod that does not exist among the
// namespace's FailedCreate events: a controller whose pods an admission
// webhook refuses creates none, so the pod an engineer copied from an alert
// or a rollout never appears.
func (t *Target) admission(ctx context.Context) (*admissionFacts, error) {
	return t.admitted.get(func() (*admissionFacts, error) {
		ns := t.Request.Namespace
		sel := fields.OneTermEqualSelector("reason", "FailedCreate").String()
		list, err := t.e.opts.Kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{FieldSelector: sel})
		if err != nil {
			return nil, t.kubeError(err, "list", "events", ns, "find admission refusals of the pod's owner")
		}
		owners := ownerNames(t.Request.Pod)
		af := &admissionFacts{}
		for _, ev := range list.Items {
			m := webhookDenial.FindStringSubmatch(ev.Message)
			if ev.Reason != "FailedCreate" || m == nil || !ownsPodNamed(owners, t.Request.Pod, ev.InvolvedObject.Kind, ev.InvolvedObject.Name) {
				continue
			}
			af.denials = append(af.denials, admissionDenial{ownerKind: ev.InvolvedObject.Kind, owner: ev.InvolvedObject.Name,
				webhook: m[1], message: ev.Message, count: max(ev.Count, 1), last: eventTime(ev)})
		}
		sort.SliceStable(af.denials, func(i, j int) bool { return af.denials[i].last.After(af.denials[j].last) })
		return af, nil
	})
}

// ownerNames are the names a controller of a pod called name may have:
// ReplicaSets, DaemonSets and Jobs add "-xxxxx", StatefulSets "-<ordinal>";
// the name itself covers a workload named in place of its pod.
func ownerNames(pod string) []string {
	names := []string{pod}
	if i := strings.LastIndexByte(pod, '-'); i > 0 {
		names = append(names, pod[:i])
	}
	return names
}

// ownsPodNamed reports whether the event's object may be the pod's owner:
// one of its possible names, or a ReplicaSet of a Deployment named pod.
func ownsPodNamed(owners []string, pod, kind, name string) bool {
	for _, o := range owners {
		if name == o {
			return true
		}
	}
	return kind == "ReplicaSet" && strings.HasPrefix(name, pod+"-") && !strings.Contains(name[len(pod)+1:], "-")
}
