package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/fleet"
	"github.com/pullcheck/pullcheck/kubestate"
)

// background is what only the leader runs: the pod watch of every cluster
// and the sweeps.
type background struct {
	cfg *config.Config
	// hub keeps pullcheck's state (ConfigMaps) in its own namespace.
	hub     kubernetes.Interface
	units   []*unit
	notify  *bot.Notifier
	metrics *alerts.Metrics
	logger  *slog.Logger
}

// unit is one cluster the leader watches and sweeps: its Service diagnoses
// there; its watcher is set while it runs.
type unit struct {
	member  *fleet.Member
	svc     *commands.Service
	watcher atomic.Pointer[alerts.Watcher]
}

// name is the unit's cluster ("" for the only one).
func (u *unit) name() string { return u.member.Name }

// stateName names a ConfigMap of the unit's state: base for the only
// cluster (as always), base-<cluster> for each of several.
func (u *unit) stateName(base string) string {
	if u.name() == "" {
		return base
	}
	return base + "-" + u.name()
}

func (u *unit) logger(l *slog.Logger) *slog.Logger {
	if u.name() == "" {
		return l
	}
	return l.With("cluster", u.name())
}

// multi reports whether pullcheck serves several named clusters.
func (bg *background) multi() bool { return bg.cfg.Clusters.Multi() }

// validate checks what would otherwise fail only once leading.
func (bg *background) validate() error {
	a := bg.cfg.Alerts
	routes, err := alerts.ParseRoutes(a.Channel, a.Routes)
	if err != nil {
		return fmt.Errorf("%s: %w", config.KeyAlertRoutes, err)
	}
	if err := bg.validateRouteClusters(routes); err != nil {
		return err
	}
	s, err := sweep.NewScheduler(a.TimeZone, bg.logger)
	if err != nil {
		return err
	}
	return errors.Join(addSweep(s, "quota sweep", a.QuotaSchedule, nil), addSweep(s, "hygiene sweep", a.HygieneSchedule, nil))
}

// validateRouteClusters refuses a route whose cluster pattern matches no
// cluster pullcheck serves (a typo would send alerts to the default).
func (bg *background) validateRouteClusters(routes alerts.Routes) error {
	var names []string
	for _, u := range bg.units {
		names = append(names, u.name())
	}
	var errs []error
	for _, pat := range routes.Clusters() {
		if !bg.multi() {
			errs = append(errs, fmt.Errorf("%s: a route names clusters (%s/…) only where %s names them", config.KeyAlertRoutes, pat, config.KeyClusters))
			continue
		}
		if !slices.ContainsFunc(names, func(n string) bool { ok, _ := path.Match(pat, n); return ok }) {
			errs = append(errs, fmt.Errorf("%s: the cluster pattern %q matches none of the clusters (%s)", config.KeyAlertRoutes, pat, strings.Join(names, ", ")))
		}
	}
	return errors.Join(errs...)
}

func addSweep(s *sweep.Scheduler, name, spec string, run func(context.Context)) error {
	if spec == "" {
		return nil
	}
	if run == nil {
		run = func(context.Context) {}
	}
	return s.Add(name, spec, run)
}

// lead is the leader's work, until leadership ends. With one cluster it
// loads the incident state, fills the pod cache and starts the sweeps
// before it says started: an error before that is a failure to start (the
// leader tries again, then gives the lease up); one after it means the
// state was taken over. With several, each cluster is watched on its own
// (one that does not answer holds back only its own watch, which retries),
// so the work has started once every watch is under way.
func (bg *background) lead(ctx context.Context, started func()) error {
	a := bg.cfg.Alerts
	routes, _ := alerts.ParseRoutes(a.Channel, a.Routes)
	routes = routes.Bound(bg.units[0].svc.Access)
	if !bg.multi() {
		return bg.leadOne(ctx, bg.units[0], routes, started)
	}
	var wg sync.WaitGroup
	for _, u := range bg.units {
		wg.Add(1)
		go func() { defer wg.Done(); bg.watch(ctx, u, routes) }()
	}
	if sched := bg.sweeps(routes); sched != nil {
		sched.Start(ctx)
		defer sched.Stop()
	}
	started()
	<-ctx.Done()
	wg.Wait()
	return nil
}

// leadOne is the work of a leader that serves one cluster.
func (bg *background) leadOne(ctx context.Context, u *unit, routes alerts.Routes, started func()) error {
	w, err := bg.watcher(ctx, u, routes)
	if err != nil {
		return err
	}
	if err := w.Start(ctx); err != nil {
		return fmt.Errorf("starting the pod watch: %w", err)
	}
	u.watcher.Store(w)
	defer u.watcher.Store(nil)
	if sched := bg.sweeps(routes); sched != nil {
		sched.Start(ctx)
		defer sched.Stop()
	}
	started()
	return w.Run(ctx)
}

// watcher builds a cluster's incident manager and pod watch.
func (bg *background) watcher(ctx context.Context, u *unit, routes alerts.Routes) (*alerts.Watcher, error) {
	a, logger := bg.cfg.Alerts, u.logger(bg.logger)
	name, svc := u.name(), u.svc
	store := &kubestate.ConfigMap{Kube: bg.hub, Namespace: a.Namespace, Name: u.stateName(alerts.StateConfigMap), Key: alerts.StateKey}
	mgr, err := alerts.NewManager(ctx, alerts.Options{Cluster: name, Engine: svc.Engine,
		Offers: func(rep *diagnose.Report) []commands.Offer { return commands.OffersIn(name, svc.Offers(rep)) }, Notify: bg.notify,
		Store: store, Routes: routes, Hold: a.Hold, StormMin: a.StormMin, Timeout: bg.cfg.Timeout, Logger: logger, Metrics: bg.metrics,
		Desk: alerts.NewConfigMapDesk(bg.hub, a.Namespace).Doc, AlertOffers: commands.AlertOffers})
	if err != nil {
		return nil, fmt.Errorf("starting alerts: %w", err)
	}
	wo := alerts.WatchOptions{Grace: a.Grace, SyncTimeout: 30 * time.Second, Logger: logger}
	if bg.multi() {
		wo.WatchErrors = u.member.Health.Suspect
	}
	w, err := alerts.NewWatcher(u.member.Kube, mgr, wo)
	if err != nil {
		return nil, fmt.Errorf("starting the pod watch: %w", err)
	}
	return w, nil
}

// watch runs one cluster's pod watch and incidents until ctx is done; a
// watch that cannot start tries again, backing off up to a minute.
func (bg *background) watch(ctx context.Context, u *unit, routes alerts.Routes) {
	logger := u.logger(bg.logger)
	for wait := time.Second; ctx.Err() == nil; wait = min(2*wait, time.Minute) {
		w, err := bg.watcher(ctx, u, routes)
		if err == nil {
			if err = w.Start(ctx); err == nil {
				u.watcher.Store(w)
				err = w.Run(ctx)
				u.watcher.Store(nil)
			}
		}
		if ctx.Err() != nil {
			return
		}
		logger.Error("pod watch", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// newMetrics registers pullcheck's and the runtime's metrics; with several
// clusters, diagnoses and alerts are counted per cluster.
func newMetrics(multi bool) (*prometheus.Registry, *alerts.Metrics) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if multi {
		return reg, alerts.NewClusterMetrics(reg)
	}
	return reg, alerts.NewMetrics(reg)
}

// newOutbox paces alerts to Slack and counts what it drops.
func newOutbox(m *alerts.Metrics, logger *slog.Logger) *outbox.Outbox {
	return outbox.New(outbox.Options{Logger: logger,
		OnDrop:  func(_, reason string) { m.Dropped.WithLabelValues(reason).Inc() },
		OnRetry: func(string, error) { m.SlackErrors.WithLabelValues("chat").Inc() }})
}

// serveOps serves /healthz, /readyz and /metrics until ctx is done.
func serveOps(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	if addr == "" || addr == "off" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", config.KeyHTTPAddr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("ops server", "err", err)
		}
	}()
	return nil
}
