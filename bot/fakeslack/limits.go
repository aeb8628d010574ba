package fakeslack

import (
	"math"
	"net/url"
	"time"
)

// Scope says which calls of a method share one budget.
type Scope int

// Scopes of a Limit.
const (
	// PerWorkspace: every call of the method shares one budget (Slack's
	// tiers are per method, per workspace, per app).
	PerWorkspace Scope = iota
	// PerChannel: one budget per "channel" form field (chat.postMessage).
	PerChannel
	// PerUser: one budget per "user_id" form field (views.publish).
	PerUser
)

// Limit is the rate Slack allows a method: Burst calls back to back, then
// one every Every. A call beyond it is answered HTTP 429 with Retry-After
// (whole seconds until the budget has room again) and
// {"ok":false,"error":"ratelimited"}, and spends nothing.
type Limit struct {
	Every time.Duration
	Burst int
	Per   Scope
}

// Limits maps Web API methods to their Limit; a method it leaves out is
// never rate limited.
type Limits map[string]Limit

// Slack's documented tiers, per method and workspace. Slack states the
// sustained rate ("Tier 3: 50+ per minute") and that short bursts are
// tolerated without saying how many; the bursts here are the fake's
// assumption, generous enough that a socket reconnect or a handful of
// calls at once pass.
var (
	Tier1 = Limit{Every: time.Minute, Burst: 3}                  // 1+ per minute
	Tier2 = Limit{Every: 3 * time.Second, Burst: 10}             // 20+ per minute
	Tier3 = Limit{Every: 1200 * time.Millisecond, Burst: 20}     // 50+ per minute
	Tier4 = Limit{Every: 600 * time.Millisecond, Burst: 50}      // 100+ per minute
	Post  = Limit{Every: time.Second, Burst: 4, Per: PerChannel} // chat.postMessage: 1 per second per channel
)

// SlackLimits are Slack's limits for the methods pullcheck calls:
// chat.postMessage 1 per second per channel after a burst of 4 (as measured
// for the issue), chat.update Tier 3, chat.postEphemeral, users.info and
// usergroups.list Tier 4 or 2 as Slack's method pages give them,
// views.publish Tier 4 per user, apps.connections.open Tier 1.
func SlackLimits() Limits {
	perUser := Tier4
	perUser.Per = PerUser
	return Limits{
		"chat.postMessage":      Post,
		"chat.update":           Tier3,
		"chat.postEphemeral":    Tier4,
		"users.info":            Tier4,
		"usergroups.list":       Tier2,
		"usergroups.users.list": Tier2,
		"views.publish":         perUser,
		"apps.connections.open": Tier1,
	}
}

// budgets holds, per method and scope key, the "theoretical arrival time"
// of the generic cell rate algorithm: a call may pass at tat-(Burst-1)*Every,
// and each passing call moves tat on by Every.
type budgets map[string]time.Time

// take spends one call of method f asks for at now, or returns how many
// whole seconds the caller must wait (at least 1); s.mu must be held.
func (s *Server) take(method string, f url.Values, now time.Time) (retryAfter int) {
	l, ok := s.opts.Limits[method]
	if !ok || l.Every <= 0 {
		return 0
	}
	key := method
	switch l.Per {
	case PerChannel:
		key += "/" + f.Get("channel")
	case PerUser:
		key += "/" + f.Get("user_id")
	}
	tat := s.budgets[key]
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Add(-time.Duration(max(l.Burst, 1)-1) * l.Every).Sub(now); wait > 0 {
		return max(1, int(math.Ceil(wait.Seconds())))
	}
	s.budgets[key] = tat.Add(l.Every)
	return 0
}

// RateLimitedCalls counts, per method, the calls answered with HTTP 429:
// those the limits refused and those RateLimit queued.
func (s *Server) RateLimitedCalls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := map[string]int{}
	for _, c := range s.calls {
		if c.Status == 429 {
			n[c.Method]++
		}
	}
	return n
}
