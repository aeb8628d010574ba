package sweep

import (
	"fmt"
	"math"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// dateLayout is how forecasts name days.
const dateLayout = "2006-01-02"

// topRepositories is how many repositories a quota warning lists.
const topRepositories = 5

// quotaTitle is the one-line summary of a quota finding.
func quotaTitle(region string, m metric, sev string) string {
	what := fmt.Sprintf("Registry %s in %s", m.label, region)
	switch {
	case sev == SeverityOK && m.limit < 0:
		return what + " is back to normal: it has no limit now"
	case sev == SeverityOK:
		return fmt.Sprintf("%s is back to normal: %s", what, share(m))
	case m.used >= m.limit:
		return fmt.Sprintf("%s has reached its limit (%s of %s)", what, bytesText(m.used), bytesText(m.limit))
	}
	return fmt.Sprintf("%s is at %s", what, share(m))
}

// share renders "96% of its limit (4.8 GiB of 5.0 GiB)". The percentage is
// rounded down, so 100% means the limit is reached.
func share(m metric) string {
	pct := 0.0
	if m.limit > 0 {
		pct = math.Floor(100 * float64(m.used) / float64(m.limit))
	}
	return fmt.Sprintf("%.0f%% of its limit (%s of %s)", pct, bytesText(m.used), bytesText(m.limit))
}

// forecastLine says when m reaches its limit at the current rate. Pull
// traffic uses this month's samples and resets when the month ends;
// storage uses the last 30 days' samples and never resets.
func forecastLine(m metric, series []Sample, now time.Time) string {
	if m.name == "traffic" {
		return trafficForecast(m, series, now)
	}
	if m.used >= m.limit {
		return "storage is full: pushes fail until images are deleted (ibmcloud cr image-rm) or the quota is raised (ibmcloud cr quota-set)"
	}
	since := m.since(now)
	if len(window(series, since, now)) < 2 {
		return noForecastYet
	}
	if day, ok := forecast(series, m.limit, now, since); ok {
		return "at the last 30 days' rate, storage reaches its limit on " + day.Format(dateLayout)
	}
	return "at the last 30 days' rate, storage does not reach its limit within a year"
}

func trafficForecast(m metric, series []Sample, now time.Time) string {
	reset := nextMonth(now).Format(dateLayout)
	if m.used >= m.limit {
		return fmt.Sprintf("pulls are refused until pull traffic resets on %s, or the quota is raised (ibmcloud cr quota-set)", reset)
	}
	if len(window(series, monthStart(now), now)) < 2 {
		return noForecastYet
	}
	if day, ok := Forecast(series, m.limit, now); ok && day.Before(nextMonth(now)) {
		return "at this month's rate, pull traffic reaches its limit on " + day.Format(dateLayout)
	}
	return "at this month's rate, pull traffic stays under its limit until it resets on " + reset
}

// noForecastYet is the forecast line before a second sample exists.
const noForecastYet = "no forecast yet: it needs samples from two sweeps at least an hour apart"

// repoLines lists the largest repositories, or why they are unknown.
func repoLines(repos []ibmcloud.RepoUsage, err error) []string {
	switch {
	case err != nil:
		return []string{"largest repositories unknown: " + err.Error()}
	case len(repos) == 0:
		return []string{"no images in this region's registry"}
	}
	lines := []string{"largest repositories:"}
	for _, r := range repos[:min(len(repos), topRepositories)] {
		lines = append(lines, fmt.Sprintf("• %s: %s in %s", r.Repository, bytesText(r.Bytes), plural(r.Images, "image")))
	}
	return lines
}
