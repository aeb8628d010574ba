package alerts

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/utils/clock"
)

// LeaderOptions configure leader election over a Lease.
type LeaderOptions struct {
	Namespace, Name, Identity string
	// LeaseDuration, RenewDeadline and RetryPeriod default to 15 s, 10 s and 2 s.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	// StartTimeout bounds how long a new leader tries to start its work
	// (default 1 min) before it gives the lease up for another replica;
	// StartBackoff is the wait after its first failed try (default 1 s),
	// doubled after each further one.
	StartTimeout, StartBackoff time.Duration
	Clock                      clock.Clock
	Logger                     *slog.Logger
}

// Work is what the leader runs while it leads. It calls started once it
// is up (its state loaded, its pod cache filled). An error before that is a
// failure to start, tried again with back-off; an error after it (the state
// was taken over by another writer) ends the term. Work returns nil when
// ctx is done.
type Work func(ctx context.Context, started func()) error

// Leader runs work only while this replica holds the Lease: only the leader
// watches, sweeps and posts alerts, so two replicas never post twice.
type Leader struct {
	o       LeaderOptions
	kube    kubernetes.Interface
	leading atomic.Bool
	started atomic.Bool
	// failed is set when this replica gave the lease up because its work
	// would not start or failed, and cleared when another replica leads or
	// a later term of this one starts.
	failed atomic.Bool
}

// NewLeader returns a Leader; Run campaigns.
func NewLeader(kube kubernetes.Interface, o LeaderOptions) *Leader {
	o.Name = cmp.Or(o.Name, "pullcheck-leader")
	if o.LeaseDuration <= 0 {
		o.LeaseDuration, o.RenewDeadline, o.RetryPeriod = 15*time.Second, 10*time.Second, 2*time.Second
	}
	o.StartTimeout, o.StartBackoff = cmp.Or(o.StartTimeout, time.Minute), cmp.Or(o.StartBackoff, time.Second)
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Leader{o: o, kube: kube}
}

// Leading reports whether this replica leads now (for metrics).
func (l *Leader) Leading() bool { return l.leading.Load() }

// Ready reports whether this replica is fine as far as leading goes (for
// /readyz): not while it leads but its work has not started, and not after
// it gave the lease up for a failure, until another replica leads.
func (l *Leader) Ready() bool {
	return !l.failed.Load() && (!l.leading.Load() || l.started.Load())
}

// Run campaigns until ctx is done; while leading it runs work with a
// context that ends when leadership is lost. When work cannot start within
// StartTimeout, or fails, the lease is released and this replica waits a
// lease duration before it campaigns again, so another can lead. When ctx
// is done, work is stopped first and the lease released after, so the next
// leader starts only once this one has stopped writing.
func (l *Leader) Run(ctx context.Context, work Work) {
	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Namespace: l.o.Namespace, Name: l.o.Name},
		Client:     l.kube.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: l.o.Identity},
	}
	for ctx.Err() == nil {
		if !l.term(ctx, lock, work) {
			continue
		}
		select {
		case <-ctx.Done():
		case <-l.o.Clock.After(l.o.LeaseDuration):
		}
	}
}

// term campaigns once and, if elected, leads until leadership is lost, ctx
// is done or work fails; it reports whether work failed. Leadership is
// campaigned for with a context of its own, cancelled (which releases the
// lease) only once work has returned.
func (l *Leader) term(ctx context.Context, lock resourcelock.Interface, work Work) (failed bool) {
	elect, release := context.WithCancel(context.WithoutCancel(ctx))
	defer release()
	var (
		mu       sync.Mutex
		stopWork context.CancelFunc // set while work runs
		done     chan struct{}      // closed when work has returned
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopWork != nil {
			stopWork() // work returns, then releases the lease
			return
		}
		release()
	})
	defer stop()
	leaderelection.RunOrDie(elect, leaderelection.LeaderElectionConfig{
		Lock: lock, ReleaseOnCancel: true, Name: l.o.Name,
		LeaseDuration: l.o.LeaseDuration, RenewDeadline: l.o.RenewDeadline, RetryPeriod: l.o.RetryPeriod,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(leCtx context.Context) {
				mu.Lock()
				if ctx.Err() != nil {
					mu.Unlock()
					release()
					return
				}
				wctx, cancel := context.WithCancel(leCtx)
				stopWork, done = cancel, make(chan struct{})
				mu.Unlock()
				err := l.lead(wctx, work)
				cancel()
				mu.Lock()
				stopWork, failed = nil, err != nil
				close(done)
				mu.Unlock()
				release()
			},
			OnStoppedLeading: func() {
				if l.leading.Swap(false) {
					l.o.Logger.Info("no longer leading", "identity", l.o.Identity)
				}
			},
			OnNewLeader: func(id string) {
				if id != l.o.Identity {
					l.failed.Store(false) // another replica leads: this one is a fine follower
				}
			},
		},
	})
	mu.Lock()
	d := done
	mu.Unlock()
	if d != nil {
		<-d
	}
	mu.Lock()
	defer mu.Unlock()
	return failed
}

// lead runs work for one term. While work fails to start it is tried
// again after StartBackoff, doubled each time, until StartTimeout has
// passed; then, or when work fails after it started, lead returns the
// error and the term ends.
func (l *Leader) lead(ctx context.Context, work Work) error {
	l.leading.Store(true)
	defer l.started.Store(false)
	l.o.Logger.Info("leading: watching pods, sweeping and posting alerts", "identity", l.o.Identity)
	giveUp := l.o.Clock.Now().Add(l.o.StartTimeout)
	wait := l.o.StartBackoff
	for {
		var up atomic.Bool
		err := work(ctx, func() {
			up.Store(true)
			l.started.Store(true)
			l.failed.Store(false)
		})
		switch {
		case err == nil || ctx.Err() != nil:
			return nil
		case up.Load():
			l.failed.Store(true)
			l.o.Logger.Error("the leader's work failed: giving the lease up", "identity", l.o.Identity, "err", err)
			return err
		case l.o.Clock.Now().Add(wait).After(giveUp):
			l.failed.Store(true)
			l.o.Logger.Error("the leader's work did not start: giving the lease up for another replica",
				"identity", l.o.Identity, "tried_for", l.o.StartTimeout.String(), "err", err)
			return err
		}
		l.o.Logger.Warn("the leader's work did not start; trying again", "identity", l.o.Identity, "retry_in", wait.String(), "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-l.o.Clock.After(wait):
		}
		wait *= 2
	}
}
