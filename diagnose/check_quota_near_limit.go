package diagnose

import (
	"context"
	"fmt"
)

// checkQuotaNearLimit: warns when storage or pull traffic passes the
// configured share of its limit.
func checkQuotaNearLimit(ctx context.Context, t *Target) (Result, error) {
	q, err := t.quota(ctx)
	if err != nil {
		return Result{}, err
	}
	threshold := t.e.opts.QuotaWarn
	var facts []Fact
	for _, u := range []struct {
		name        string
		used, limit int64
	}{{"pull traffic", q.TrafficUsed, q.TrafficLimit}, {"storage", q.StorageUsed, q.StorageLimit}} {
		if u.limit > 0 && float64(u.used) >= threshold*float64(u.limit) {
			facts = append(facts, fact(u.name+" "+q.region, "%.0f%% (%s of %s)", 100*float64(u.used)/float64(u.limit), bytesText(u.used), bytesText(u.limit)))
		}
	}
	if len(facts) == 0 {
		return pass(fmt.Sprintf("quota usage is below %.0f%%", 100*threshold))
	}
	return warn(fmt.Sprintf("quota usage is above %.0f%% of a limit", 100*threshold), facts...)
}
