package cloud

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Docker Hub's host names and the constants of its answers.
const (
	hubAuthHost = "auth.docker.io"
	hubService  = "registry.docker.io"
	// hubStore keys Docker Hub's in-memory registry among the stores.
	hubStore = "docker.io"
	// hubSource is the client address Docker Hub counts pulls against
	// (docker-ratelimit-source): the cluster's NAT address.
	hubSource = "203.0.113.7"
	// hubWindow is the rate limit's window in seconds (six hours).
	hubWindow = 21600
	// hubDefaultLimit is reported while no limit is set.
	hubDefaultLimit = 10000

	msgHubAuth      = "authentication required"
	msgHubRateLimit = "You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
	msgHubBadLogin  = "incorrect username or password"
)

// hubRegistryHosts serve Docker Hub's registry protocol: go-containerregistry
// sends docker.io images to index.docker.io, containerd to registry-1.docker.io.
var hubRegistryHosts = []string{"index.docker.io", "registry-1.docker.io"}

func isHubRegistry(host string) bool { return slices.Contains(hubRegistryHosts, host) }

// hubState is Docker Hub's state; Cloud.mu guards it.
type hubState struct {
	public map[string]bool // repositories anyone may pull ("library/nginx")
	tokens map[string]hubToken
	// limited is set by SetDockerHubRateLimit; without it pulls are not
	// counted and the headers report hubDefaultLimit.
	limited          bool
	limit, remaining int
}

// hubToken is an anonymous token and the repositories it may pull.
type hubToken struct {
	pull    []string
	expires time.Time
}

// SetDockerHubRateLimit limits Docker Hub's manifest GETs to limit per six
// hours, remaining of which are left. Each manifest GET uses one; once none
// is left manifest GETs answer 429 TOOMANYREQUESTS. HEAD requests are not
// counted and not refused, as on Docker Hub. By default there is no limit.
func (c *Cloud) SetDockerHubRateLimit(limit, remaining int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hub.limited, c.hub.limit, c.hub.remaining = true, limit, remaining
}

// serveHubAuth is auth.docker.io: GET /token?service=registry.docker.io&
// scope=repository:<name>:pull hands out anonymous tokens that may pull the
// public repositories named in scope. The emulator knows no Docker Hub
// accounts, so any credential is refused.
func (c *Cloud) serveHubAuth(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/token" || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	if _, _, ok := r.BasicAuth(); ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"details": msgHubBadLogin})
		return
	}
	var pull []string
	c.mu.Lock()
	for _, s := range r.URL.Query()["scope"] {
		repo, actions, ok := parseScope(s)
		if ok && slices.Contains(actions, "pull") && c.hub.public[repo] {
			pull = append(pull, repo)
		}
	}
	const ttl = 5 * time.Minute
	tok := randomID()
	c.hub.tokens[tok] = hubToken{pull: pull, expires: time.Now().Add(ttl)}
	c.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "access_token": tok,
		"expires_in": int64(ttl / time.Second), "issued_at": time.Now().UTC().Format(time.RFC3339Nano)})
}

// parseScope splits "repository:library/nginx:pull,push".
func parseScope(s string) (repo string, actions []string, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] != "repository" {
		return "", nil, false
	}
	return parts[1], strings.Split(parts[2], ","), true
}

// serveHub is Docker Hub's registry protocol on index.docker.io and
// registry-1.docker.io.
func (c *Cloud) serveHub(w *statusWriter, r *http.Request) {
	tok, ok := c.hubToken(bearer(r))
	repo, kind, isRepo := hubPath(r.URL.Path)
	switch {
	case !ok:
		hubChallenge(w, repo, "")
	case !isRepo:
		c.store(hubStore).ServeHTTP(w, r)
	case !slices.Contains(tok.pull, repo) || (r.Method != http.MethodGet && r.Method != http.MethodHead):
		hubChallenge(w, repo, "insufficient_scope")
	case kind == "manifests":
		c.serveHubManifest(w, r)
	default:
		c.store(hubStore).ServeHTTP(w, r)
	}
}

// serveHubManifest counts manifest GETs against the rate limit.
func (c *Cloud) serveHubManifest(w *statusWriter, r *http.Request) {
	c.mu.Lock()
	limit, remaining, refused := hubDefaultLimit, hubDefaultLimit, false
	if c.hub.limited {
		limit, remaining = c.hub.limit, c.hub.remaining
		if r.Method == http.MethodGet {
			refused = remaining <= 0
			if !refused {
				c.hub.remaining--
				remaining--
			}
		}
	}
	c.mu.Unlock()
	h := w.Header()
	h.Set("ratelimit-limit", fmt.Sprintf("%d;w=%d", limit, hubWindow))
	h.Set("ratelimit-remaining", fmt.Sprintf("%d;w=%d", max(remaining, 0), hubWindow))
	h.Set("docker-ratelimit-source", hubSource)
	if refused {
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []map[string]string{
			{"code": "TOOMANYREQUESTS", "message": msgHubRateLimit}}})
		return
	}
	c.store(hubStore).ServeHTTP(w, r)
}

// hubToken looks up a Docker Hub token, honouring expiry.
func (c *Cloud) hubToken(tok string) (hubToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.hub.tokens[tok]
	if !ok || tok == "" || time.Now().After(t.expires) {
		return hubToken{}, false
	}
	return t, true
}

// hubPath splits /v2/<name…>/<kind>/<ref> into the repository and kind
// (manifests, blobs, tags); ok is false for /v2/ itself.
func hubPath(p string) (repo, kind string, ok bool) {
	elems := strings.Split(strings.TrimPrefix(p, "/v2/"), "/")
	if i := slices.Index(elems, "uploads"); i > 0 { // blobs/uploads/<id>
		elems = elems[:i]
		elems = append(elems, "")
	}
	if len(elems) < 3 {
		return "", "", false
	}
	return strings.Join(elems[:len(elems)-2], "/"), elems[len(elems)-2], true
}

// hubChallenge answers 401 the way Docker Hub does: the challenge names the
// realm, the service and, for a repository, the scope the client needs.
func hubChallenge(w http.ResponseWriter, repo, problem string) {
	ch := fmt.Sprintf(`Bearer realm="https://%s/token",service=%q`, hubAuthHost, hubService)
	var detail any
	if repo != "" {
		ch += fmt.Sprintf(`,scope="repository:%s:pull"`, repo)
		detail = []map[string]string{{"Type": "repository", "Class": "", "Name": repo, "Action": "pull"}}
	}
	if problem != "" {
		ch += fmt.Sprintf(`,error=%q`, problem)
	}
	w.Header().Set("Www-Authenticate", ch)
	writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []map[string]any{
		{"code": "UNAUTHORIZED", "message": msgHubAuth, "detail": detail}}})
}
