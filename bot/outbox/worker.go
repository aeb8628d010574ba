package outbox

import (
	"fmt"
	"time"
)

// item is one queued op.
type item struct {
	op       Op
	deadline time.Time  // queued + TTL
	done     chan error // Send's answer, buffered; nil for Post
	attempts int
}

// answer tells a waiting Send how the op ended.
func (it *item) answer(err error) {
	if it.done != nil {
		it.done <- err
	}
}

// queue is one channel's ops and pace. items and running are guarded by
// Outbox.mu; tat belongs to the channel's single worker.
type queue struct {
	items   []*item // FIFO; items[0] is being delivered
	running bool    // a worker serves this queue
	wake    chan struct{}
	// tat is the "theoretical arrival time" of the generic cell rate
	// algorithm: the next op may start at tat-(Burst-1)*Interval, and the
	// channel's budget is whole again once tat has passed.
	tat time.Time
}

// run is a channel's worker: it delivers the queue's ops in order and ends
// once the queue is empty and its pace paid, so that a new worker starting
// later cannot burst past the rate.
func (b *Outbox) run(channel string, q *queue) {
	defer b.wg.Done()
	for {
		it, unpaid := b.head(channel, q)
		switch {
		case it != nil:
			if !b.deliver(channel, q, it) {
				return
			}
		case unpaid > 0:
			if !b.linger(q, unpaid) {
				return
			}
		default:
			return
		}
	}
}

// head returns the op to deliver next or, with none queued, how long the
// channel's pace stays unpaid. With neither it retires the queue.
func (b *Outbox) head(channel string, q *queue) (*item, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, 0 // Close reports what is left
	}
	if len(q.items) > 0 {
		return q.items[0], 0
	}
	if unpaid := q.tat.Sub(b.o.Clock.Now()); unpaid > 0 {
		return nil, unpaid
	}
	delete(b.queues, channel)
	q.running = false
	return nil, 0
}

// linger waits for the pace to be paid or a new op; false if the outbox closed.
func (b *Outbox) linger(q *queue, d time.Duration) bool {
	t := b.o.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
	case <-q.wake:
	case <-b.ctx.Done():
		return false
	}
	return true
}

// deliver tries it until it is delivered or dropped. It returns false if the
// outbox closed first; it then stays queued for Close to report.
func (b *Outbox) deliver(channel string, q *queue, it *item) bool {
	backoff := b.o.Backoff
	var last error
	for {
		now := b.o.Clock.Now()
		if !now.Before(it.deadline) {
			b.finish(channel, q, it, DropExpired, last)
			return true
		}
		if wait := b.paceWait(q, now); wait > 0 {
			if !b.sleep(min(wait, it.deadline.Sub(now))) {
				return false
			}
			continue
		}
		q.tat = later(q.tat, now).Add(b.o.Interval)
		err := it.op(b.ctx)
		it.attempts++
		if err != nil && b.ctx.Err() != nil {
			return false // cancelled by Close, not refused by Slack
		}
		v, wait := b.judge(err, &backoff)
		switch v {
		case delivered:
			b.finish(channel, q, it, "", nil)
			return true
		case rejected:
			b.finish(channel, q, it, DropRejected, err)
			return true
		}
		last = err
		b.retrying(channel, it, v, err, wait)
		if !b.sleep(min(wait, it.deadline.Sub(b.o.Clock.Now()))) {
			return false
		}
	}
}

// finish takes it, the head of q, off the queue and reports how it ended:
// reason is "" for a delivery.
func (b *Outbox) finish(channel string, q *queue, it *item, reason string, err error) {
	b.mu.Lock()
	q.items[0] = nil
	q.items = q.items[1:]
	b.mu.Unlock()
	b.report(channel, it, reason, err)
}

// report logs and counts the end of it and answers its Send.
func (b *Outbox) report(channel string, it *item, reason string, err error) {
	if reason == "" {
		if b.o.OnSent != nil {
			b.o.OnSent(channel)
		}
		it.answer(nil)
		return
	}
	b.log.Error("slack message dropped", "channel", channel, "reason", reason, "attempts", it.attempts, "err", err)
	if b.o.OnDrop != nil {
		b.o.OnDrop(channel, reason)
	}
	it.answer(dropError(reason, err))
}

// dropError is what Send returns for a dropped op; cause, if any, stays
// reachable with errors.As (the Slack error of a rejection).
func dropError(reason string, cause error) error {
	if cause == nil {
		return fmt.Errorf("%w (%s)", ErrDropped, reason)
	}
	return fmt.Errorf("%w (%s): %w", ErrDropped, reason, cause)
}
