package sweep

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Result is one line of what the sweeps last found, for the App Home: a
// condition's severity (SeverityOK, SeverityWarning, SeverityCritical) and
// what it says.
type Result struct {
	Kind     string // KindQuota or KindHygiene
	Severity string
	Text     string
}

// Results sums up the sweeps' state: each quota's last reading with the
// severity last posted for it, the sweeps' read failures, and the
// namespaces whose last hygiene finding was a warning (one line for all).
// Quotas come first, by region and metric.
func Results(st State) []Result {
	var out []Result
	for _, key := range sortedKeys(st.Quota) {
		series := st.Quota[key]
		if len(series) == 0 {
			continue
		}
		out = append(out, quotaResult(key, series[len(series)-1], st.Posted["quota/"+key]))
	}
	var namespaces []string
	for _, key := range sortedKeys(st.Posted) {
		mark := st.Posted[key]
		switch {
		case strings.HasPrefix(mark, "error "):
			out = append(out, Result{Kind: kindOf(key), Severity: SeverityWarning,
				Text: fmt.Sprintf("%s sweep could not read what it needs (%s); its message in the channel says why", kindOf(key), key)})
		case strings.HasPrefix(key, hygieneKeyPrefix) && strings.HasPrefix(mark, SeverityWarning):
			namespaces = append(namespaces, strings.TrimPrefix(key, hygieneKeyPrefix))
		}
	}
	if len(namespaces) > 0 {
		sort.Strings(namespaces)
		out = append(out, Result{Kind: KindHygiene, Severity: SeverityWarning,
			Text: fmt.Sprintf("%s with pull-secret problems: %s", plural(len(namespaces), "namespace"), strings.Join(namespaces, ", "))})
	}
	return out
}

// quotaResult is the last reading of a quota ("us-south/storage").
func quotaResult(key string, s Sample, posted string) Result {
	region, name, _ := strings.Cut(key, "/")
	label := name
	if name == "traffic" {
		label = "pull traffic"
	}
	sev := posted
	if sev != SeverityWarning && sev != SeverityCritical {
		sev = SeverityOK
	}
	pct := 0.0
	if s.Limit > 0 {
		pct = 100 * float64(s.Used) / float64(s.Limit)
	}
	return Result{Kind: KindQuota, Severity: sev, Text: fmt.Sprintf("%s %s: %s of %s (%.0f %%), read %s", region, label,
		bytesText(s.Used), bytesText(s.Limit), pct, s.At.UTC().Format(time.DateTime+" MST"))}
}

// kindOf is the sweep a finding key belongs to.
func kindOf(key string) string {
	if strings.HasPrefix(key, hygieneKeyPrefix) {
		return KindHygiene
	}
	return KindQuota
}
