package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Default shares of a limit at which QuotaSweep warns.
const (
	DefaultWarn     = 0.8
	DefaultCritical = 0.95
)

// quotaErrorKey is the finding key of failures that concern every region:
// no key of pullcheck's own, or one IAM refuses.
const quotaErrorKey = "quota/error"

// QuotaSweep warns when the registry storage or pull traffic of
// pullcheck's own account nears its limit in a region, once per change of
// severity.
type QuotaSweep struct {
	// IBM reads quotas and images with pullcheck's key (Reader on Container
	// Registry, and Viewer on IAM Identity to learn its account).
	IBM *ibmcloud.Client
	// Regions are the registry regions to read ("us-south", "global");
	// empty means every region.
	Regions []string
	// Warn and Critical are shares of a limit; zero means DefaultWarn and
	// DefaultCritical. A used-up limit is always critical.
	Warn, Critical float64
	Store          Store
	Notify         Notifier
	// Channel is where findings go.
	Channel string
	// Now defaults to time.Now.
	Now func() time.Time
	// Logger defaults to discarding.
	Logger *slog.Logger
}

// metric is one quota of one region.
type metric struct {
	name  string // state key part: "storage", "traffic"
	label string // in messages: "storage", "pull traffic"
	used  int64
	limit int64 // ibmcloud.Unlimited (-1) when not limited
}

func metrics(q *ibmcloud.Quota) []metric {
	return []metric{
		{name: "storage", label: "storage", used: q.StorageUsed, limit: q.StorageLimit},
		{name: "traffic", label: "pull traffic", used: q.TrafficUsed, limit: q.TrafficLimit},
	}
}

// since is the start of the samples a forecast uses: pull traffic is
// counted per calendar month; storage is not reset, so its rate is that of
// the last 30 days.
func (m metric) since(now time.Time) time.Time {
	if m.name == "traffic" {
		return monthStart(now)
	}
	return now.Add(-30 * 24 * time.Hour)
}

// Run reads every region once, records a sample per quota, and posts what
// changed. It returns what it could not read, post or store; a failure to
// read is posted once per distinct error, not on every run.
func (q *QuotaSweep) Run(ctx context.Context) error {
	if q.IBM == nil || q.Store == nil || q.Notify == nil {
		return errors.New("running the quota sweep: IBM, Store and Notify are required")
	}
	st, err := q.Store.Load(ctx)
	if err != nil {
		return fmt.Errorf("loading sweep state: %w", err)
	}
	st.init()
	p := poster{notify: q.Notify, channel: q.Channel, state: &st}
	now := q.now()
	var errs []error
	acct, err := q.IBM.BotAccount(ctx)
	if err != nil {
		errs = append(errs, p.cannotRead(ctx, quotaErrorKey, KindQuota, "the registry quota", err))
	} else {
		p.remember(quotaErrorKey, "")
		for _, region := range q.regions() {
			errs = append(errs, q.region(ctx, p, region, acct, now))
		}
	}
	if err := q.Store.Save(ctx, st); err != nil {
		errs = append(errs, fmt.Errorf("saving sweep state: %w", err))
	}
	return errors.Join(errs...)
}

// region reads one region's quota and handles both of its metrics.
func (q *QuotaSweep) region(ctx context.Context, p poster, region, acct string, now time.Time) error {
	errKey := "quota/" + region + "/error"
	qu, err := q.IBM.Quota(ctx, region, acct)
	if err != nil {
		return p.cannotRead(ctx, errKey, KindQuota, "the registry quota in "+region, err)
	}
	p.remember(errKey, "")
	var repos []string
	largest := func() []string { // read once, and only for a warning
		if repos == nil {
			repos = q.largest(ctx, region, acct)
		}
		return repos
	}
	var errs []error
	for _, m := range metrics(qu) {
		errs = append(errs, q.metric(ctx, p, region, m, now, largest))
	}
	return errors.Join(errs...)
}

// metric records a sample of m and posts when its severity changed.
func (q *QuotaSweep) metric(ctx context.Context, p poster, region string, m metric, now time.Time, largest func() []string) error {
	sk := region + "/" + m.name
	series := p.state.Quota[sk]
	// Unlimited quotas need no forecast, and unused ones no samples yet:
	// the state must fit in a ConfigMap.
	if m.limit >= 0 && (m.used > 0 || len(series) > 0) {
		p.state.Quota[sk] = record(series, Sample{At: now, Used: m.used, Limit: m.limit}, m.since(now))
	} else {
		delete(p.state.Quota, sk)
	}
	sev := q.severity(m)
	key, mark := "quota/"+sk, sev
	if sev == SeverityOK {
		mark = ""
	}
	if !p.changed(key, mark) {
		return nil
	}
	f := Finding{Kind: KindQuota, Key: key, Severity: sev, Title: quotaTitle(region, m, sev)}
	if sev != SeverityOK {
		f.Lines = append([]string{forecastLine(m, p.state.Quota[sk], now)}, largest()...)
	}
	return p.post(ctx, f, mark)
}

// severity grades a metric against the thresholds.
func (q *QuotaSweep) severity(m metric) string {
	warn, crit := q.Warn, q.Critical
	if warn == 0 {
		warn = DefaultWarn
	}
	if crit == 0 {
		crit = DefaultCritical
	}
	switch {
	case m.limit < 0:
		return SeverityOK
	case m.used >= m.limit || float64(m.used) >= crit*float64(m.limit):
		return SeverityCritical
	case float64(m.used) >= warn*float64(m.limit):
		return SeverityWarning
	}
	return SeverityOK
}

// largest lists the five largest repositories of a region as lines.
func (q *QuotaSweep) largest(ctx context.Context, region, acct string) []string {
	repos, err := q.IBM.Repositories(ctx, region, acct)
	if err != nil {
		q.logger().Warn("quota sweep: listing repositories", "region", region, "err", err)
	}
	return repoLines(repos, err)
}

func (q *QuotaSweep) regions() []string {
	if len(q.Regions) > 0 {
		return q.Regions
	}
	out := make([]string, 0, len(icr.Domains))
	for _, d := range icr.Domains {
		out = append(out, d.Region)
	}
	return out
}

func (q *QuotaSweep) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

func (q *QuotaSweep) logger() *slog.Logger {
	if q.Logger != nil {
		return q.Logger
	}
	return slog.New(slog.DiscardHandler)
}
