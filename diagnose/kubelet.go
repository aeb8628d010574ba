package diagnose

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"

	"github.com/pullcheck/pullcheck/diagnose/pullerr"
)

// kubeletEvent is one pull-related event of the pod.
type kubeletEvent struct {
	Reason, Message string
	Class           pullerr.Class
	Count           int32
	Last            time.Time
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
			out = append(out, kubeletEvent{Reason: ev.Reason, Message: ev.Message, Class: pullerr.Classify(ev.Message),
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
		if ev.Class != pullerr.Unknown && ev.Class != pullerr.BackOff {
			return append(facts, fact("kubelet event", "%s (%s, seen %d×)", truncate(ev.Message, 300), ev.Class, max(ev.Count, 1)))
		}
	}
	return append(facts, fact("kubelet event", "%s", truncate(evs[0].Message, 300)))
}

// truncate keeps the first n bytes of s, cut on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// nodePull is the kubelet's latest word on why the node's pull failed.
type nodePull struct {
	class   pullerr.Class
	message string
	source  string // "container status" or "event, seen N×, last <time>"
}

// nodePullError returns the kubelet's latest pull error for the container,
// when it states a cause: the waiting message of a container in
// ErrImagePull (the current attempt), else the newest "Failed to pull"
// event. pullcheck runs elsewhere than the node; where the two can differ
// (network, DNS, private endpoints, egress rules) this is the node's side.
func (t *Target) nodePullError(ctx context.Context) (nodePull, bool) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return nodePull{}, false
	}
	if c := pullerr.Classify(pf.container.Message); c != pullerr.Unknown && c != pullerr.BackOff {
		return nodePull{class: c, message: pf.container.Message, source: "container status"}, true
	}
	evs, err := t.kubeletEvents(ctx)
	if err != nil {
		return nodePull{}, false
	}
	for _, ev := range evs { // newest first
		if ev.Reason != "Failed" || !strings.HasPrefix(ev.Message, "Failed to pull image") {
			continue
		}
		if ev.Class == pullerr.Unknown || ev.Class == pullerr.BackOff {
			return nodePull{}, false
		}
		return nodePull{class: ev.Class, message: ev.Message,
			source: fmt.Sprintf("event, seen %d×, last %s", max(ev.Count, 1), ev.Last.UTC().Format(timeLayout))}, true
	}
	return nodePull{}, false
}

// fact is the node's side as evidence.
func (n nodePull) fact(node string) Fact {
	return fact("node "+orNone(node), "%s: %s (%s)", n.class, truncate(oneLine(n.message), 300), n.source)
}
