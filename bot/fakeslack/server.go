package fakeslack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Identities the fake reports for its workspace and bot (auth.test, the
// "team" of payloads, the author of posted messages).
const (
	TeamID    = "T1"
	BotUserID = "UBOT"
	BotID     = "B1"
	AppID     = "A1"
)

// Options configures a Server. A zero field takes the default it states.
type Options struct {
	// AppToken is the app-level token apps.connections.open expects as a
	// Bearer token. Default "xapp-test".
	AppToken string
	// BotToken is the token every other Web API method expects. Default
	// "xoxb-test".
	BotToken string
	// PingInterval is how often each websocket is pinged; slack-go drops a
	// socket that goes unpinged for its socketmode.OptionPingInterval
	// (default 30s). Default 500ms.
	PingInterval time.Duration
	// Limits are the rate limits the Web API enforces, per method. Default
	// none: every call passes, for tests that do not care about pace; use
	// SlackLimits() to see what production will.
	Limits Limits
	// Now tells the time the limits count with. Default time.Now.
	Now func() time.Time
}

// Server is a running fake Slack. Create it with Start and stop it with Close.
type Server struct {
	opts Options
	http *http.Server
	base string // "http://127.0.0.1:PORT"
	wg   sync.WaitGroup

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	conns    map[*conn]struct{}
	current  *conn
	accepted int // websocket upgrades
	ready    int // sockets that were sent "hello"
	seq      int // envelope, response_url, trigger and event numbers
	tsSeq    int
	sent     map[string]time.Time
	acks     []Ack

	calls     []Call
	faults    map[string][]fault
	budgets   budgets
	messages  []*Message
	responses []ResponsePost
	users     map[string]string
	groups    []userGroup
	views     []View
}

// errNoConnection is returned when an envelope is pushed with no socket up.
var errNoConnection = errors.New("fakeslack: no websocket connection")

// Start listens on a free port of 127.0.0.1 and serves the fake.
func Start(o Options) (*Server, error) {
	if o.AppToken == "" {
		o.AppToken = "xapp-test"
	}
	if o.BotToken == "" {
		o.BotToken = "xoxb-test"
	}
	if o.PingInterval <= 0 {
		o.PingInterval = 500 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeslack: listening: %w", err)
	}
	s := &Server{
		opts:    o,
		base:    "http://" + ln.Addr().String(),
		changed: make(chan struct{}),
		conns:   map[*conn]struct{}{},
		sent:    map[string]time.Time{},
		faults:  map[string][]fault{},
		budgets: budgets{},
		users:   map[string]string{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/ws", s.serveWS)
	mux.HandleFunc("/response/", s.serveResponseURL)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }() // returns http.ErrServerClosed on Close
	return s, nil
}

// Close stops the server, drops every websocket and waits for the fake's
// own goroutines to end. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.current = nil
	s.notify()
	s.mu.Unlock()

	_ = s.http.Close() // hijacked websockets are not closed by this
	for _, c := range conns {
		c.close()
	}
	s.wg.Wait()
}

// APIURL is the Web API base URL for slack.OptionAPIURL; it ends with "/"
// because slack-go appends method names to it verbatim.
func (s *Server) APIURL() string { return s.base + "/api/" }

// notify wakes every waiter; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond, called with s.mu held, reports true.
func (s *Server) wait(ctx context.Context, what string, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, changed := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("fakeslack: waiting for %s: %w", what, ctx.Err())
		}
	}
}

// nextTS returns a unique, increasing message timestamp in Slack's
// "seconds.micros" form; s.mu must be held.
func (s *Server) nextTS() string {
	s.tsSeq++
	micros := int64(1_700_000_000_000_000) + int64(s.tsSeq)*100
	return fmt.Sprintf("%d.%06d", micros/1_000_000, micros%1_000_000)
}

// nextSeq returns the next envelope number; s.mu must be held.
func (s *Server) nextSeq() int {
	s.seq++
	return s.seq
}

// responseURL is the response_url handed out with envelope n.
func (s *Server) responseURL(n int) string { return fmt.Sprintf("%s/response/%d", s.base, n) }
