package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"k8s.io/utils/clock"

	"github.com/pullcheck/pullcheck/bot/blocks"
)

// live is one thread message that shows a changing state: posted with the
// first state, then edited in place (chat.update, Tier 3: about 50 a
// minute per workspace). Edits are coalesced: at most one write is in
// flight, writes start at least every apart, a newer state replaces one
// not yet written, and the last state is always written.
type live struct {
	liveConfig

	mu      sync.Mutex
	want    blocks.Message
	version int // of want
	written int // the version last written (or given up on)
	ts      string
	last    time.Time     // when the last write started
	running bool          // a writer goroutine serves this message
	tried   chan struct{} // closed and replaced after each post
	idle    chan struct{} // closed while no writer runs
}

// liveConfig is how a live message reaches Slack.
type liveConfig struct {
	post   func(ctx context.Context, m blocks.Message) (ts string, err error)
	update func(ctx context.Context, ts string, m blocks.Message) error
	every  time.Duration
	clock  clock.Clock
	log    *slog.Logger
	wg     *sync.WaitGroup // the bot's: Run waits for the writer
}

func newLive(c liveConfig) *live {
	l := &live{liveConfig: c, tried: make(chan struct{}), idle: make(chan struct{})}
	close(l.idle)
	return l
}

// show makes m the state to show, and starts a writer if none runs. It
// never waits for Slack.
func (l *live) show(ctx context.Context, m blocks.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.want = m
	l.version++
	if l.running {
		return
	}
	l.running, l.idle = true, make(chan struct{})
	l.wg.Add(1)
	// The writer outlives the call that showed the state (a request's
	// context ends when its answer is given), within liveTTL.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), liveTTL)
	go func() {
		defer cancel()
		l.write(wctx)
	}()
}

// liveTTL bounds how long a writer keeps trying to bring its message up to
// date: as long as Slack is given to accept a thread post.
const liveTTL = 2 * time.Minute

// settle shows the final state m and waits until the message exists in
// the thread, so that a reply posted next comes after it; the edit to m
// may follow later. It returns the message's ts, "" if it could not be
// posted.
func (l *live) settle(ctx context.Context, m blocks.Message) string {
	l.show(ctx, m)
	for {
		l.mu.Lock()
		ts, tried, idle, running := l.ts, l.tried, l.idle, l.running
		l.mu.Unlock()
		if ts != "" || !running {
			return ts
		}
		select {
		case <-tried:
		case <-idle:
		case <-ctx.Done():
			return ""
		}
	}
}

// flushed is closed once every state shown so far is written.
func (l *live) flushed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.idle
}

// write is the writer: it writes the newest state, paced, until the last
// one is written.
func (l *live) write(ctx context.Context) {
	defer l.wg.Done()
	for {
		m, v, ts, wait, ok := l.next(ctx)
		if !ok {
			return
		}
		if wait > 0 {
			l.sleep(ctx, wait)
			continue
		}
		var err error
		if ts == "" {
			ts, err = l.post(ctx, m)
		} else {
			err = l.update(ctx, ts, m)
		}
		l.wrote(v, ts, err)
	}
}

// next returns the state to write and, if its time has not come, how long
// to wait; ok is false once there is nothing left to write.
func (l *live) next(ctx context.Context) (m blocks.Message, v int, ts string, wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written == l.version || ctx.Err() != nil {
		l.running = false
		close(l.idle)
		return m, 0, "", 0, false
	}
	now := l.clock.Now()
	if l.ts != "" {
		if wait = l.last.Add(l.every).Sub(now); wait > 0 {
			return m, 0, "", wait, true
		}
	}
	l.last = now
	return l.want, l.version, l.ts, 0, true
}

// wrote records a write of version v. A failed write is not retried until
// a newer state comes: the Slack client has already retried rate limits.
func (l *live) wrote(v int, ts string, err error) {
	l.mu.Lock()
	l.written = v
	if l.ts == "" {
		if err == nil {
			l.ts = ts
		}
		close(l.tried)
		l.tried = make(chan struct{})
	}
	l.mu.Unlock()
	if err != nil {
		l.log.Warn("writing the checks message", "err", err)
	}
}

func (l *live) sleep(ctx context.Context, d time.Duration) {
	t := l.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
	case <-ctx.Done():
	}
}
