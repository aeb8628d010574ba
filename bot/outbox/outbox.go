package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// Op is one Slack Web API call (a post, an update). It returns slack-go's
// errors unwrapped or wrapped with %w, so that the outbox can tell a rate
// limit from an outage from a refusal. Its error must not quote the message.
type Op func(ctx context.Context) error

// Reasons an op is dropped, as passed to [Options.OnDrop] and logged.
const (
	DropFull     = "full"     // the channel's queue was at capacity
	DropExpired  = "expired"  // not delivered within the TTL
	DropRejected = "rejected" // Slack refused it for good (channel_not_found, …)
	DropClosed   = "closed"   // the outbox was closed first
)

var (
	// ErrDropped is returned, wrapped with the reason, for an op that will
	// never be delivered.
	ErrDropped = errors.New("outbox: op dropped")
	// ErrFull is returned at once for an op refused by a full queue. It
	// wraps ErrDropped.
	ErrFull = fmt.Errorf("%w: %s", ErrDropped, "queue full")
)

// Options configures an Outbox. A zero field takes the default it states.
type Options struct {
	// Interval is the minimum gap between two ops on one channel. Default 1s.
	Interval time.Duration
	// Burst is how many ops may run back to back before Interval applies.
	// Default 1.
	Burst int
	// Capacity bounds the ops queued per channel, the one being delivered
	// included. Default 500.
	Capacity int
	// TTL is how long after being queued an op may still be delivered; then
	// it is dropped as "expired". Default 1h.
	TTL time.Duration
	// Backoff is the wait after a failure that is not a rate limit
	// (network, HTTP 5xx); it doubles with each failure of the same op, up
	// to a minute. Default 2s.
	Backoff time.Duration
	// Clock tells the time and times the waits. Default clock.RealClock{}.
	Clock clock.WithTicker
	// Logger receives drops and retries. Default: discard.
	Logger *slog.Logger
	// OnDrop, OnSent and OnRetry are metrics hooks, called without locks
	// held. reason is one of the Drop… constants. Default: none.
	OnDrop  func(channel, reason string)
	OnSent  func(channel string)
	OnRetry func(channel string, err error)
}

// maxBackoff caps the doubling of Options.Backoff.
const maxBackoff = time.Minute

// Outbox queues ops per channel and delivers them. Create it with New and
// stop it with Close.
type Outbox struct {
	o      Options
	log    *slog.Logger
	ctx    context.Context // ops run with it; Close cancels it
	cancel context.CancelFunc
	wg     sync.WaitGroup // one per running worker

	mu     sync.Mutex
	closed bool
	queues map[string]*queue // channels with queued ops or an unpaid pace
}

// New returns an Outbox; it starts a goroutine per channel only when the
// channel has something to send.
func New(o Options) *Outbox {
	o = withDefaults(o)
	ctx, cancel := context.WithCancel(context.Background())
	return &Outbox{o: o, log: o.Logger, ctx: ctx, cancel: cancel, queues: map[string]*queue{}}
}

func withDefaults(o Options) Options {
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.Capacity <= 0 {
		o.Capacity = 500
	}
	if o.TTL <= 0 {
		o.TTL = time.Hour
	}
	if o.Backoff <= 0 {
		o.Backoff = 2 * time.Second
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Send queues op on channel and waits until it is delivered (nil), dropped
// (an error wrapping ErrDropped, and for "rejected" the Slack error too) or
// ctx is done. If ctx ends first, op stays queued: it is still delivered or
// reported dropped, as if Post had queued it. An Op must not Send on its own
// channel: it would wait for itself.
func (b *Outbox) Send(ctx context.Context, channel string, op Op) error {
	done := make(chan error, 1)
	if err := b.enqueue(channel, op, done); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("waiting for delivery to %s: %w", channel, ctx.Err())
	}
}

// Post queues op on channel and returns at once: ErrFull if the channel's
// queue is full, an error wrapping ErrDropped if the outbox is closed, else
// nil. What becomes of op later shows in the hooks and the log.
func (b *Outbox) Post(channel string, op Op) error {
	return b.enqueue(channel, op, nil)
}

// Len is the number of ops queued on channel, the one being delivered
// included.
func (b *Outbox) Len(channel string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if q := b.queues[channel]; q != nil {
		return len(q.items)
	}
	return 0
}

// enqueue appends op to its channel's queue and makes sure a worker runs.
func (b *Outbox) enqueue(channel string, op Op, done chan error) error {
	it := &item{op: op, done: done}
	b.mu.Lock()
	reason := b.appendLocked(channel, it)
	b.mu.Unlock()
	if reason == "" {
		return nil
	}
	b.report(channel, it, reason, nil)
	if reason == DropFull {
		return ErrFull
	}
	return dropError(reason, nil)
}

// appendLocked queues it, or says why it cannot; b.mu must be held.
func (b *Outbox) appendLocked(channel string, it *item) (reason string) {
	if b.closed {
		return DropClosed
	}
	q := b.queues[channel]
	if q == nil {
		q = &queue{wake: make(chan struct{}, 1)}
		b.queues[channel] = q
	}
	if len(q.items) >= b.o.Capacity {
		return DropFull
	}
	it.deadline = b.o.Clock.Now().Add(b.o.TTL)
	q.items = append(q.items, it)
	if !q.running {
		q.running = true
		b.wg.Add(1)
		go b.run(channel, q)
	}
	select { // wake a worker waiting out its pace with nothing to do
	case q.wake <- struct{}{}:
	default:
	}
	return ""
}

// Close stops the workers, waiting for calls in flight to return, and
// reports every op still queued as dropped ("closed"). Later Sends and Posts
// are refused the same way. Close may be called more than once.
func (b *Outbox) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()

	b.mu.Lock()
	queues := b.queues
	b.queues = map[string]*queue{}
	b.mu.Unlock()
	for _, channel := range slices.Sorted(maps.Keys(queues)) {
		for _, it := range queues[channel].items {
			b.report(channel, it, DropClosed, nil)
		}
	}
}
