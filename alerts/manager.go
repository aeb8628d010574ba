package alerts

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/clock"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/kubestate"
)

// Options configure a Manager. Engine, Notify and Store are required.
type Options struct {
	// Cluster names the cluster the Manager watches where pullcheck serves
	// several: its incidents, storms, alerts and metrics carry it, and
	// routes may match it ("prod-eu/shop-*"). "" for the only cluster.
	Cluster string
	Engine  *diagnose.Engine
	// Offers are the fix buttons of a report (commands.Service.Offers).
	Offers func(*diagnose.Report) []commands.Offer
	Notify Notifier
	// Store keeps the state (NewConfigMapStore); every save is conditional
	// on the version this Manager loaded or last saved.
	Store  Store
	Routes Routes
	// Hold is how long a new incident waits for others with its cause
	// before it is posted (default 10 s); StormMin incidents (default 3)
	// within Hold become one storm; later ones join it while it has grown
	// within Window (default 15 min).
	Hold     time.Duration
	StormMin int
	Window   time.Duration
	// StormUpdate is the least time between two updates of a storm (30 s).
	StormUpdate time.Duration
	// Timeout bounds each diagnosis (30 s): what it has not learnt by then
	// is inconclusive, and its results say they timed out.
	Timeout time.Duration
	// StateBudget is the size the saved state is compacted to fit when it
	// can (default 192 KiB; a ConfigMap holds at most 1 MiB).
	StateBudget int
	// SaveBackoff is the wait after a failed save before the next try
	// (default 2 s); it doubles with every failure in a row, up to
	// MaxSaveBackoff (default 2 min).
	SaveBackoff, MaxSaveBackoff time.Duration
	// Pods reads pods from the informer's cache (for resolution).
	Pods    PodLister
	Clock   clock.WithTicker
	Logger  *slog.Logger
	Metrics *Metrics
	// Opened, when set, hears of every incident as it opens (before it is
	// held and posted).
	Opened func(Incident)
	// Desk is the desk document (NewConfigMapDesk's Doc): acknowledgements
	// and mutes clicked on any replica, taken in on every tick; nil: none.
	Desk Store
	// AlertOffers are the buttons of an alert's root message
	// (commands.AlertOffers); nil: none.
	AlertOffers func(commands.AlertRef) []commands.Offer
}

// PodLister lists cached pods of a namespace.
type PodLister interface {
	PodsIn(namespace string) []*corev1.Pod
}

// Manager keeps incidents and storms, and posts them.
type Manager struct {
	o     Options
	mu    sync.Mutex
	st    *State
	open  map[string]string // wciKey -> open incident ID
	dirty bool
	saves saver
	// grace is the watcher's grace period: a dormant incident is resolved
	// when no pod of it failed for grace + 2 holds + a minute.
	grace time.Duration
	// diagnosing serialises diagnoses of one wci, so a storm of pods of one
	// workload costs one diagnosis.
	diagnosing map[string]*sync.Mutex
	// reps are the reports of incidents not yet posted (not persisted).
	reps map[string]*diagnose.Report
	// sending counts alerts being posted in the background.
	sending sync.WaitGroup
	// deskVersion is the version of the desk last taken in.
	deskVersion kubestate.Version
}

// NewManager loads the saved state: incidents still open are not alerted again.
func NewManager(ctx context.Context, o Options) (*Manager, error) {
	if o.Hold <= 0 {
		o.Hold = 10 * time.Second
	}
	if o.StormMin <= 1 {
		o.StormMin = 3
	}
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	if o.StormUpdate <= 0 {
		o.StormUpdate = 30 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Offers == nil {
		o.Offers = func(*diagnose.Report) []commands.Offer { return nil }
	}
	o.StateBudget = cmp.Or(o.StateBudget, 192<<10)
	o.SaveBackoff, o.MaxSaveBackoff = cmp.Or(o.SaveBackoff, 2*time.Second), cmp.Or(o.MaxSaveBackoff, 2*time.Minute)
	st := newState()
	ver, err := o.Store.Load(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("loading the incident state: %w", err)
	}
	st.restore(o.Clock.Now())
	m := &Manager{o: o, st: st, open: map[string]string{}, saves: saver{version: ver},
		diagnosing: map[string]*sync.Mutex{}, reps: map[string]*diagnose.Report{}}
	for id, inc := range st.Incidents {
		m.open[inc.Key] = id
	}
	return m, nil
}

// Observe handles a pod that has failed to pull for longer than the grace
// period: it joins the open incident of its workload, container and image,
// or is diagnosed and opens a new one.
func (m *Manager) Observe(ctx context.Context, pod *corev1.Pod) {
	for _, f := range failures(pod) {
		m.observe(ctx, pod, f)
	}
}

func (m *Manager) observe(ctx context.Context, pod *corev1.Pod, f diagnose.FailingContainer) {
	podKey := pod.Namespace + "/" + pod.Name
	channel := m.o.Routes.ChannelIn(m.o.Cluster, pod.Namespace)
	if channel == "" {
		m.o.Logger.Debug("no channel is bound for alerts on the namespace: not alerted", "namespace", pod.Namespace)
		return
	}
	inc := &Incident{Cluster: m.o.Cluster, Workload: workload(pod), Namespace: pod.Namespace, Container: f.Name, Image: f.Image, Channel: channel}
	inc.Key = wciKey(inc.Workload, inc.Container, inc.Image)
	lock := m.wciLock(inc.Key)
	lock.Lock()
	defer lock.Unlock()
	if m.join(inc, podKey) {
		return
	}
	start := m.o.Clock.Now()
	dctx, cancel := context.WithTimeout(ctx, m.o.Timeout)
	rep := m.o.Engine.Diagnose(dctx, diagnose.Request{Namespace: pod.Namespace, Pod: pod.Name, Container: f.Name}, nil)
	cancel()
	m.o.Metrics.observeReport(m.o.Cluster, rep, m.o.Clock.Since(start))
	if rep.Verdict == diagnose.PullsFine {
		return // it recovered meanwhile
	}
	inc.Cause, inc.Summary = diagnose.FindingID(rep.Verdict), "pullcheck could not tell why"
	if rep.RootCause != nil {
		inc.Cause, inc.Summary = rep.RootCause.ID, rep.RootCause.Summary
	}
	m.add(inc, rep, podKey)
}

// add opens a diagnosed incident; it waits Hold for others with its cause.
func (m *Manager) add(inc *Incident, rep *diagnose.Report, podKey string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.o.Clock.Now()
	inc.ID, inc.Opened, inc.LastSeen, inc.Pending = newID(), now, now, true
	inc.addPod(podKey)
	m.st.Incidents[inc.ID] = inc
	m.open[inc.Key] = inc.ID
	m.reps[inc.ID] = rep
	m.dirty = true
	if m.o.Opened != nil {
		m.o.Opened(*inc)
	}
}

// join adds a pod to the open incident of its workload, container and
// image (obs, not yet diagnosed); false when there is none. A dormant
// incident learns its names from obs.
func (m *Manager) join(obs *Incident, podKey string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.open[obs.Key]
	if !ok {
		return false
	}
	inc := m.st.Incidents[id]
	if inc.dormant() {
		inc.Workload, inc.Namespace, inc.Container, inc.Image = obs.Workload, obs.Namespace, obs.Container, obs.Image
	}
	inc.LastSeen = m.o.Clock.Now()
	if inc.addPod(podKey) {
		m.dirty = true
		if s := m.st.Storms[inc.Storm]; s != nil {
			s.LastAdded = inc.LastSeen
		}
	}
	return true
}

func (m *Manager) wciLock(key string) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.diagnosing[key]
	if !ok {
		l = &sync.Mutex{}
		m.diagnosing[key] = l
	}
	return l
}

func newID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
