package alerts

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listers "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
)

// WatchOptions configure a Watcher.
type WatchOptions struct {
	// Grace is how long a container must fail to pull before it is
	// diagnosed (default 60 s); a pod that recovers within it is left alone.
	Grace time.Duration
	// Workers diagnose in parallel (default 4).
	Workers int
	// Tick is how often incidents are flushed and resolved (default 2 s).
	Tick time.Duration
	// SyncTimeout bounds the wait for the pod cache to fill (default 2 min):
	// a cache that cannot (no permission to list pods, no API server) is a
	// failure to start.
	SyncTimeout time.Duration
	// NoTransform keeps whole pods in the cache (only to measure the transform).
	NoTransform bool
	// WatchErrors, when set, hears of every failed list or watch of pods
	// (the informer retries them itself, backing off up to 30 s).
	WatchErrors func(error)
	Clock       clock.WithTicker
	Logger      *slog.Logger
}

// Watcher watches pods: its event handlers only enqueue; its workers
// diagnose through the Manager.
type Watcher struct {
	o        WatchOptions
	mgr      *Manager
	factory  informers.SharedInformerFactory
	informer cache.SharedIndexInformer
	lister   listers.PodLister
	queue    workqueue.TypedDelayingInterface[string]
	synced   atomic.Bool
	// stopCache stops the informers (Start sets it).
	stopCache func()
	// processed counts pods looked at after their grace period (tests, metrics).
	processed atomic.Int64

	mu        sync.Mutex
	firstSeen map[string]time.Time // pod -> when it started failing to pull
}

// NewWatcher builds the informer; Run starts it.
func NewWatcher(kube kubernetes.Interface, mgr *Manager, o WatchOptions) (*Watcher, error) {
	if o.Grace < 0 {
		return nil, fmt.Errorf("the grace period %s is negative", o.Grace)
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Tick <= 0 {
		o.Tick = 2 * time.Second
	}
	if o.SyncTimeout <= 0 {
		o.SyncTimeout = 2 * time.Minute
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var opts []informers.SharedInformerOption
	if !o.NoTransform {
		opts = append(opts, informers.WithTransform(Strip))
	}
	f := informers.NewSharedInformerFactoryWithOptions(kube, 0, opts...)
	pods := f.Core().V1().Pods()
	w := &Watcher{o: o, mgr: mgr, factory: f, informer: pods.Informer(), lister: pods.Lister(), firstSeen: map[string]time.Time{},
		queue: workqueue.NewTypedDelayingQueueWithConfig(workqueue.TypedDelayingQueueConfig[string]{Clock: o.Clock, Name: "pullcheck-pods"})}
	_, err := w.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    w.onChange,
		UpdateFunc: func(_, obj any) { w.onChange(obj) },
		DeleteFunc: w.onDelete,
	})
	if err != nil {
		return nil, fmt.Errorf("adding the pod handler: %w", err)
	}
	if o.WatchErrors != nil {
		if err := w.informer.SetWatchErrorHandler(func(_ *cache.Reflector, err error) { o.WatchErrors(err) }); err != nil {
			return nil, fmt.Errorf("adding the watch error handler: %w", err)
		}
	}
	mgr.o.Pods, mgr.grace = w, o.Grace
	return w, nil
}

// Synced reports whether the pod cache has synced (for readiness).
func (w *Watcher) Synced() bool { return w.synced.Load() }

// PodsIn lists the cached pods of a namespace.
func (w *Watcher) PodsIn(ns string) []*corev1.Pod {
	pods, _ := w.lister.Pods(ns).List(labels.Everything())
	return pods
}

// onChange enqueues a pod that started failing, to look again once the
// grace period has passed; a pod that recovered is forgotten.
func (w *Watcher) onChange(obj any) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	key := p.Namespace + "/" + p.Name
	failing := len(failures(p)) > 0
	w.mu.Lock()
	_, known := w.firstSeen[key]
	switch {
	case failing && !known:
		w.firstSeen[key] = w.o.Clock.Now()
	case !failing && known:
		delete(w.firstSeen, key)
	}
	w.mu.Unlock()
	if failing && !known {
		w.queue.AddAfter(key, w.o.Grace)
	}
}

func (w *Watcher) onDelete(obj any) {
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = t.Obj
	}
	if p, ok := obj.(*corev1.Pod); ok {
		w.mu.Lock()
		delete(w.firstSeen, p.Namespace+"/"+p.Name)
		w.mu.Unlock()
	}
}

// Start starts the pod cache and waits, at most SyncTimeout, until it
// has filled. The cache stops when ctx is done, or when Start fails; a
// Watcher whose Start failed is spent (make a new one to try again).
func (w *Watcher) Start(ctx context.Context) error {
	stop := make(chan struct{})
	w.stopCache = sync.OnceFunc(func() {
		close(stop)
		w.factory.Shutdown()
	})
	context.AfterFunc(ctx, w.stopCache)
	w.factory.Start(stop)
	sctx, cancel := context.WithTimeout(ctx, w.o.SyncTimeout)
	defer cancel()
	if !cache.WaitForCacheSync(sctx.Done(), w.informer.HasSynced) {
		w.stopCache()
		return fmt.Errorf("the pod cache did not fill within %s (can pullcheck list and watch pods?): %w", w.o.SyncTimeout, sctx.Err())
	}
	w.synced.Store(true)
	return nil
}

// Run watches (after Start, which it calls when it was not) until ctx is
// done, and returns nil then. It returns early with an error when the pod
// cache does not fill or the Manager is deposed (ErrDeposed).
func (w *Watcher) Run(ctx context.Context) error {
	if !w.synced.Load() {
		if err := w.Start(ctx); err != nil {
			return err
		}
	}
	defer w.stopCache()
	parent := ctx
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range w.o.Workers {
		wg.Add(1)
		go func() { defer wg.Done(); w.work(ctx) }()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := w.mgr.Run(ctx, w.o.Tick); err != nil {
			cancel(err)
		}
	}()
	<-ctx.Done()
	w.queue.ShutDown()
	wg.Wait()
	if parent.Err() != nil {
		return nil
	}
	return context.Cause(ctx)
}

func (w *Watcher) work(ctx context.Context) {
	for {
		key, quit := w.queue.Get()
		if quit {
			return
		}
		w.process(ctx, key)
		w.processed.Add(1)
		w.queue.Done(key)
	}
}

// process looks at a pod once its grace period is over.
func (w *Watcher) process(ctx context.Context, key string) {
	ns, name, _ := cache.SplitMetaNamespaceKey(key)
	p, err := w.lister.Pods(ns).Get(name)
	if err != nil || len(failures(p)) == 0 {
		return // gone, or recovered within the grace period
	}
	w.mu.Lock()
	first, ok := w.firstSeen[key]
	w.mu.Unlock()
	if !ok {
		return
	}
	if wait := w.o.Grace - w.o.Clock.Since(first); wait > 0 {
		w.queue.AddAfter(key, wait)
		return
	}
	w.mgr.Observe(ctx, p)
}
