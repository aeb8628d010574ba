package sweep

import (
	"testing"
	"time"
)

// series builds samples from (time, used) pairs with a fixed limit.
func series(limit int64, points ...any) []Sample {
	var out []Sample
	for i := 0; i+1 < len(points); i += 2 {
		out = append(out, Sample{At: points[i].(time.Time), Used: int64(points[i+1].(int)), Limit: limit})
	}
	return out
}

func TestForecast(t *testing.T) {
	oct := func(day int) time.Time { return time.Date(2026, time.October, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		samples []Sample
		limit   int64
		now     time.Time
		want    time.Time
		ok      bool
	}{
		{name: "linear growth", samples: series(1000, date(1, 0), 0, date(2, 0), 100, date(3, 0), 200),
			limit: 1000, now: date(3, 0), want: date(11, 0), ok: true},
		{name: "order does not matter", samples: series(1000, date(3, 0), 200, date(1, 0), 0, date(2, 0), 100),
			limit: 1000, now: date(3, 0), want: date(11, 0), ok: true},
		{name: "hourly samples", samples: series(1000, date(2, 0), 100, date(2, 1), 102, date(2, 2), 104),
			limit: 1000, now: date(2, 2), want: date(20, 0), ok: true}, // 900 left at 2 per hour: 450 h
		{name: "flat", samples: series(1000, date(1, 0), 500, date(2, 0), 500, date(3, 0), 500),
			limit: 1000, now: date(3, 0)},
		{name: "falling", samples: series(1000, date(1, 0), 500, date(2, 0), 400),
			limit: 1000, now: date(2, 0)},
		{name: "already over: the day it was first reached", samples: series(1000, date(1, 0), 800, date(2, 0), 1000, date(3, 0), 1200),
			limit: 1000, now: date(3, 0), want: date(2, 0), ok: true},
		{name: "crossing fitted in the past is today", samples: series(1000, date(1, 0), 0, date(2, 0), 990, date(3, 0), 995),
			limit: 1000, now: date(3, 6), want: date(3, 0), ok: true},
		{name: "one sample", samples: series(1000, date(2, 0), 900), limit: 1000, now: date(2, 0)},
		{name: "no samples", limit: 1000, now: date(2, 0)},
		{name: "two samples at one time", samples: series(1000, date(2, 0), 100, date(2, 0), 200), limit: 1000, now: date(2, 0)},
		{name: "unlimited", samples: series(-1, date(1, 0), 0, date(2, 0), 100), limit: -1, now: date(2, 0)},
		{name: "more than a year ahead", samples: series(1<<40, date(1, 0), 0, date(2, 0), 1), limit: 1 << 40, now: date(2, 0)},
		{name: "month boundary: last month's samples do not count",
			samples: series(1000, oct(30), 0, oct(31), 900, date(1, 0), 0, date(2, 0), 100),
			limit:   1000, now: date(2, 0), want: date(11, 0), ok: true},
		{name: "month boundary: one sample this month",
			samples: series(1000, oct(30), 0, oct(31), 500, date(1, 0), 600),
			limit:   1000, now: date(1, 12)},
		{name: "month boundary: over last month is not over now",
			samples: series(1000, oct(31), 1200, date(1, 0), 0, date(1, 12), 50),
			limit:   1000, now: date(1, 12), want: date(11, 0), ok: true},
		{name: "samples after now are ignored", samples: series(1000, date(1, 0), 0, date(2, 0), 100, date(3, 0), 5000),
			limit: 1000, now: date(2, 0), want: date(11, 0), ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Forecast(tt.samples, tt.limit, tt.now)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("Forecast = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestForecastDayInNowsLocation(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	// The limit is reached at 23:00 UTC on the 11th: the 12th in Tokyo.
	samples := series(1000, date(1, 23), 0, date(2, 23), 100)
	got, ok := Forecast(samples, 1000, date(2, 23).In(tokyo))
	want := time.Date(2026, time.November, 12, 0, 0, 0, 0, tokyo)
	if !ok || !got.Equal(want) || got.Location() != tokyo {
		t.Errorf("Forecast = %v, %v; want %v", got, ok, want)
	}
}

func TestStorageForecastUsesThirtyDays(t *testing.T) {
	oct := func(day int) time.Time { return time.Date(2026, time.October, day, 0, 0, 0, 0, time.UTC) }
	samples := series(1000, time.Date(2026, time.September, 30, 0, 0, 0, 0, time.UTC), 0, oct(20), 300, date(4, 0), 450)
	m := metric{name: "storage", label: "storage", used: 450, limit: 1000}
	got := forecastLine(m, samples, date(4, 0))
	// September's sample is older than 30 days: 150 in 15 days, 550 left.
	if want := "at the last 30 days' rate, storage reaches its limit on 2026-12-29"; got != want {
		t.Errorf("forecastLine = %q, want %q", got, want)
	}
}
