//go:build e2e

package e2e

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func insecureTLS() *tls.Config { return &tls.Config{InsecureSkipVerify: true} } // only to poll /readyz before the CA exists

// connectProxy is an HTTPS proxy (CONNECT) that sends every tunnel to one
// address: the emulated IBM Cloud and icr.io, whatever host name the
// client asked for. pullcheck resolves and verifies real host names; only
// the route is ours. It records the hosts asked for.
type connectProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	hosts  map[string]int
}

func startProxy(t *testing.T, target string) *connectProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, target: target, hosts: map[string]int{}}
	srv := &http.Server{Handler: p}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return p
}

func (p *connectProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *connectProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	p.mu.Lock()
	p.hosts[strings.Split(r.Host, ":")[0]]++
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		return
	}
	down, _, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	if _, err := down.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		up.Close()
		down.Close()
		return
	}
	go func() { _, _ = io.Copy(up, down); up.Close() }()
	go func() { _, _ = io.Copy(down, up); down.Close() }()
}

func (p *connectProxy) asked(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hosts[host]
}
