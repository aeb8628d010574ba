package alerts

import (
	"crypto/sha256"
	"encoding/base64"
	"sort"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Incident is one broken (workload, container, image, root cause).
//
// An incident restored from a storm whose members were folded (see
// compact.go) is dormant: it knows only its Key, pod count and storm until
// a pod of it fails again and fills in the rest.
type Incident struct {
	ID string `json:"id"`
	// Key fingerprints the workload, container and image (wciKey).
	Key string `json:"key,omitempty"`
	// Cluster is the cluster it happens in; "" for the only one.
	Cluster   string             `json:"cluster,omitempty"`
	Workload  string             `json:"workload"` // "Deployment/shop/web"
	Namespace string             `json:"namespace"`
	Container string             `json:"container"`
	Image     string             `json:"image"`
	Cause     diagnose.FindingID `json:"cause"`
	Summary   string             `json:"summary"`
	Opened    time.Time          `json:"opened"`
	// Pods are the first affected pods ("ns/name"), at most maxPodsKept.
	Pods []string `json:"pods,omitempty"`
	// PodCount counts every pod that was affected, listed or not.
	PodCount int `json:"podCount"`
	// Channel is where it is (or will be) posted.
	Channel string `json:"channel,omitempty"`
	// Thread is set once the incident was posted on its own.
	Thread *Thread `json:"thread,omitempty"`
	// Storm is the storm it belongs to, if any.
	Storm string `json:"storm,omitempty"`
	// Pending is true while it waits to be grouped.
	Pending bool `json:"pending,omitempty"`
	// LastSeen is when a pod of it last failed.
	LastSeen time.Time `json:"lastSeen"`
	// Ack is who acknowledged its alert, if anyone did.
	Ack *Ack `json:"ack,omitempty"`
}

// maxPodsKept bounds the pod names an incident remembers; PodCount goes on
// counting. They only tell a pod seen before from a new one: a pod beyond
// the first few that fails again is counted again.
const maxPodsKept = 10

// wciKey fingerprints the part of an incident's identity known before
// diagnosis (workload, container, image) in 11 characters: what a folded
// storm member keeps of it.
func wciKey(workload, container, image string) string {
	h := sha256.Sum256([]byte(workload + "|" + container + "|" + image))
	return base64.RawURLEncoding.EncodeToString(h[:8])
}

// dormant: restored from a folded storm member, not seen failing since.
func (i *Incident) dormant() bool { return i.Workload == "" }

// addPod records an affected pod; it reports whether the pod is new.
func (i *Incident) addPod(pod string) bool {
	for _, p := range i.Pods {
		if p == pod {
			return false
		}
	}
	i.PodCount++
	if len(i.Pods) < maxPodsKept {
		i.Pods = append(i.Pods, pod)
	}
	return true
}

// Storm is a group of incidents with one root cause.
type Storm struct {
	ID string `json:"id"`
	// Cluster is the cluster of its incidents; "" for the only one.
	Cluster string             `json:"cluster,omitempty"`
	Cause   diagnose.FindingID `json:"cause"`
	Summary string             `json:"summary"`
	Channel string             `json:"channel"`
	Thread  *Thread            `json:"thread,omitempty"`
	Opened  time.Time          `json:"opened"`
	// LastAdded is when an incident last joined: the window runs from it.
	LastAdded time.Time `json:"lastAdded"`
	// Members are the open incidents of the storm, in the order they
	// joined; resolved ones leave it.
	Members []string `json:"members,omitempty"`
	// Listed counts the members already named in the thread: the first
	// Listed of Members.
	Listed int `json:"listed"`
	// Total counts every incident that ever joined, resolved ones too.
	Total int `json:"total"`
	// Folded are members saved as their key and pod count only (compact.go);
	// empty in memory.
	Folded []folded `json:"folded,omitempty"`
	// Updated is when the storm's message was last refreshed.
	Updated time.Time `json:"updated"`
	// Ack is who acknowledged its alert, if anyone did.
	Ack *Ack `json:"ack,omitempty"`
}

// State is what survives a restart, kept in a ConfigMap.
type State struct {
	Incidents map[string]*Incident `json:"incidents"`
	Storms    map[string]*Storm    `json:"storms"`
	// Mutes are what on-call silenced, by Mute.key; they outlive the
	// incidents they were set on, until they end.
	Mutes map[string]*Mute `json:"mutes,omitempty"`
}

func newState() *State {
	return &State{Incidents: map[string]*Incident{}, Storms: map[string]*Storm{}, Mutes: map[string]*Mute{}}
}

// stormAlert sums a storm up for the Notifier.
func (st *State) stormAlert(s *Storm) StormAlert {
	a := StormAlert{Cluster: s.Cluster, Cause: s.Cause, Summary: s.Summary, Incidents: s.Total, Since: s.Opened}
	nsPods, wlPods := map[string]int{}, map[string]int{}
	for _, id := range s.Members {
		inc := st.Incidents[id]
		if inc == nil {
			continue
		}
		a.Pods += inc.PodCount
		if !inc.dormant() {
			nsPods[inc.Namespace] += inc.PodCount
			wlPods[inc.Workload] += inc.PodCount
		}
	}
	a.Namespaces, a.Workloads = byCount(nsPods), byCount(wlPods)
	return a
}

// byCount sorts keys by their count, most first, then by name.
func byCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
