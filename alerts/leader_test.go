package alerts

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

// fastLeader is a Leader with short leases, for tests.
func fastLeader(kube kubernetes.Interface, id string) *Leader {
	return leaderWithLease(kube, id, time.Second)
}

// leaderWithLease is a Leader whose lease lasts d; it renews every 100 ms
// and gives up renewing after d/2.
func leaderWithLease(kube kubernetes.Interface, id string, d time.Duration) *Leader {
	return NewLeader(kube, LeaderOptions{Namespace: "pullcheck", Identity: id,
		LeaseDuration: d, RenewDeadline: d / 2, RetryPeriod: 100 * time.Millisecond,
		StartTimeout: 400 * time.Millisecond, StartBackoff: 50 * time.Millisecond})
}

// TestLeaderFailover: two replicas share the cluster and "Slack"; only the
// leader posts; when it dies the other takes over from the ConfigMap state
// without posting the open incident again, and alerts new ones.
func TestLeaderFailover(t *testing.T) {
	w := world(t)
	rec := &recorder{}
	kubestatetest.LimitConfigMaps(w.Kube)
	store := NewConfigMapStore(w.Kube, "pullcheck")
	pod := scenario(t, "team-a").Build(w)

	var running sync.WaitGroup
	replica := func(ctx context.Context, id string) *Leader {
		l := fastLeader(w.Kube, id)
		running.Add(1)
		go func() {
			defer running.Done()
			l.Run(ctx, func(ctx context.Context, started func()) error {
				m, err := NewManager(ctx, Options{Engine: w.Engine(), Offers: commands.New(commands.Options{Diagnose: w.EngineOptions(w.BotKey)}).Offers, Notify: rec, Store: store,
					Routes: Routes{Default: "C0ALERTS"}, Hold: 20 * time.Millisecond})
				if err != nil {
					return err
				}
				wt, err := NewWatcher(w.Kube, m, WatchOptions{Grace: 0, Tick: 20 * time.Millisecond})
				if err != nil {
					return err
				}
				if err := wt.Start(ctx); err != nil {
					return err
				}
				started()
				return wt.Run(ctx)
			})
		}()
		return l
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ctxA, killA := context.WithCancel(ctx)
	a := replica(ctxA, "replica-a")
	waitFor(t, ctx, "replica-a leads", a.Leading)
	b := replica(ctx, "replica-b")
	waitFor(t, ctx, "the incident is posted", func() bool { n, _, _, _ := rec.counts(); return n == 1 })
	if b.Leading() {
		t.Fatal("two leaders")
	}

	killA()
	waitFor(t, ctx, "replica-b takes over", b.Leading)
	later := w.Deploy(sandbox.Workload{Namespace: "team-a", Name: "api", Image: "us.icr.io/shop/api:3.1", Reason: "ImagePullBackOff"})
	waitFor(t, ctx, "the new leader posts the new incident", func() bool { n, _, _, _ := rec.counts(); return n == 2 })
	cancel()
	running.Wait()
	if n, s, _, _ := rec.counts(); n != 2 || s != 0 {
		t.Fatalf("%d incidents and %d storms posted, want 2 incidents (%s and %s, each once)", n, s, pod, later)
	}
}

// TestLeaderGivesUpWhenWorkCannotStart: a leader whose work cannot start
// (its state cannot be read, its pod cache cannot fill) tries again with
// back-off, is not ready meanwhile, and after StartTimeout releases the
// lease: the other replica leads. It is ready again once it sees that.
func TestLeaderGivesUpWhenWorkCannotStart(t *testing.T) {
	kube := sandbox.NewClientset()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var tries atomic.Int32
	broken := fastLeader(kube, "broken")
	go broken.Run(ctx, func(ctx context.Context, started func()) error {
		tries.Add(1)
		return errors.New("reading configmap pullcheck/pullcheck-incidents: forbidden")
	})
	waitFor(t, ctx, "the broken replica leads", broken.Leading)
	if code, body := readyz(t, broken); code != http.StatusServiceUnavailable || !strings.Contains(body, "alerts started: not ready") {
		t.Errorf("/readyz of a leader whose work does not start: %d %q", code, body)
	}
	var healthyStarted atomic.Bool
	healthy := fastLeader(kube, "healthy")
	go healthy.Run(ctx, func(ctx context.Context, started func()) error {
		started()
		healthyStarted.Store(true)
		<-ctx.Done()
		return nil
	})
	waitFor(t, ctx, "the healthy replica leads and starts", healthyStarted.Load)
	if n := tries.Load(); n < 3 || n > 6 {
		t.Errorf("the broken replica tried %d times, want 3 to 6 (50, 100, 200 ms back-off within 400 ms)", n)
	}
	if !healthy.Ready() {
		t.Error("the leader that started is not ready")
	}
	waitFor(t, ctx, "the broken replica is ready again as a follower", broken.Ready)
	if code, _ := readyz(t, broken); code != http.StatusOK {
		t.Errorf("/readyz of a follower: %d", code)
	}
	if broken.Leading() {
		t.Error("two leaders")
	}
}

// TestLeaderGivesUpWhenWorkFails: work that fails after it started (its
// state was replaced by another writer) ends the term at once; the lease
// goes to the other replica without waiting for it to expire.
func TestLeaderGivesUpWhenWorkFails(t *testing.T) {
	kube := sandbox.NewClientset()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	deposed := make(chan struct{})
	a := fastLeader(kube, "a")
	go a.Run(ctx, func(ctx context.Context, started func()) error {
		started()
		select {
		case <-deposed:
			return ErrDeposed
		case <-ctx.Done():
			return nil
		}
	})
	waitFor(t, ctx, "a leads", a.Leading)
	b := fastLeader(kube, "b")
	go b.Run(ctx, func(ctx context.Context, started func()) error { started(); <-ctx.Done(); return nil })
	deadline := time.Now().Add(300 * time.Millisecond)
	waitFor(t, ctx, "b to campaign a while", func() bool { return b.Leading() || time.Now().After(deadline) })
	if b.Leading() {
		t.Fatal("b leads while a holds the lease")
	}
	close(deposed)
	waitFor(t, ctx, "b leads", b.Leading)
	if a.Leading() {
		t.Error("a still leads")
	}
}

// TestLeaderStopsWorkBeforeReleasing: a leader that shuts down (a rolling
// update) releases the lease only once its work has returned — its last
// save written — so its successor never starts while it still writes.
func TestLeaderStopsWorkBeforeReleasing(t *testing.T) {
	kube := sandbox.NewClientset()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ctxA, stopA := context.WithCancel(ctx)
	finishing, finish := make(chan struct{}), make(chan struct{})
	var aReturned, bStartedEarly atomic.Bool
	// Leases long enough that a loaded machine does not miss a renewal:
	// this test is about a clean hand-over, not a lost lease.
	a := leaderWithLease(kube, "a", 3*time.Second)
	aDone := make(chan struct{})
	go func() {
		defer close(aDone)
		a.Run(ctxA, func(ctx context.Context, started func()) error {
			started()
			<-ctx.Done()
			close(finishing)
			<-finish // the last save takes a while
			aReturned.Store(true)
			return nil
		})
	}()
	waitFor(t, ctx, "a leads", a.Leading)
	var bStarted atomic.Bool
	b := leaderWithLease(kube, "b", 3*time.Second)
	go b.Run(ctx, func(ctx context.Context, started func()) error {
		if !aReturned.Load() {
			bStartedEarly.Store(true)
		}
		started()
		bStarted.Store(true)
		<-ctx.Done()
		return nil
	})
	stopA()
	<-finishing
	// With the lease released at once, b would lead within a few of its
	// 100 ms retries.
	deadline := time.Now().Add(1500 * time.Millisecond)
	waitFor(t, ctx, "a lease's time to pass", func() bool { return bStarted.Load() || time.Now().After(deadline) })
	close(finish)
	<-aDone
	waitFor(t, ctx, "b leads", bStarted.Load)
	if bStartedEarly.Load() {
		t.Error("the next leader started while the last one was still writing")
	}
}

// readyz asks /readyz of a replica whose only check is its leadership.
func readyz(t *testing.T, l *Leader) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	OpsHandler(prometheus.NewRegistry(), []Check{{"alerts started", l.Ready}}).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	return rec.Code, rec.Body.String()
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}
