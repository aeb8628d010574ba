package sweep

import (
	"slices"
	"time"
)

// horizon bounds forecasts: a limit reached more than a year ahead is
// reported as not reached.
const horizon = 366 * 24 * time.Hour

// Forecast returns the day a usage reaches limit at this month's rate: a
// least-squares line through the samples taken in now's calendar month (in
// now's location; pull traffic resets when a month starts, so earlier
// samples belong to another count), extended to limit. When a sample of
// the month already reached limit, day is the day of the first that did.
// A day in the past is reported as today. ok is false for an unlimited
// limit (< 0), fewer than two samples this month, a usage that is flat or
// falls, or a day more than a year ahead.
func Forecast(samples []Sample, limit int64, now time.Time) (day time.Time, ok bool) {
	return forecast(samples, limit, now, monthStart(now))
}

// forecast is Forecast over the samples taken from since to now.
func forecast(samples []Sample, limit int64, now, since time.Time) (time.Time, bool) {
	in := window(samples, since, now)
	if limit < 0 {
		return time.Time{}, false
	}
	for _, s := range in {
		if s.Used >= limit {
			return dayOf(s.At, now.Location()), true
		}
	}
	if len(in) < 2 {
		return time.Time{}, false
	}
	slope, meanX, meanY := fit(in)
	if slope <= 0 {
		return time.Time{}, false
	}
	x := meanX + (float64(limit)-meanY)/slope // seconds after in[0]
	if x > (now.Sub(in[0].At) + horizon).Seconds() {
		return time.Time{}, false
	}
	at := in[0].At.Add(time.Duration(x * float64(time.Second)))
	if at.Before(now) {
		at = now
	}
	return dayOf(at, now.Location()), true
}

// window returns the samples taken from since to now, oldest first.
func window(samples []Sample, since, now time.Time) []Sample {
	var in []Sample
	for _, s := range samples {
		if !s.At.Before(since) && !s.At.After(now) {
			in = append(in, s)
		}
	}
	slices.SortStableFunc(in, func(a, b Sample) int { return a.At.Compare(b.At) })
	return in
}

// fit is the least-squares line through the samples, with x in seconds
// after the first sample: its slope in bytes per second and the means it
// passes through. A zero slope means the samples share one time. Each
// sample weighs as much as the time it stands for (weights): older
// samples are kept one a day, recent ones one an hour (record), and an
// hour must not outweigh a day.
func fit(samples []Sample) (slope, meanX, meanY float64) {
	t0 := samples[0].At
	w := weights(samples)
	var sw float64
	for i, s := range samples {
		sw += w[i]
		meanX += w[i] * s.At.Sub(t0).Seconds()
		meanY += w[i] * float64(s.Used)
	}
	if sw == 0 {
		return 0, 0, meanY
	}
	meanX, meanY = meanX/sw, meanY/sw
	var sxy, sxx float64
	for i, s := range samples {
		dx := s.At.Sub(t0).Seconds() - meanX
		sxy += w[i] * dx * (float64(s.Used) - meanY)
		sxx += w[i] * dx * dx
	}
	if sxx == 0 {
		return 0, meanX, meanY
	}
	return sxy / sxx, meanX, meanY
}

// weights are the time each of the sorted samples stands for, in hours:
// half the gap to each neighbour. Evenly spaced samples weigh alike.
func weights(samples []Sample) []float64 {
	w := make([]float64, len(samples))
	for i := range samples {
		if i > 0 {
			w[i] += samples[i].At.Sub(samples[i-1].At).Hours() / 2
		}
		if i+1 < len(samples) {
			w[i] += samples[i+1].At.Sub(samples[i].At).Hours() / 2
		}
	}
	return w
}

// monthStart is midnight on the first day of t's month, in t's location.
func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// nextMonth is midnight on the first day of the month after t's.
func nextMonth(t time.Time) time.Time { return monthStart(t).AddDate(0, 1, 0) }

// dayOf is midnight of t's day in loc.
func dayOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}
