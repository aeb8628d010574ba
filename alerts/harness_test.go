package alerts

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// recorder is a Notifier that records what it was asked to post.
type recorder struct {
	mu        sync.Mutex
	incidents []IncidentAlert
	channels  []string
	storms    []StormAlert
	updates   [][]string
	replies   []string
	// shown are the incidents and storms shown anew (UpdateIncident, and
	// UpdateStorm with nothing added).
	shown []any
	n     int
}

func (r *recorder) thread(ch string) Thread {
	r.n++
	return Thread{Channel: ch, TS: time.Unix(int64(1700000000+r.n), 0).Format("1504.05")}
}

func (r *recorder) Incident(_ context.Context, ch string, a IncidentAlert) (Thread, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.incidents, r.channels = append(r.incidents, a), append(r.channels, ch)
	return r.thread(ch), nil
}

func (r *recorder) Storm(_ context.Context, ch string, s StormAlert) (Thread, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.storms, r.channels = append(r.storms, s), append(r.channels, ch)
	return r.thread(ch), nil
}

func (r *recorder) UpdateStorm(_ context.Context, _ Thread, s StormAlert, added []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if added == nil {
		r.shown = append(r.shown, s)
		return nil
	}
	r.updates = append(r.updates, added)
	return nil
}

func (r *recorder) UpdateIncident(_ context.Context, _ Thread, a IncidentAlert) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown = append(r.shown, a)
	return nil
}

func (r *recorder) Reply(_ context.Context, _ Thread, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, text)
	return nil
}

func (r *recorder) counts() (incidents, storms, updates, replies int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.incidents), len(r.storms), len(r.updates), len(r.replies)
}

// rig is a watcher and manager over a sandbox world, on a fake clock.
type rig struct {
	t     *testing.T
	ctx   context.Context
	stop  context.CancelFunc
	done  chan struct{}
	w     *sandbox.World
	clock *clocktesting.FakeClock
	rec   *recorder
	mgr   *Manager
	watch *Watcher
}

const (
	grace = time.Minute
	hold  = 10 * time.Second
)

func newRig(t *testing.T, w *sandbox.World, store Store) *rig {
	t.Helper()
	ctx, stop := context.WithTimeout(context.Background(), 60*time.Second)
	r := &rig{t: t, ctx: ctx, stop: stop, done: make(chan struct{}), w: w,
		clock: clocktesting.NewFakeClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)), rec: &recorder{}}
	routes, err := ParseRoutes("C0ALERTS", "tokyo=C0TOKYO,team-*=C0TEAMS")
	if err != nil {
		t.Fatal(err)
	}
	r.mgr, err = NewManager(ctx, Options{Engine: w.Engine(), Offers: commands.New(commands.Options{Diagnose: w.EngineOptions(w.BotKey)}).Offers, Notify: r.rec, Store: store, Routes: routes, Hold: hold,
		StormMin: 3, StormUpdate: 30 * time.Second, Clock: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	// Ticks are driven by the test (r.tick), not by the fake clock.
	r.watch, err = NewWatcher(w.Kube, r.mgr, WatchOptions{Grace: grace, Clock: r.clock, Tick: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	go func() { defer close(r.done); _ = r.watch.Run(ctx) }()
	r.eventually("the pod cache syncs", r.watch.Synced)
	return r
}

func (r *rig) close() {
	r.stop()
	<-r.done
}

// eventually polls cond until it holds (real time, bounded by the test's context).
func (r *rig) eventually(what string, cond func() bool) {
	r.t.Helper()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-r.ctx.Done():
			r.t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// pass advances the fake clock by d and waits until the workers have looked
// at n more pods (their grace periods ended).
func (r *rig) pass(d time.Duration, n int64) {
	r.t.Helper()
	before := r.watch.processed.Load()
	r.clock.Step(d)
	r.eventually("pods are processed", func() bool { return r.watch.processed.Load() >= before+n })
}

// tick runs one manager round at the current fake time and waits for its posts.
func (r *rig) tick() {
	r.mgr.Tick(r.ctx)
	r.mgr.WaitPosted()
}

// seen waits until the informer has delivered the pod's waiting reason.
func (r *rig) seen(ns, pod, reason string) {
	r.t.Helper()
	r.eventually("the cache sees "+pod, func() bool {
		p, err := r.watch.lister.Pods(ns).Get(pod)
		if err != nil {
			return reason == "gone"
		}
		f := failures(p)
		return (reason == "" && len(f) == 0) || (len(f) > 0 && f[0].Reason == reason)
	})
}

// setWaiting sets the app container's waiting reason ("" = running).
func (r *rig) setWaiting(ns, pod, reason string) {
	r.t.Helper()
	pods := r.w.Kube.CoreV1().Pods(ns)
	p, err := pods.Get(context.Background(), pod, metav1.GetOptions{})
	if err != nil {
		r.t.Fatal(err)
	}
	st := corev1.ContainerStatus{Name: "app", Image: p.Spec.Containers[0].Image}
	p.Status.Phase = corev1.PodPending
	if reason == "" {
		p.Status.Phase, st.Ready = corev1.PodRunning, true
		st.State.Running = &corev1.ContainerStateRunning{}
	} else {
		st.State.Waiting = &corev1.ContainerStateWaiting{Reason: reason}
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{st}
	if _, err := pods.UpdateStatus(context.Background(), p, metav1.UpdateOptions{}); err != nil {
		r.t.Fatal(err)
	}
}

func scenario(t *testing.T, name string) sandbox.Scenario {
	t.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		t.Fatalf("no sandbox scenario %q", name)
	}
	return s
}

func world(t *testing.T) *sandbox.World {
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}
