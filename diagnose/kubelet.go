package diagnose

import (
	"context"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
)

// kubeletPhrases classifies the kubelet's and container runtime's pull error
// texts. They are evidence only: events expire, and before Kubernetes 1.32
// the back-off message carries no cause. First match wins.
var kubeletPhrases = []struct{ phrase, class string }{
	{"exceeded its pull traffic quota", "pull traffic quota exceeded"},
	{"private network", "private network only"},
	{"no such host", "registry host not found (DNS)"},
	{"x509:", "TLS certificate problem"},
	{"tls:", "TLS problem"},
	{"i/o timeout", "network timeout"},
	{"connection refused", "connection refused"},
	{"no match for platform", "no image for the node's platform"},
	{"invalid reference format", "invalid image name"},
	{"couldn't parse image", "invalid image name"},
	{"unauthorized: authentication required", "unauthorized"},
	{"401 unauthorized", "unauthorized"},
	{"unauthorized", "unauthorized"},
	{"insufficient scope", "access denied"},
	{"pull access denied", "access denied"},
	{"denied", "access denied"},
	{"403 forbidden", "access denied"},
	{"manifest unknown", "not found"},
	{"name unknown", "repository not found"},
	{"not found", "not found"},
	{"toomanyrequests", "rate limited"},
	{"429 too many requests", "rate limited"},
	{"back-off pulling image", "back-off (no cause given)"},
}

// classifyKubelet names the cause a kubelet message states, or "".
func classifyKubelet(msg string) string {
	m := strings.ToLower(msg)
	for _, p := range kubeletPhrases {
		if strings.Contains(m, p.phrase) {
			return p.class
		}
	}
	return ""
}

// kubeletEvent is one pull-related event of the pod.
type kubeletEvent struct {
	Reason, Message, Class string
	Count                  int32
	Last                   time.Time
}

// kubeletEvents lists the pod's pull events, newest first.
func (t *Target) kubeletEvents(ctx context.Context) ([]kubeletEvent, error) {
	return t.events.get(func() ([]kubeletEvent, error) {
		pf, err := t.podFacts(ctx)
		if err != nil {
			return nil, err
		}
		sel := fields.AndSelectors(fields.OneTermEqualSelector("involvedObject.kind", "Pod"),
			fields.OneTermEqualSelector("involvedObject.name", pf.pod.Name)).String()
		list, err := t.e.opts.Kube.CoreV1().Events(pf.pod.Namespace).List(ctx, metav1.ListOptions{FieldSelector: sel})
		if err != nil {
			return nil, t.kubeError(err, "list", "events", pf.pod.Namespace, "read the pod's events")
		}
		var out []kubeletEvent
		for _, ev := range list.Items {
			if !pullEventOf(ev, pf) {
				continue
			}
			out = append(out, kubeletEvent{Reason: ev.Reason, Message: ev.Message, Class: classifyKubelet(ev.Message),
				Count: ev.Count, Last: eventTime(ev)})
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Last.After(out[j].Last) })
		return out, nil
	})
}

// pullEventOf filters client-side too: not every client honours field selectors.
func pullEventOf(ev corev1.Event, pf *podFacts) bool {
	o := ev.InvolvedObject
	if o.Kind != "Pod" || o.Name != pf.pod.Name || (o.UID != "" && o.UID != pf.pod.UID) {
		return false
	}
	if ev.Reason != "Failed" && ev.Reason != "BackOff" && ev.Reason != "InspectFailed" && ev.Reason != "ErrImageNeverPull" {
		return false
	}
	return o.FieldPath == "" || strings.Contains(o.FieldPath, "{"+pf.container.Name+"}")
}

func eventTime(ev corev1.Event) time.Time {
	switch {
	case ev.Series != nil && !ev.Series.LastObservedTime.IsZero():
		return ev.Series.LastObservedTime.Time
	case !ev.LastTimestamp.IsZero():
		return ev.LastTimestamp.Time
	case !ev.EventTime.IsZero():
		return ev.EventTime.Time
	}
	return ev.CreationTimestamp.Time
}

// kubeletEvidence is the kubelet's latest word on the pull, as evidence.
func (t *Target) kubeletEvidence(ctx context.Context, c containerFacts) []Fact {
	var facts []Fact
	if c.Message != "" {
		facts = append(facts, fact("kubelet", "%s: %s", c.Reason, truncate(c.Message, 300)))
	}
	evs, err := t.kubeletEvents(ctx)
	if err != nil || len(evs) == 0 {
		return facts
	}
	for _, ev := range evs {
		if ev.Class != "" && ev.Class != "back-off (no cause given)" {
			return append(facts, fact("kubelet event", "%s (%s, seen %d×)", truncate(ev.Message, 300), ev.Class, max(ev.Count, 1)))
		}
	}
	return append(facts, fact("kubelet event", "%s", truncate(evs[0].Message, 300)))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
