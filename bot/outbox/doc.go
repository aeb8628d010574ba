// Package outbox delivers Slack Web API calls (posts, updates) through one
// bounded, paced queue per channel.
//
// Slack allows about one message per second per channel, answers excess with
// HTTP 429 and a Retry-After, and is sometimes unreachable for minutes. An
// alert that cannot be delivered at once must still arrive, and in order: a
// thread's replies follow its root. So every call is an [Op] queued on its
// channel's queue:
//
//   - ops of one channel run strictly one after another, in queue order;
//     channels run in parallel, each on its own goroutine, which ends when
//     the channel has nothing left to send;
//   - a channel starts at most [Options.Burst] ops back to back, then one
//     every [Options.Interval];
//   - a *slack.RateLimitedError makes the channel wait its RetryAfter and
//     retry the same op; an outage (network error, HTTP 5xx, Slack's own
//     transient errors such as internal_error) is retried with a doubling
//     [Options.Backoff];
//   - a Slack error that retrying cannot fix (channel_not_found,
//     not_in_channel, invalid_blocks, …) drops the op as "rejected";
//   - an op not delivered within [Options.TTL] of being queued is dropped as
//     "expired"; a full queue refuses new ops ("full"); [Outbox.Close]
//     reports the ops it leaves behind ("closed").
//
// Nothing is dropped silently: every drop is logged, reported to
// [Options.OnDrop] and returned to a caller waiting in [Outbox.Send]. Logs
// name the channel, the reason and the error, never a message's contents.
//
// Callers that need the result of a call (the ts of a thread's root) use
// Send, which waits; fire-and-forget alerts use Post.
package outbox
