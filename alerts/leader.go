package alerts

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
)

// LeaderOptions configure leader election over a Lease.
type LeaderOptions struct {
	Namespace, Name, Identity string
	// LeaseDuration, RenewDeadline and RetryPeriod default to 15 s, 10 s and 2 s.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	Logger                                    *slog.Logger
}

// Leader runs work only while this replica holds the Lease: only the leader
// watches, sweeps and posts alerts, so two replicas never post twice.
type Leader struct {
	o       LeaderOptions
	kube    kubernetes.Interface
	leading atomic.Bool
}

// NewLeader returns a Leader; Run campaigns.
func NewLeader(kube kubernetes.Interface, o LeaderOptions) *Leader {
	if o.Name == "" {
		o.Name = "pullcheck-leader"
	}
	if o.LeaseDuration <= 0 {
		o.LeaseDuration, o.RenewDeadline, o.RetryPeriod = 15*time.Second, 10*time.Second, 2*time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Leader{o: o, kube: kube}
}

// Leading reports whether this replica leads now (for readiness and metrics).
func (l *Leader) Leading() bool { return l.leading.Load() }

// Run campaigns until ctx is done; while leading it runs work with a
// context that ends when leadership is lost. It campaigns again after a loss.
func (l *Leader) Run(ctx context.Context, work func(ctx context.Context)) {
	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Namespace: l.o.Namespace, Name: l.o.Name},
		Client:     l.kube.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: l.o.Identity},
	}
	for ctx.Err() == nil {
		leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
			Lock: lock, ReleaseOnCancel: true, Name: l.o.Name,
			LeaseDuration: l.o.LeaseDuration, RenewDeadline: l.o.RenewDeadline, RetryPeriod: l.o.RetryPeriod,
			Callbacks: leaderelection.LeaderCallbacks{
				OnStartedLeading: func(ctx context.Context) {
					l.leading.Store(true)
					l.o.Logger.Info("leading: watching pods, sweeping and posting alerts", "identity", l.o.Identity)
					work(ctx)
				},
				OnStoppedLeading: func() {
					l.leading.Store(false)
					l.o.Logger.Info("no longer leading", "identity", l.o.Identity)
				},
			},
		})
	}
}
