package commands

import (
	"slices"

	"github.com/pullcheck/pullcheck/diagnose"
)

// planOrder is the order in which fixes of one pull-secret setup build on
// each other: the cluster's secret, then the namespace's copy of it, then
// the service account that lists the copy, then the pod that must be
// re-created to get it (pods take their service account's pull secrets only
// when they are created).
var planOrder = []diagnose.Action{
	diagnose.ApplyClusterPullSecret,
	diagnose.CopyPullSecret,
	diagnose.SyncPullSecret,
	diagnose.PatchServiceAccount,
	diagnose.RestartPod,
}

// Plan is the remedies of a report that together take the pod from broken to
// running, in the order they must be applied: the root cause's fixable
// remedies, and a refresh of a stale namespace copy when the diagnosis warns
// of one. A plan has at least two steps; a single remedy is its own button.
// Each step is checked again by its fixer when it is applied.
func Plan(rep *diagnose.Report) []diagnose.Remedy {
	if rep == nil || rep.RootCause == nil || rep.Request.Preflight() {
		return nil
	}
	var steps []diagnose.Remedy
	add := func(rs []diagnose.Remedy) {
		for _, r := range rs {
			if slices.Contains(planOrder, r.Action) && !slices.ContainsFunc(steps, func(s diagnose.Remedy) bool { return s.Action == r.Action }) {
				steps = append(steps, r)
			}
		}
	}
	add(rep.RootCause.Remedies)
	if stale, ok := rep.Result(diagnose.PullSecretStale); ok && stale.Status == diagnose.Warn {
		add(stale.Remedies)
	}
	if len(steps) < 2 {
		return nil
	}
	slices.SortStableFunc(steps, func(a, b diagnose.Remedy) int {
		return slices.Index(planOrder, a.Action) - slices.Index(planOrder, b.Action)
	})
	return steps
}

// PlanDisruptive reports whether any step of a plan disturbs running
// workloads: the plan then asks for one confirmation.
func PlanDisruptive(steps []diagnose.Remedy) bool {
	return slices.ContainsFunc(steps, func(r diagnose.Remedy) bool { return r.Risk == diagnose.Disruptive })
}
