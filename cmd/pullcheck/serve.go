package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/slack-go/slack"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// serveOptions are serve's own flags.
type serveOptions struct {
	sandbox    bool
	breakAfter time.Duration
}

// newServeFlagSet is serve's flags, bound to f and o.
func newServeFlagSet(f *diagnoseFlags, o *serveOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.addKubeFlags(fs)
	fs.BoolVar(&o.sandbox, "sandbox", false, "serve the built-in sandbox instead of a cluster (demo)")
	fs.DurationVar(&o.breakAfter, "sandbox-break", 30*time.Second, "with --sandbox: break the rollout of checkout/web after this long (0: never)")
	return fs
}

// runServe serves Slack over socket mode until interrupted.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var f diagnoseFlags
	var o serveOptions
	fs := newServeFlagSet(&f, &o)
	if pos, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("serve takes no arguments (example: pullcheck serve --kubeconfig ~/.kube/config)")
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if err := cfg.ValidateServe(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	hub, units, dm, err := connectUnits(ctx, cfg, f, o.sandbox, logger)
	if err != nil {
		return err
	}
	if dm != nil {
		defer dm.Close()
	}
	router, err := newRouter(cfg, units, logger)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	b, err := bot.New(bot.Config{AppToken: cfg.SlackAppToken, BotToken: cfg.SlackBotToken, APIURL: cfg.SlackAPIURL,
		Workers: cfg.Workers, Logger: logger, Home: homeSources(cfg, hub)}, router)
	if err != nil {
		return err
	}
	auth := commands.NewAuthorizer(cfg.OnCallUsers, cfg.OnCallGroups, groupMembers{b.API()}, 5*time.Minute, nil)
	reg, metrics := newMetrics(cfg.Clusters.Multi())
	for _, u := range units {
		name := u.name()
		u.svc.Auth = auth
		u.svc.OnReport = func(rep *diagnose.Report) { metrics.ObserveReportIn(name, rep) }
	}
	box := newOutbox(metrics, logger)
	defer box.Close()
	bg := &background{cfg: cfg, hub: hub, units: units, notify: b.NewNotifier(box), metrics: metrics, logger: logger}
	if err := bg.validate(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	leader := alerts.NewLeader(hub, alerts.LeaderOptions{Namespace: cfg.Alerts.Namespace, Identity: cfg.Alerts.Identity, Logger: logger})
	ready, statuses := bg.readiness(b.Connected, leader.Ready, leader.Leading)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := serveOps(ctx, cfg.Alerts.HTTPAddr, alerts.OpsHandler(reg, ready, statuses...), logger); err != nil {
		return err
	}
	if bg.multi() {
		bg.probe(ctx, leader.Leading)
	}
	if cfg.Alerts.Channel != "" {
		// Acknowledge and Mute reach any replica; the leader takes them in.
		desk := alerts.NewConfigMapDesk(hub, cfg.Alerts.Namespace)
		for _, u := range units {
			u.svc.Alerts = desk
		}
		go leader.Run(ctx, bg.lead)
	} else {
		logger.Info("alerts and sweeps are off: set " + config.KeyAlertChannel + " to a channel ID to turn them on")
	}
	if dm != nil && o.breakAfter > 0 {
		go breakCheckout(ctx, dm, o.breakAfter, logger)
	}
	logger.Info("pullcheck serving", "version", version, "read_only", cfg.ReadOnly, "sandbox", o.sandbox,
		"alerts", cfg.Alerts.Channel != "", "identity", cfg.Alerts.Identity)
	return b.Run(ctx)
}

// service wires the command path to a cluster, or to the sandbox (whose
// registries are local: its images are checked by name, not at dial time).
func service(ctx context.Context, cfg *config.Config, f diagnoseFlags, useSandbox bool, logger *slog.Logger) (*commands.Service, *sandbox.Demo, error) {
	o := commands.Options{ReadOnly: cfg.ReadOnly, Timeout: cfg.Timeout, Logger: logger, CopySources: cfg.CopySources,
		Access: access(cfg)}
	if useSandbox {
		dm, err := sandbox.NewDemo()
		if err != nil {
			return nil, nil, fmt.Errorf("starting the sandbox: %w", err)
		}
		w := dm.Main
		o.Diagnose = w.EngineOptions(w.BotKey)
		o.Diagnose.Cluster, o.Diagnose.Logger = sandbox.ClusterID, logger
		o.Images, _ = imageProbes(ctx, cfg, w.Kube, os.Getenv, logger)
		return commands.New(o), dm, nil
	}
	var err error
	if o.Diagnose, err = connect(cfg, f, logger); err != nil {
		return nil, nil, err
	}
	o.Images, o.ImageRegistry = imageProbes(ctx, cfg, o.Diagnose.Kube, os.Getenv, logger)
	svc := commands.New(o)
	// Slack hands a click to any replica: who applies a fix is kept where all see it.
	svc.Claims = commands.NewConfigMapClaims(o.Diagnose.Kube, cfg.Alerts.Namespace)
	return svc, nil, nil
}

// access is what each Slack channel may reach: the bindings, the rights of
// unbound channels, and kube-system and pullcheck's own namespace kept to
// channels bound to them by name.
func access(cfg *config.Config) *commands.Access {
	var bindings []commands.Binding
	for _, b := range cfg.Bindings {
		cb := commands.Binding{Channel: b.Channel, Namespaces: b.Namespaces}
		for _, r := range b.Rights {
			cb.Rights = append(cb.Rights, commands.Right(r))
		}
		bindings = append(bindings, cb)
	}
	var unbound []commands.Right
	if cfg.Unbound == config.UnboundAll {
		unbound = commands.AllRights
	}
	return commands.NewAccess(bindings, unbound, "kube-system", cfg.Alerts.Namespace)
}

// homeSources are what the App Home tab shows: the states the leader
// saves, when alerts and sweeps are on, and who is on call.
func homeSources(cfg *config.Config, hub kubernetes.Interface) *bot.HomeSources {
	h := &bot.HomeSources{OnCallUsers: cfg.OnCallUsers, OnCallGroups: cfg.OnCallGroups, Cluster: cfg.Cluster}
	if a := cfg.Alerts; a.Channel != "" {
		h.Alerts = alerts.NewConfigMapStore(hub, a.Namespace)
		if a.QuotaSchedule != "" || a.HygieneSchedule != "" {
			h.Sweeps = sweep.NewConfigMapStore(hub, a.Namespace)
		}
	}
	return h
}

// breakCheckout shows alerts live in the sandbox: a rollout of a tag that
// was never pushed breaks checkout/web while pullcheck watches.
func breakCheckout(ctx context.Context, dm *sandbox.Demo, after time.Duration, logger *slog.Logger) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(after):
	}
	c, err := dm.Find("checkout")
	if err == nil {
		err = c.World.Break(ctx, c.Request.Namespace, c.Request.Pod, "us.icr.io/shop/web:1.3")
	}
	if err != nil {
		logger.Error("breaking the sandbox's checkout/web", "err", err)
		return
	}
	logger.Info("sandbox: checkout/web now pulls us.icr.io/shop/web:1.3, a tag that was never pushed")
}

// groupMembers adapts slack-go to commands.GroupMembers.
type groupMembers struct{ api *slack.Client }

func (g groupMembers) GetUserGroupMembersContext(ctx context.Context, group string) ([]string, error) {
	return g.api.GetUserGroupMembersContext(ctx, group)
}
