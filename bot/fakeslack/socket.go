package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Ack is what the client wrote back for an envelope.
type Ack struct {
	EnvelopeID string
	// Payload is the ack's "payload" (nil when the ack had none); for a slash
	// command it plays the role of the HTTP response body.
	Payload json.RawMessage
	At      time.Time
}

// writeTimeout bounds every websocket write, so a stuck client cannot wedge
// a test.
const writeTimeout = 5 * time.Second

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// conn is one accepted websocket. gorilla allows one concurrent writer only,
// so every write goes through wmu.
type conn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
	once sync.Once
}

func (c *conn) write(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

func (c *conn) ping() error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout))
}

func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

// serveWS accepts a socket, says hello, makes it current and reads acks
// until it drops.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the request
	}
	c := &conn{ws: ws, done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.Close()
		return
	}
	s.accepted++
	s.conns[c] = struct{}{}
	s.wg.Add(2) // this handler and its pinger; Close waits for both
	s.mu.Unlock()
	defer s.wg.Done()
	defer s.drop(c)
	go s.pingLoop(c)

	hello := fmt.Sprintf(`{"type":"hello","num_connections":1,"debug_info":{"host":"fakeslack","approximate_connection_time":18060},"connection_info":{"app_id":%q}}`, AppID)
	if err := c.write([]byte(hello)); err != nil {
		return
	}
	s.mu.Lock()
	s.current = c
	s.ready++
	s.notify()
	s.mu.Unlock()
	s.readAcks(c)
}

func (s *Server) pingLoop(c *conn) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if c.ping() != nil {
				return
			}
		}
	}
}

// readAcks is the socket's only reader; it also lets gorilla process the
// client's pongs and close frames.
func (s *Server) readAcks(c *conn) {
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var a struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &a) != nil || a.EnvelopeID == "" {
			continue
		}
		s.mu.Lock()
		s.acks = append(s.acks, Ack{EnvelopeID: a.EnvelopeID, Payload: a.Payload, At: time.Now()})
		s.notify()
		s.mu.Unlock()
	}
}

func (s *Server) drop(c *conn) {
	c.close()
	s.mu.Lock()
	delete(s.conns, c)
	if s.current == c {
		s.current = nil
	}
	s.notify()
	s.mu.Unlock()
}

// Connections reports how many websocket connections were accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// WaitConnected blocks until the n-th connection is up and has been sent
// "hello", so envelopes pushed afterwards go to it.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	return s.wait(ctx, fmt.Sprintf("connection %d", n), func() bool { return s.ready >= n })
}

// Send writes a raw frame to the current socket.
func (s *Server) Send(raw []byte) error {
	s.mu.Lock()
	c := s.current
	s.mu.Unlock()
	if c == nil {
		return errNoConnection
	}
	return c.write(raw)
}

// Disconnect asks the client to reconnect, as Slack does before it recycles
// a socket, and then closes the socket.
func (s *Server) Disconnect() error {
	s.mu.Lock()
	c := s.current
	s.current = nil
	s.mu.Unlock()
	if c == nil {
		return errNoConnection
	}
	err := c.write([]byte(`{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"fakeslack"}}`))
	c.close()
	return err
}

// SentAt reports when the envelope was sent; zero if it never was.
func (s *Server) SentAt(envelopeID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent[envelopeID]
}

// WaitAck blocks until the client acks the envelope and returns the ack.
func (s *Server) WaitAck(ctx context.Context, envelopeID string) (Ack, error) {
	var got Ack
	err := s.wait(ctx, "ack of "+envelopeID, func() bool {
		for _, a := range s.acks {
			if a.EnvelopeID == envelopeID {
				got = a
				return true
			}
		}
		return false
	})
	return got, err
}

// Acks returns every ack received so far, in arrival order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}
