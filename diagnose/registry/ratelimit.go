package registry

import (
	"net/http"
	"sync"
)

// RateLimit is what a registry said about its pull rate limit, from the
// headers Docker Hub (and registries copying it) send on manifest answers:
// "ratelimit-limit: 100;w=21600", "ratelimit-remaining: 0;w=21600". Empty
// fields mean the registry did not say.
type RateLimit struct {
	Limit, Remaining string
}

// rateLimitRecorder remembers the last rate-limit headers a probe's
// responses carried: transport.Error keeps no headers, and a 429's
// "remaining: 0" is the evidence an engineer wants.
type rateLimitRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen RateLimit
}

func (r *rateLimitRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	if rem := resp.Header.Get("Ratelimit-Remaining"); rem != "" {
		r.mu.Lock()
		r.seen = RateLimit{Limit: clipHeader(resp.Header.Get("Ratelimit-Limit")), Remaining: clipHeader(rem)}
		r.mu.Unlock()
	}
	return resp, err
}

func (r *rateLimitRecorder) get() RateLimit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen
}

// clipHeader keeps a header value short: it is shown as evidence.
func clipHeader(v string) string {
	const n = 40
	if len(v) > n {
		return v[:n]
	}
	return v
}
