package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/clock"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
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
	// Pods reads pods from the informer's cache (for resolution).
	Pods    PodLister
	Clock   clock.WithTicker
	Logger  *slog.Logger
	Metrics *Metrics
	// Opened, when set, hears of every incident as it opens (before it is
	// held and posted).
	Opened func(Incident)
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
	open  map[string]string // wci -> open incident ID
	dirty bool
	// diagnosing serialises diagnoses of one wci, so a storm of pods of one
	// workload costs one diagnosis.
	diagnosing map[string]*sync.Mutex
	// reps are the reports of incidents not yet posted (not persisted).
	reps map[string]*diagnose.Report
	// sending counts alerts being posted in the background.
	sending sync.WaitGroup
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
	st, err := o.Store.Load(ctx)
	if err != nil {
		return nil, err
	}
	m := &Manager{o: o, st: st, open: map[string]string{}, diagnosing: map[string]*sync.Mutex{}, reps: map[string]*diagnose.Report{}}
	for id, inc := range st.Incidents {
		m.open[inc.wci()] = id
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
	inc := &Incident{Cluster: m.o.Cluster, Workload: workload(pod), Namespace: pod.Namespace, Container: f.Name, Image: f.Image}
	lock := m.wciLock(inc.wci())
	lock.Lock()
	defer lock.Unlock()
	if m.join(inc.wci(), podKey) {
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
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.o.Clock.Now()
	inc.ID, inc.Opened, inc.LastSeen, inc.Pending = newID(), now, now, true
	inc.Channel = m.o.Routes.ChannelIn(m.o.Cluster, pod.Namespace)
	inc.addPod(podKey)
	m.st.Incidents[inc.ID] = inc
	m.open[inc.wci()] = inc.ID
	m.reps[inc.ID] = rep
	m.dirty = true
	if m.o.Opened != nil {
		m.o.Opened(*inc)
	}
}

// join adds a pod to the open incident of its wci; false when there is none.
func (m *Manager) join(wci, podKey string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.open[wci]
	if !ok {
		return false
	}
	inc := m.st.Incidents[id]
	inc.LastSeen = m.o.Clock.Now()
	if inc.addPod(podKey) {
		m.dirty = true
		if s := m.st.Storms[inc.Storm]; s != nil {
			s.LastAdded = inc.LastSeen
		}
	}
	return true
}

func (m *Manager) wciLock(wci string) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.diagnosing[wci]
	if !ok {
		l = &sync.Mutex{}
		m.diagnosing[wci] = l
	}
	return l
}

// Run posts, groups, updates and resolves until ctx is done, checking every tick.
func (m *Manager) Run(ctx context.Context, tick time.Duration) {
	t := m.o.Clock.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			m.sending.Wait()
			m.save(context.Background())
			return
		case <-t.C():
			m.Tick(ctx)
		}
	}
}

// Tick does one round: flush held incidents, update storms, resolve, save.
// Alerts are posted in the background; WaitPosted waits for them.
func (m *Manager) Tick(ctx context.Context) {
	m.flush(ctx)
	m.updateStorms(ctx)
	m.resolve(ctx)
	m.save(ctx)
}

// WaitPosted waits until the alerts being posted are posted (or dropped).
func (m *Manager) WaitPosted() { m.sending.Wait() }

func (m *Manager) save(ctx context.Context) {
	m.mu.Lock()
	if !m.dirty {
		m.mu.Unlock()
		return
	}
	m.dirty = false
	b := cloneState(m.st)
	m.mu.Unlock()
	if err := m.o.Store.Save(ctx, b); err != nil {
		m.o.Logger.Error("saving incidents", "err", err)
		m.mu.Lock()
		m.dirty = true
		m.mu.Unlock()
	}
}

// cloneState deep-copies the state for saving outside the lock.
func cloneState(st *State) *State {
	b, _ := json.Marshal(st)
	c := newState()
	_ = json.Unmarshal(b, c)
	return c
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
