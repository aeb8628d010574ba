package fakeslack

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Call is one Web API request the fake answered.
type Call struct {
	Method string
	// Form holds the request's form and query values, token included.
	Form   url.Values
	At     time.Time
	Status int // HTTP status: 200, or 429 when rate limited
}

// ResponsePost is one JSON body posted to an envelope's response_url.
type ResponsePost struct {
	URL  string
	Body json.RawMessage
	At   time.Time
}

// fault is a queued failure of one call: a 429 when retryAfter > 0, else a
// {"ok":false} with slackError.
type fault struct {
	retryAfter time.Duration
	slackError string
}

// RateLimit makes the next times calls of method answer HTTP 429 with a
// Retry-After header of retryAfter in whole seconds (at least 1), as Slack
// does; slack-go turns that into *slack.RateLimitedError.
func (s *Server) RateLimit(method string, times int, retryAfter time.Duration) {
	s.queueFaults(method, times, fault{retryAfter: max(retryAfter, time.Nanosecond)})
}

// Fail makes the next times calls of method answer {"ok":false,"error":slackError}.
func (s *Server) Fail(method string, times int, slackError string) {
	s.queueFaults(method, times, fault{slackError: slackError})
}

func (s *Server) queueFaults(method string, times int, f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range times {
		s.faults[method] = append(s.faults[method], f)
	}
}

// Calls returns every Web API call so far, in arrival order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// WaitCall returns the first call, past or future, that match accepts.
func (s *Server) WaitCall(ctx context.Context, match func(Call) bool) (Call, error) {
	var got Call
	err := s.wait(ctx, "a matching call", func() bool {
		for _, c := range s.calls {
			if match(c) {
				got = c
				return true
			}
		}
		return false
	})
	return got, err
}

// serveAPI answers /api/<method>. Queued faults come first, then the rate
// limits, then the token check, then the method itself.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	_ = r.ParseForm() // a malformed form reads as missing fields
	jsonFields(r)
	s.mu.Lock()
	status, retryAfter, body := s.answer(method, r)
	s.calls = append(s.calls, Call{Method: method, Form: r.Form, At: time.Now(), Status: status})
	s.notify()
	s.mu.Unlock()
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	writeJSON(w, status, body)
}

// answer computes the reply to one call; s.mu must be held.
func (s *Server) answer(method string, r *http.Request) (status, retryAfter int, body map[string]any) {
	if q := s.faults[method]; len(q) > 0 {
		f := q[0]
		s.faults[method] = q[1:]
		if f.retryAfter > 0 {
			secs := int(math.Ceil(f.retryAfter.Seconds()))
			return http.StatusTooManyRequests, secs, slackError("ratelimited")
		}
		return http.StatusOK, 0, slackError(f.slackError)
	}
	if secs := s.take(method, r.Form, s.opts.Now()); secs > 0 {
		return http.StatusTooManyRequests, secs, slackError("ratelimited")
	}
	if method == "apps.connections.open" {
		if r.Header.Get("Authorization") != "Bearer "+s.opts.AppToken {
			return http.StatusOK, 0, slackError("invalid_auth")
		}
		return http.StatusOK, 0, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.base, "http") + "/ws"}
	}
	handle, ok := apiMethods[method]
	if !ok {
		return http.StatusOK, 0, slackError("unknown_method")
	}
	if !s.botAuthorized(r) {
		return http.StatusOK, 0, slackError("invalid_auth")
	}
	return http.StatusOK, 0, handle(s, r.Form)
}

// jsonFields adds the top-level fields of a JSON body (views.publish) to
// the request's form: strings as they are, anything else as its JSON.
func jsonFields(r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return
	}
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
		return // reads as missing fields
	}
	for k, raw := range fields {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			r.Form.Set(k, s)
			continue
		}
		r.Form.Set(k, string(raw))
	}
}

// botAuthorized accepts the bot token in the "token" form field, where
// slack-go sends it for form posts, or as a Bearer header (its JSON and GET
// requests).
func (s *Server) botAuthorized(r *http.Request) bool {
	if tok := r.Form.Get("token"); tok != "" {
		return tok == s.opts.BotToken
	}
	return r.Header.Get("Authorization") == "Bearer "+s.opts.BotToken
}

// serveResponseURL records a post to a response_url.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil || r.Method != http.MethodPost || !json.Valid(body) {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.responses = append(s.responses, ResponsePost{URL: s.base + r.URL.Path, Body: body, At: time.Now()})
	s.notify()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// ResponseURLPosts returns every post to a response_url, in arrival order.
func (s *Server) ResponseURLPosts() []ResponsePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ResponsePost(nil), s.responses...)
}

func slackError(code string) map[string]any { return map[string]any{"ok": false, "error": code} }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
