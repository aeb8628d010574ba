package sweep

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSchedulerAcceptsSpecs(t *testing.T) {
	from := date(14, 0) // Saturday
	tests := []struct {
		spec string
		want time.Time
	}{
		{spec: "0 9 * * 1-5", want: date(16, 9)},
		{spec: "30 0 9 * * *", want: date(14, 9).Add(30 * time.Second)},
		{spec: "@daily", want: date(15, 0)},
		{spec: "@hourly", want: date(14, 1)},
		{spec: "@every 90s", want: from.Add(90 * time.Second)},
		{spec: "CRON_TZ=Europe/Berlin 0 9 * * *", want: date(14, 8)},
		{spec: "TZ=Asia/Tokyo 0 9 * * *", want: date(15, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := NewScheduler("UTC", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Add("quota sweep", tt.spec, func(context.Context) {}); err != nil {
				t.Fatalf("Add: %v", err)
			}
			if got := s.jobs[0].schedule.Next(from); !got.Equal(tt.want) {
				t.Errorf("next run after %v = %v, want %v", from, got, tt.want)
			}
		})
	}
}

func TestSchedulerTimeZone(t *testing.T) {
	s, err := NewScheduler("Europe/Berlin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("hygiene sweep", "0 9 * * *", func(context.Context) {}); err != nil {
		t.Fatal(err)
	}
	// Cron reads schedules in its own zone: it hands them its clock's time.
	berlin := s.cron.Location()
	got := s.jobs[0].schedule.Next(date(14, 0).In(berlin))
	if want := date(14, 8); !got.Equal(want) {
		t.Errorf("next run = %v, want %v (09:00 in Berlin)", got, want)
	}
	if _, err := NewScheduler("Mars/Olympus_Mons", nil); err == nil || !strings.Contains(err.Error(), `"Mars/Olympus_Mons"`) {
		t.Errorf("unknown zone: err = %v, want one naming the zone", err)
	}
}

func TestSchedulerRejectsSpecs(t *testing.T) {
	tests := []struct {
		spec, want string
	}{
		{spec: "61 * * * *", want: `quota sweep schedule "61 * * * *": end of range (61) above maximum (59)`},
		{spec: "* * * *", want: `quota sweep schedule "* * * *": expected 5 to 6 fields, found 4`},
		{spec: "CRON_TZ=UTC", want: `quota sweep schedule "CRON_TZ=UTC": a time zone without a schedule`},
		{spec: "TZ=Europe/Berlin", want: `quota sweep schedule "TZ=Europe/Berlin": a time zone without a schedule`},
		{spec: "CRON_TZ=Mars/Olympus_Mons 0 9 * * *", want: "unknown time zone Mars/Olympus_Mons"},
		{spec: "", want: `quota sweep schedule "": empty spec string`},
		{spec: "@fortnightly", want: `quota sweep schedule "@fortnightly": unrecognized descriptor`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			s, err := NewScheduler("UTC", nil)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Add("quota sweep", tt.spec, func(context.Context) {})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "quota sweep schedule ") {
				t.Errorf("Add(%q) = %v, want an error containing %q", tt.spec, err, tt.want)
			}
			if len(s.jobs) != 0 {
				t.Errorf("a rejected job was kept: %+v", s.jobs)
			}
		})
	}
}

func TestSchedulerAddRules(t *testing.T) {
	s, err := NewScheduler("", nil)
	if err != nil {
		t.Fatal(err)
	}
	nop := func(context.Context) {}
	if err := s.Add("quota sweep", "@daily", nop); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("quota sweep", "@hourly", nop); err == nil || !strings.Contains(err.Error(), "already scheduled") {
		t.Errorf("duplicate name: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	defer s.Stop()
	if err := s.Add("hygiene sweep", "@daily", nop); err == nil || !strings.Contains(err.Error(), "started") {
		t.Errorf("Add after Start: %v", err)
	}
}

// startedJob starts s and returns its only entry's wrapped job, which is what
// cron runs at each activation.
func startedJob(t *testing.T, s *Scheduler, ctx context.Context) func() {
	t.Helper()
	s.Start(ctx)
	t.Cleanup(func() { s.Stop() })
	entries := s.cron.Entries()
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
	return entries[0].WrappedJob.Run
}

func TestSchedulerRecoversPanics(t *testing.T) {
	var logs logBuffer
	s, err := NewScheduler("UTC", logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	if err := s.Add("quota sweep", "@daily", func(context.Context) { runs.Add(1); panic("boom") }); err != nil {
		t.Fatal(err)
	}
	run := startedJob(t, s, context.Background())
	run() // a panic here would fail the test
	// With the panic recovered only by cron.Recover, outside
	// SkipIfStillRunning, this second run would be skipped, and every
	// later one.
	run()
	if runs.Load() != 2 {
		t.Errorf("job ran %d times, want 2: a panic must not stop it", runs.Load())
	}
	if got := logs.String(); !strings.Contains(got, `msg="sweep job panicked" job="quota sweep" panic=boom`) {
		t.Errorf("log does not name the panicking job:\n%s", got)
	}
}

func TestSchedulerSkipsOverlappingRuns(t *testing.T) {
	var logs logBuffer
	s, err := NewScheduler("UTC", logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	type key struct{}
	var runs atomic.Int32
	started, release := make(chan context.Context), make(chan struct{})
	if err := s.Add("hygiene sweep", "@every 1m", func(ctx context.Context) {
		runs.Add(1)
		started <- ctx
		<-release
	}); err != nil {
		t.Fatal(err)
	}
	run := startedJob(t, s, context.WithValue(context.Background(), key{}, "start"))
	done := make(chan struct{})
	go func() {
		run()
		close(done)
	}()
	ctx := <-started
	run() // returns at once: the first run is still going
	close(release)
	<-done
	if runs.Load() != 1 {
		t.Errorf("job ran %d times, want 1", runs.Load())
	}
	if ctx.Value(key{}) != "start" {
		t.Errorf("job did not get the context given to Start")
	}
	if !strings.Contains(logs.String(), "skipped") {
		t.Errorf("skip not logged:\n%s", logs.String())
	}
}

func TestSchedulerStopsWithContext(t *testing.T) {
	s, err := NewScheduler("UTC", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Add("quota sweep", "@daily", func(context.Context) {}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.Start(ctx)
	s.Start(ctx) // no-op
	cancel()
	select {
	case <-s.Stop().Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Stop's context not done with no job running")
	}
}
