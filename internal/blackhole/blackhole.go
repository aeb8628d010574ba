// Package blackhole is a TCP server that accepts connections, reads what
// it is sent and never answers: a registry behind a load balancer whose
// backends hang, or a firewall that drops replies. Tests use it to prove
// that deadlines free the caller.
package blackhole

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
)

// Server is a running black hole. Create it with Start and stop it with Close.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]bool
	accepted int
	closed   bool
}

// Start listens on a free port of 127.0.0.1.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		if !s.track(c) {
			_ = c.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_, _ = io.Copy(io.Discard, c) // until the client gives up or Close
			s.untrack(c)
		}()
	}
}

func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = true
	s.accepted++
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
	_ = c.Close()
}

// Addr is the listener's address ("127.0.0.1:port").
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Accepted is how many connections the black hole has swallowed.
func (s *Server) Accepted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// Open is how many connections are still held open by their clients.
func (s *Server) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Close stops listening, drops every connection and waits for the
// server's goroutines. It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	_ = s.ln.Close()
	s.wg.Wait()
}

// Transport sends requests for hosts (names without ports) into the black
// hole, over TLS for https URLs, and every other request to next. It sets
// no timeout of its own: only the request's context ends a request that
// went into the black hole.
func (s *Server) Transport(next http.RoundTripper, hosts ...string) http.RoundTripper {
	var d net.Dialer
	hole := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", s.Addr())
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the handshake never completes anyway
	}
	t := &router{next: next, hole: hole, hosts: map[string]bool{}}
	for _, h := range hosts {
		t.hosts[h] = true
	}
	return t
}

// router picks the black hole or the next transport by host.
type router struct {
	next, hole http.RoundTripper
	hosts      map[string]bool
}

func (t *router) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.hosts[r.URL.Hostname()] {
		return t.hole.RoundTrip(r)
	}
	return t.next.RoundTrip(r)
}
