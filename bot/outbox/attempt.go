package outbox

// One attempt of an op: when it may start (the channel's pace), what its
// result calls for, and how to wait before the next.

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/slack-go/slack"
)

// verdict is what one attempt of an op calls for.
type verdict int

const (
	delivered   verdict = iota
	rateLimited         // wait Retry-After, try the same op again
	failed              // an outage: back off, try again until the TTL
	rejected            // Slack refused the op; trying again cannot help
)

// transientSlackErrors are ok:false answers that report Slack's trouble,
// not the op's: the same call may well succeed later.
var transientSlackErrors = map[string]bool{
	"ratelimited":         true,
	"internal_error":      true,
	"fatal_error":         true,
	"service_unavailable": true,
	"request_timeout":     true,
}

// judge classifies the result of one attempt and, for a retry, says how long
// to wait first. backoff is the op's current backoff; each outage failure
// doubles it, up to maxBackoff.
func (b *Outbox) judge(err error, backoff *time.Duration) (verdict, time.Duration) {
	if err == nil {
		return delivered, 0
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		if rl.RetryAfter > 0 {
			return rateLimited, rl.RetryAfter
		}
		return rateLimited, b.o.Interval
	}
	if permanent(err) {
		return rejected, 0
	}
	wait := min(*backoff, maxBackoff)
	*backoff = min(2*wait, maxBackoff)
	return failed, wait
}

// permanent reports whether Slack refused the call for a reason of the
// call's own (channel_not_found, not_in_channel, invalid_blocks, a 4xx).
// Anything else, network errors included, is taken as an outage.
func permanent(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return !transientSlackErrors[se.Err]
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return !sc.Retryable() && sc.Code != http.StatusRequestTimeout
	}
	return false
}

// retrying logs a failed attempt and counts it. A rate limit is Slack
// working as designed, so it logs below warning level.
func (b *Outbox) retrying(channel string, it *item, v verdict, err error, wait time.Duration) {
	level, msg := slog.LevelWarn, "slack call failed, will retry"
	if v == rateLimited {
		level, msg = slog.LevelInfo, "slack rate limit, will retry"
	}
	b.log.Log(b.ctx, level, msg, "channel", channel, "attempt", it.attempts, "retry_in", wait, "err", err)
	if b.o.OnRetry != nil {
		b.o.OnRetry(channel, err)
	}
}

// paceWait is how long the channel must wait before its next op may start.
func (b *Outbox) paceWait(q *queue, now time.Time) time.Duration {
	tolerance := time.Duration(b.o.Burst-1) * b.o.Interval
	return q.tat.Add(-tolerance).Sub(now)
}

// sleep waits d on the clock; false if the outbox closed first.
func (b *Outbox) sleep(d time.Duration) bool {
	if d <= 0 {
		return b.ctx.Err() == nil
	}
	t := b.o.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-b.ctx.Done():
		return false
	}
}

// later is the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
