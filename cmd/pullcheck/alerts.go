package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
)

// background is what only the leader runs: the pod watch and the sweeps.
type background struct {
	cfg     *config.Config
	kube    kubernetes.Interface
	svc     *commands.Service
	notify  *bot.Notifier
	metrics *alerts.Metrics
	logger  *slog.Logger
}

// validate checks what would otherwise fail only once leading.
func (bg *background) validate() error {
	a := bg.cfg.Alerts
	if _, err := alerts.ParseRoutes(a.Channel, a.Routes); err != nil {
		return fmt.Errorf("%s: %w", config.KeyAlertRoutes, err)
	}
	s, err := sweep.NewScheduler(a.TimeZone, bg.logger)
	if err != nil {
		return err
	}
	return errors.Join(addSweep(s, "quota sweep", a.QuotaSchedule, nil), addSweep(s, "hygiene sweep", a.HygieneSchedule, nil))
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

// lead is the leader's work: it loads the incident state, fills the pod
// cache and starts the sweeps, then runs until leadership ends. An error
// before started is a failure to start (the leader tries again, then gives
// the lease up); one after it means the state was taken over.
func (bg *background) lead(ctx context.Context, started func()) error {
	a := bg.cfg.Alerts
	routes, _ := alerts.ParseRoutes(a.Channel, a.Routes)
	mgr, err := alerts.NewManager(ctx, alerts.Options{Engine: bg.svc.Engine, Offers: bg.svc.Offers, Notify: bg.notify,
		Store: alerts.NewConfigMapStore(bg.kube, a.Namespace), Routes: routes, Hold: a.Hold, StormMin: a.StormMin,
		Timeout: bg.cfg.Timeout, Logger: bg.logger, Metrics: bg.metrics,
		Desk: alerts.NewConfigMapDesk(bg.kube, a.Namespace).Doc, AlertOffers: commands.AlertOffers})
	if err != nil {
		return fmt.Errorf("starting alerts: %w", err)
	}
	w, err := alerts.NewWatcher(bg.kube, mgr, alerts.WatchOptions{Grace: a.Grace, SyncTimeout: 30 * time.Second, Logger: bg.logger})
	if err != nil {
		return fmt.Errorf("starting the pod watch: %w", err)
	}
	if err := w.Start(ctx); err != nil {
		return fmt.Errorf("starting the pod watch: %w", err)
	}
	if sched := bg.sweeps(routes); sched != nil {
		sched.Start(ctx)
		defer sched.Stop()
	}
	started()
	return w.Run(ctx)
}

// sweeps schedules the quota and hygiene sweeps.
func (bg *background) sweeps(routes alerts.Routes) *sweep.Scheduler {
	a := bg.cfg.Alerts
	s, err := sweep.NewScheduler(a.TimeZone, bg.logger)
	if err != nil {
		bg.logger.Error("sweeps are off", "err", err)
		return nil
	}
	store := sweep.NewConfigMapStore(bg.kube, a.Namespace)
	quota := &sweep.QuotaSweep{IBM: bg.svc.IBM, Regions: a.QuotaRegions, Warn: bg.cfg.QuotaWarn, Critical: a.QuotaCritical,
		Store: store, Notify: bg.notify, Channel: a.Channel, Logger: bg.logger}
	hygiene := &sweep.HygieneSweep{Kube: bg.kube, Store: store, Notify: bg.notify, Channel: routes.Channel,
		Offers: bg.svc.Allowed, Logger: bg.logger}
	run := func(name string, f func(context.Context) error) func(context.Context) {
		return func(ctx context.Context) {
			if err := f(ctx); err != nil {
				bg.logger.Warn(name, "err", err)
			}
		}
	}
	if err := errors.Join(addSweep(s, "quota sweep", a.QuotaSchedule, run("quota sweep", quota.Run)),
		addSweep(s, "hygiene sweep", a.HygieneSchedule, run("hygiene sweep", hygiene.Run))); err != nil {
		bg.logger.Error("sweeps are off", "err", err)
		return nil
	}
	return s
}

// newMetrics registers pullcheck's and the runtime's metrics.
func newMetrics() (*prometheus.Registry, *alerts.Metrics) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
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
