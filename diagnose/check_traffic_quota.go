package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkTrafficQuota: the account's monthly pull traffic must be below its
// limit; icr.io refuses layer downloads past it.
func checkTrafficQuota(ctx context.Context, t *Target) (Result, error) {
	_, host, err := t.icrImage(ctx)
	if err != nil {
		return Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	raise := manualRemedy("Raise the pull traffic quota", "Shows usage and raises the monthly pull-traffic limit (megabytes).",
		fmt.Sprintf("ibmcloud cr region-set %s && ibmcloud cr quota && ibmcloud cr quota-set --traffic <megabytes>", host.Region))
	if rf.Problem == registry.ProblemQuotaExceeded {
		facts := []Fact{fact("registry", "%s", truncate(rf.Message, 200))}
		if q, err := t.quota(ctx); err == nil {
			facts = append(facts, trafficFact(q))
		}
		return fail("the account has exceeded its pull traffic quota for this month", []Remedy{raise}, facts...)
	}
	q, err := t.quota(ctx)
	if err != nil {
		if rf.Stage == registry.StageDone {
			return pass("the registry served the image; pull traffic is not blocked")
		}
		return Result{}, err
	}
	if q.TrafficLimit >= 0 && q.TrafficUsed >= q.TrafficLimit {
		return fail(fmt.Sprintf("pull traffic in %s is at its limit", q.region), []Remedy{raise}, trafficFact(q))
	}
	return pass("pull traffic is below its limit", trafficFact(q))
}

func trafficFact(q *quotaFacts) Fact {
	return fact("pull traffic "+q.region, "%s of %s", bytesText(q.TrafficUsed), limitText(q.TrafficLimit))
}

func limitText(n int64) string {
	if n < 0 {
		return "unlimited"
	}
	return bytesText(n)
}

func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
