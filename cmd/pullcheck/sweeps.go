package main

import (
	"context"
	"errors"
	"strings"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/fleet"
	"github.com/pullcheck/pullcheck/kubestate"
)

// sweeps schedules the quota sweep (once: one key, one account), the
// hygiene sweep of every cluster and, with several clusters, the survey of
// which of the account's clusters pullcheck covers.
func (bg *background) sweeps(routes alerts.Routes) *sweep.Scheduler {
	a := bg.cfg.Alerts
	s, err := sweep.NewScheduler(a.TimeZone, bg.logger)
	if err != nil {
		bg.logger.Error("sweeps are off", "err", err)
		return nil
	}
	store := sweep.NewConfigMapStore(bg.hub, a.Namespace)
	quota := &sweep.QuotaSweep{IBM: bg.units[0].svc.IBM, Regions: a.QuotaRegions, Warn: bg.cfg.QuotaWarn, Critical: a.QuotaCritical,
		Store: store, Notify: bg.notify, Channel: a.Channel, Logger: bg.logger}
	hygiene := bg.hygiene(routes, store)
	if err := errors.Join(addSweep(s, "quota sweep", a.QuotaSchedule, bg.logged("quota sweep", quota.Run)),
		addSweep(s, "hygiene sweep", a.HygieneSchedule, hygiene)); err != nil {
		bg.logger.Error("sweeps are off", "err", err)
		return nil
	}
	return s
}

// hygiene runs the hygiene sweep of every cluster, one after the other,
// then, with several, the coverage survey.
func (bg *background) hygiene(routes alerts.Routes, shared sweep.Store) func(context.Context) {
	a := bg.cfg.Alerts
	var runs []func(context.Context)
	for _, u := range bg.units {
		name, svc, store := u.name(), u.svc, shared
		if name != "" {
			store = sweep.NewStore(&kubestate.ConfigMap{Kube: bg.hub, Namespace: a.Namespace, Name: u.stateName(sweep.StateConfigMap), Key: sweep.StateKey})
		}
		h := &sweep.HygieneSweep{Cluster: name, Kube: u.member.Kube, Store: store, Notify: bg.notify,
			Channel: func(ns string) string { return routes.ChannelIn(name, ns) },
			Offers:  svc.Allowed, Logger: u.logger(bg.logger)}
		runs = append(runs, bg.logged(strings.TrimSpace("hygiene sweep "+name), h.Run))
	}
	if bg.multi() {
		c := &sweep.CoverageSweep{Survey: bg.survey, Store: shared, Notify: bg.notify, Channel: a.Channel}
		runs = append(runs, bg.logged("coverage sweep", c.Run))
	}
	return func(ctx context.Context) {
		for _, run := range runs {
			run(ctx)
		}
	}
}

// survey surveys every cluster with pullcheck's key.
func (bg *background) survey(ctx context.Context) *fleet.Survey {
	ms := make([]*fleet.Member, len(bg.units))
	for i, u := range bg.units {
		ms[i] = u.member
	}
	return fleet.Take(ctx, bg.units[0].svc.IBM, ms)
}

func (bg *background) logged(name string, f func(context.Context) error) func(context.Context) {
	return func(ctx context.Context) {
		if err := f(ctx); err != nil {
			bg.logger.Warn(name, "err", err)
		}
	}
}
