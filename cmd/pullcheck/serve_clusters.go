package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/fleet"
)

// probeEvery is how often serve asks every cluster whether it answers, for
// /readyz and pullcheck_cluster_up.
const probeEvery = 15 * time.Second

// connectUnits connects the clusters serve serves: the one kubectl would
// use (or the sandbox), or those PULLCHECK_CLUSTERS names. hub is where
// pullcheck keeps its Lease and state: the cluster of its own identity.
func connectUnits(ctx context.Context, cfg *config.Config, f diagnoseFlags, useSandbox bool, logger *slog.Logger) (hub kubernetes.Interface, units []*unit, dm *sandbox.Demo, err error) {
	if !cfg.Clusters.Multi() {
		svc, dm, err := service(ctx, cfg, f, useSandbox, logger)
		if err != nil {
			return nil, nil, nil, err
		}
		return svc.Kube, []*unit{{member: fleet.NewMember("", "", "", svc.Kube), svc: svc}}, dm, nil
	}
	if useSandbox {
		return nil, nil, nil, usagef("--sandbox serves one simulated cluster: unset %s", config.KeyClusters)
	}
	shared, err := connect(cfg, f, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	ms, err := members(cfg, f)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("configuration: %w", err)
	}
	for _, rc := range routedClusters(ctx, cfg, shared.Kube, shared, ms, logger) {
		units = append(units, &unit{member: rc.Member, svc: rc.Service})
	}
	logger.Info("serving several clusters", "clusters", clusterNames(units))
	return shared.Kube, units, nil, nil
}

// newRouter puts a Router in front of the units' Services.
func newRouter(cfg *config.Config, units []*unit, logger *slog.Logger) (*commands.Router, error) {
	cs := make([]commands.RoutedCluster, len(units))
	for i, u := range units {
		cs[i] = commands.RoutedCluster{Member: u.member, Service: u.svc}
	}
	r, err := commands.NewRouter(commands.RouterOptions{Clusters: cs, Channels: cfg.Clusters.Channels, IBM: units[0].svc.IBM, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", config.KeyChannelClusters, err)
	}
	return r, nil
}

func clusterNames(units []*unit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.name()
	}
	return strings.Join(names, ",")
}

// readiness is what /readyz checks: Slack, and with one cluster its pod
// cache on the leader, as always. With several, each cluster's state is
// listed but never makes the replica unready: one cluster that does not
// answer must not take pullcheck away from the others.
func (bg *background) readiness(connected, started, leading func() bool) ([]alerts.Check, []alerts.Status) {
	checks := []alerts.Check{{Name: "slack connected", OK: connected}}
	if !bg.multi() {
		return append(checks, alerts.Check{Name: "alerts started (leader only)", OK: started}), nil
	}
	var statuses []alerts.Status
	for _, u := range bg.units {
		statuses = append(statuses, alerts.Status{Name: "cluster " + u.name(), State: func() string { return u.state(leading()) }})
	}
	return checks, statuses
}

// state says whether the cluster answers and, on the leader, whether its
// pod cache has synced.
func (u *unit) state(leading bool) string {
	ok, since, _ := u.member.Health.State()
	w := u.watcher.Load()
	synced := w != nil && w.Synced()
	var parts []string
	switch {
	case ok:
		parts = append(parts, "answers")
	default:
		parts = append(parts, "unreachable since "+since.UTC().Format(time.RFC3339))
	}
	switch {
	case !leading:
		parts = append(parts, "its pods are watched by the leader, not this replica")
	case synced && ok:
		parts = append(parts, "pod cache synced")
	case synced:
		parts = append(parts, "pod cache synced before, its watch backs off and retries")
	default:
		parts = append(parts, "pod cache not synced")
	}
	return strings.Join(parts, "; ")
}

// probe asks every cluster, in the background, whether it answers; logs
// each change and exposes it as pullcheck_cluster_up and _synced.
func (bg *background) probe(ctx context.Context, leading func() bool) {
	for _, u := range bg.units {
		h, logger := u.member.Health, u.logger(bg.logger)
		h.OnChange = func(ok bool, err error) {
			if ok {
				logger.Info("the cluster answers")
				return
			}
			logger.Warn("the cluster does not answer", "err", err)
		}
		bg.metrics.RegisterCluster(u.name(), func() bool { ok, _, _ := h.State(); return ok },
			func() bool { w := u.watcher.Load(); return leading() && w != nil && w.Synced() })
		go h.Watch(ctx, probeEvery)
	}
}
