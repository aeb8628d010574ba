package alerts

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

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
		l := NewLeader(w.Kube, LeaderOptions{Namespace: "pullcheck", Identity: id,
			LeaseDuration: time.Second, RenewDeadline: 500 * time.Millisecond, RetryPeriod: 100 * time.Millisecond})
		running.Add(1)
		go func() {
			defer running.Done()
			l.Run(ctx, func(ctx context.Context) {
				m, err := NewManager(ctx, Options{Engine: w.Engine(), Offers: (&commands.Service{}).Offers, Notify: rec, Store: store,
					Routes: Routes{Default: "C0ALERTS"}, Hold: 20 * time.Millisecond})
				if err != nil {
					t.Error(err)
					return
				}
				wt, err := NewWatcher(w.Kube, m, WatchOptions{Grace: 0, Tick: 20 * time.Millisecond})
				if err != nil {
					t.Error(err)
					return
				}
				_ = wt.Run(ctx)
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
