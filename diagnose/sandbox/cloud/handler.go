package cloud

import (
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Handler answers requests for every emulated host, chosen by r.Host (the
// port is ignored): IAM on iam.cloud.ibm.com, the Kubernetes Service API on
// containers.cloud.ibm.com, the registry on every icr.io and deprecated
// bluemix.net registry host (and the private.* variants), and Docker Hub
// (auth.docker.io, index.docker.io, registry-1.docker.io). Other hosts get
// 404.
func (c *Cloud) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		host := hostOnly(r.Host)
		switch {
		case host == "iam.cloud.ibm.com" || host == "private.iam.cloud.ibm.com":
			c.serveIAM(rec, r)
		case host == "containers.cloud.ibm.com" || host == "private.containers.cloud.ibm.com":
			c.serveKubernetes(rec, r)
		case icr.IsRegistry(host):
			c.serveRegistryHost(rec, r, host)
		case host == hubAuthHost:
			c.serveHubAuth(rec, r)
		case isHubRegistry(host):
			c.serveHub(rec, r)
		default:
			http.NotFound(rec, r)
		}
		c.record(RequestRecord{Host: host, Method: r.Method, Path: r.URL.Path,
			Status: rec.status, Start: start, End: time.Now()})
	})
}

// Requests returns a copy of the requests answered so far, oldest first.
func (c *Cloud) Requests() []RequestRecord {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// ResetRequests forgets the recorded requests.
func (c *Cloud) ResetRequests() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = nil
}

func (c *Cloud) record(r RequestRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.requests = append(c.requests, r)
}

// statusWriter remembers the status and counts the body bytes written.
type statusWriter struct {
	http.ResponseWriter
	status  int
	written int64
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.written += int64(n)
	return n, err
}

// Flush lets streamed blobs through when the underlying writer supports it.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// bearer returns the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// tokenIdentity looks a token up in one of the token tables, honouring expiry.
func (c *Cloud) tokenIdentity(table map[string]identity, tok string) (identity, bool) {
	if tok == "" {
		return identity{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := table[tok]
	if !ok || time.Now().After(id.expires) {
		return identity{}, false
	}
	return id, true
}

// issue stores a new token for id in table.
func (c *Cloud) issue(table map[string]identity, id identity, ttl time.Duration) string {
	tok := randomID()
	id.expires = time.Now().Add(ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	table[tok] = id
	return tok
}

// validKey returns the key with this secret if it exists, is enabled and has
// not expired.
func (c *Cloud) validKey(secret string) (APIKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[secret]
	if !ok || secret == "" || k.Disabled || (k.ExpiresAt != nil && !time.Now().Before(*k.ExpiresAt)) {
		return APIKey{}, false
	}
	return k, true
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		hostport = h
	}
	return strings.ToLower(hostport)
}

func (c *Cloud) stamp() string { return c.epoch.Format(time.RFC3339) }
