package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	// The container image has no zoneinfo; schedules name time zones.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// specParser reads 5-field specs, 6-field specs with seconds first,
// descriptors ("@daily", "@every 90s") and a "CRON_TZ=<zone> " prefix.
var specParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Scheduler runs named jobs on cron schedules. A panicking job is logged
// and runs again at its next time; a job still running when its next time
// comes is skipped for that time. Jobs are added before Start.
type Scheduler struct {
	cron   *cron.Cron
	logger *slog.Logger

	mu      sync.Mutex
	jobs    []job
	started bool
	stopped chan struct{}
	stop    sync.Once
}

// job is a job waiting for Start.
type job struct {
	name     string
	schedule cron.Schedule
	run      func(context.Context)
}

// NewScheduler returns a Scheduler whose schedules are read in time zone tz
// ("Europe/Berlin"; "" and "UTC" are UTC, "Local" the host's zone). A nil
// logger discards.
func NewScheduler(tz string, logger *slog.Logger) (*Scheduler, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("loading sweep time zone %q: %w", tz, err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cl := cronLogger{logger}
	c := cron.New(
		cron.WithParser(specParser),
		cron.WithLocation(loc),
		cron.WithLogger(cl),
		// cron.New does not recover panics by default; Recover is outermost
		// so that it also covers the skip wrapper.
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)),
	)
	return &Scheduler{cron: c, logger: logger, stopped: make(chan struct{})}, nil
}

// Add schedules job under name. An invalid spec is an error naming the job
// and the spec: `quota sweep schedule "61 * * * *": end of range (61)
// above maximum (59): 61`. Names must be unique; Add after Start is an
// error.
func (s *Scheduler) Add(name, spec string, run func(context.Context)) error {
	sched, err := parseSpec(spec)
	if err != nil {
		return fmt.Errorf("%s schedule %q: %w", name, spec, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return fmt.Errorf("adding %s: the scheduler has started", name)
	}
	for _, j := range s.jobs {
		if j.name == name {
			return fmt.Errorf("adding %s: a job of that name is already scheduled", name)
		}
	}
	s.jobs = append(s.jobs, job{name: name, schedule: sched, run: run})
	return nil
}

// parseSpec parses a spec, turning the parser's panics into errors.
func parseSpec(spec string) (sched cron.Schedule, err error) {
	for _, prefix := range []string{"CRON_TZ=", "TZ="} {
		// The parser slices out of range on a zone without a schedule.
		if rest, ok := strings.CutPrefix(spec, prefix); ok && !strings.Contains(strings.TrimSpace(rest), " ") {
			return nil, errors.New("a time zone without a schedule (example: CRON_TZ=Europe/Berlin 0 9 * * 1-5)")
		}
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("unreadable schedule: %v", r)
		}
	}()
	return specParser.Parse(spec)
}

// Start runs the jobs, each called with ctx, until ctx is done or Stop is
// called. Starting twice does nothing, and a stopped Scheduler does not
// start again: on the leader, make one per term of leadership, started
// with the term's context.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return
	}
	s.started = true
	for _, j := range s.jobs {
		s.cron.Schedule(j.schedule, s.wrap(ctx, j))
	}
	s.cron.Start()
	go func() {
		select {
		case <-ctx.Done():
			s.cron.Stop()
		case <-s.stopped:
		}
	}()
}

// Stop stops scheduling jobs. The returned context is done when the jobs
// that are running have returned; cancel the context given to Start to ask
// them to return early.
func (s *Scheduler) Stop() context.Context {
	s.stop.Do(func() { close(s.stopped) })
	return s.cron.Stop()
}

// wrap turns a job into a cron.Job that recovers its own panics. It must:
// cron.SkipIfStillRunning releases its slot only when the job returns, so
// a panic that reached cron.Recover would leave the job skipped forever.
// cron.Recover stays in the chain for panics of the wrappers themselves.
func (s *Scheduler) wrap(ctx context.Context, j job) cron.Job {
	return cron.FuncJob(func() {
		defer func() {
			if r := recover(); r != nil {
				s.logger.Error("sweep job panicked", "job", j.name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		s.logger.Debug("sweep job starting", "job", j.name)
		j.run(ctx)
		s.logger.Debug("sweep job done", "job", j.name)
	})
}

// cronLogger is cron's logger over slog. Cron's chatter ("wake", "run")
// goes to debug; skips and panics are worth seeing.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		c.l.Warn("sweep job skipped: its previous run is still going")
		return
	}
	c.l.Debug("cron "+msg, kv...)
}

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("sweep job "+msg, append([]any{"err", err}, kv...)...)
}
