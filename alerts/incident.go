package alerts

import (
	"sort"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Incident is one broken (workload, container, image, root cause).
type Incident struct {
	ID string `json:"id"`
	// Cluster is the cluster it happens in; "" for the only one.
	Cluster   string             `json:"cluster,omitempty"`
	Workload  string             `json:"workload"` // "Deployment/shop/web"
	Namespace string             `json:"namespace"`
	Container string             `json:"container"`
	Image     string             `json:"image"`
	Cause     diagnose.FindingID `json:"cause"`
	Summary   string             `json:"summary"`
	Opened    time.Time          `json:"opened"`
	// Pods are the affected pods ("ns/name"), at most maxPodsKept.
	Pods []string `json:"pods"`
	// PodCount counts every pod that was ever affected.
	PodCount int `json:"podCount"`
	// Channel is where it is (or will be) posted.
	Channel string `json:"channel"`
	// Thread is set once the incident was posted on its own.
	Thread *Thread `json:"thread,omitempty"`
	// Storm is the storm it belongs to, if any.
	Storm string `json:"storm,omitempty"`
	// Pending is true while it waits to be grouped.
	Pending bool `json:"pending,omitempty"`
	// LastSeen is when a pod of it last failed.
	LastSeen time.Time `json:"lastSeen"`
}

// maxPodsKept bounds the pod names an incident remembers (the count goes on).
const maxPodsKept = 200

// wci is the part of an incident's key known before diagnosis.
func (i *Incident) wci() string { return i.Workload + "|" + i.Container + "|" + i.Image }

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
	Members   []string  `json:"members"`
	// Listed counts the members already named in the thread.
	Listed int `json:"listed"`
	// Updated is when the storm's message was last refreshed.
	Updated time.Time `json:"updated"`
}

// State is what survives a restart, kept in a ConfigMap.
type State struct {
	Incidents map[string]*Incident `json:"incidents"`
	Storms    map[string]*Storm    `json:"storms"`
}

func newState() *State {
	return &State{Incidents: map[string]*Incident{}, Storms: map[string]*Storm{}}
}

// stormAlert sums a storm up for the Notifier.
func (st *State) stormAlert(s *Storm) StormAlert {
	a := StormAlert{Cluster: s.Cluster, Cause: s.Cause, Summary: s.Summary, Incidents: len(s.Members), Since: s.Opened}
	nsPods, wlPods := map[string]int{}, map[string]int{}
	for _, id := range s.Members {
		inc := st.Incidents[id]
		if inc == nil {
			continue
		}
		a.Pods += inc.PodCount
		nsPods[inc.Namespace] += inc.PodCount
		wlPods[inc.Workload] += inc.PodCount
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
