package cloud

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// hubWorld is the test world with docker.io/library/nginx:1.27 on Docker Hub.
func hubWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	img, err := random.Image(512, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.cloud.Push("docker.io/library/nginx:1.27", img); err != nil {
		t.Fatal(err)
	}
	return w
}

// hubDo sends one request, with a bearer token unless tok is "", and
// returns the answer with its body read.
func hubDo(t *testing.T, w *world, method, url, tok string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := w.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// hubPullToken asks auth.docker.io for an anonymous token to pull repo.
func hubPullToken(t *testing.T, w *world, repo string) string {
	t.Helper()
	resp, body := hubDo(t, w, "GET", "https://auth.docker.io/token?service=registry.docker.io&scope=repository:"+repo+":pull", "")
	var tok struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || resp.StatusCode != 200 || tok.Token == "" ||
		tok.AccessToken != tok.Token || tok.ExpiresIn != 300 {
		t.Fatalf("token: %d %s (%v)", resp.StatusCode, body, err)
	}
	return tok.Token
}

// TestHubPull pulls through go-containerregistry, which follows the token
// realm on auth.docker.io, another host than the registry's.
func TestHubPull(t *testing.T) {
	w := hubWorld(t)
	unauthorized := []any{map[string]any{"code": "UNAUTHORIZED", "message": "authentication required",
		"detail": []any{map[string]any{"Type": "repository", "Class": "", "Name": "library/redis", "Action": "pull"}}}}
	tests := []struct {
		name, ref string
		auth      authn.Authenticator
		status    int
		code      string
	}{
		{"docker.io", "docker.io/library/nginx:1.27", authn.Anonymous, 200, ""},
		{"short name", "nginx:1.27", authn.Anonymous, 200, ""},
		{"containerd's host", "registry-1.docker.io/library/nginx:1.27", authn.Anonymous, 200, ""},
		{"unknown tag", "nginx:0.1", authn.Anonymous, 404, "MANIFEST_UNKNOWN"},
		{"unknown or private repository", "redis:7", authn.Anonymous, 401, "UNAUTHORIZED"},
		{"unknown account", "nginx:1.27", &authn.Basic{Username: "someone", Password: "dckr_pat_x"}, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.cloud.ResetRequests()
			_, err := w.pull(tt.ref, tt.auth)
			if !slices.ContainsFunc(w.cloud.Requests(), func(r RequestRecord) bool { return r.Host == "auth.docker.io" && r.Path == "/token" }) {
				t.Errorf("no token asked of auth.docker.io: %+v", w.cloud.Requests())
			}
			if tt.status == 200 {
				if err != nil {
					t.Fatalf("pull: %v", err)
				}
				return
			}
			status, diags := regErr(err)
			if status != tt.status || (tt.code != "" && (len(diags) != 1 || string(diags[0].Code) != tt.code)) {
				t.Fatalf("pull = %d %+v, want %d %s (%v)", status, diags, tt.status, tt.code, err)
			}
		})
	}
	resp, body := hubDo(t, w, "GET", "https://index.docker.io/v2/library/redis/manifests/7", hubPullToken(t, w, "library/redis"))
	var got struct{ Errors []any }
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 401 {
		t.Fatalf("redis: %d %s", resp.StatusCode, body)
	}
	if diff := cmp.Diff(unauthorized, got.Errors); diff != "" {
		t.Errorf("redis errors (-want +got):\n%s", diff)
	}
	if want := `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/redis:pull",error="insufficient_scope"`; resp.Header.Get("Www-Authenticate") != want {
		t.Errorf("redis challenge = %s, want %s", resp.Header.Get("Www-Authenticate"), want)
	}
}

func TestHubProtocol(t *testing.T) {
	w := hubWorld(t)
	for _, host := range hubRegistryHosts {
		resp, body := hubDo(t, w, "GET", "https://"+host+"/v2/", "")
		want := `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`
		if resp.StatusCode != 401 || resp.Header.Get("Www-Authenticate") != want {
			t.Errorf("%s/v2/ = %d %q, want 401 %q", host, resp.StatusCode, resp.Header.Get("Www-Authenticate"), want)
		}
		if wantBody := `{"errors":[{"code":"UNAUTHORIZED","detail":null,"message":"authentication required"}]}` + "\n"; body != wantBody {
			t.Errorf("%s/v2/ body = %s", host, body)
		}
	}
	tok := hubPullToken(t, w, "library/nginx")
	if resp, _ := hubDo(t, w, "GET", "https://registry-1.docker.io/v2/", tok); resp.StatusCode != 200 {
		t.Errorf("/v2/ with a token = %d", resp.StatusCode)
	}
	resp, _ := hubDo(t, w, "GET", "https://registry-1.docker.io/v2/library/nginx/manifests/1.27", tok)
	want := map[string]string{"Ratelimit-Limit": "10000;w=21600", "Ratelimit-Remaining": "10000;w=21600", "Docker-Ratelimit-Source": "203.0.113.7"}
	if diff := cmp.Diff(want, rateHeaders(resp)); resp.StatusCode != 200 || diff != "" {
		t.Errorf("manifest without a limit: %d, headers (-want +got):\n%s", resp.StatusCode, diff)
	}
	resp, body := hubDo(t, w, "GET", "https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/nginx:pull", "")
	if resp.StatusCode != 200 {
		t.Errorf("anonymous token = %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", "https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/nginx:pull", nil)
	req.SetBasicAuth("someone", "wrong")
	if resp, err := w.client().Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("token with unknown credentials = %v, %v; want 401", resp, err)
	} else {
		resp.Body.Close()
	}
}

func rateHeaders(resp *http.Response) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"Ratelimit-Limit", "Ratelimit-Remaining", "Docker-Ratelimit-Source"} {
		if v := resp.Header.Get(k); v != "" {
			out[k] = v
		}
	}
	return out
}

// TestHubRateLimit: manifest GETs count and are refused once none is left;
// HEADs are neither; icr.io is not limited.
func TestHubRateLimit(t *testing.T) {
	w := hubWorld(t)
	w.cloud.SetDockerHubRateLimit(100, 2)
	tok := hubPullToken(t, w, "library/nginx")
	const manifest = "https://registry-1.docker.io/v2/library/nginx/manifests/1.27"
	const tooMany = `{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"}]}` + "\n"
	for i, step := range []struct {
		method    string
		status    int
		remaining string
		body      string
	}{
		{"GET", 200, "1;w=21600", ""},
		{"HEAD", 200, "1;w=21600", ""},
		{"GET", 200, "0;w=21600", ""},
		{"GET", 429, "0;w=21600", tooMany},
		{"HEAD", 200, "0;w=21600", ""},
	} {
		resp, body := hubDo(t, w, step.method, manifest, tok)
		want := map[string]string{"Ratelimit-Limit": "100;w=21600", "Ratelimit-Remaining": step.remaining, "Docker-Ratelimit-Source": "203.0.113.7"}
		if diff := cmp.Diff(want, rateHeaders(resp)); resp.StatusCode != step.status || diff != "" {
			t.Errorf("step %d %s: %d, want %d; headers (-want +got):\n%s", i, step.method, resp.StatusCode, step.status, diff)
		}
		if step.body != "" && body != step.body {
			t.Errorf("step %d body = %s", i, body)
		}
	}
	r, _ := name.ParseReference("nginx:1.27")
	_, err := remote.Image(r, remote.WithTransport(w.server.Transport()), remote.WithRetryBackoff(remote.Backoff{Steps: 1}))
	status, diags := regErr(err)
	if diff := cmp.Diff(diag("TOOMANYREQUESTS", msgHubRateLimit), diags); status != 429 || diff != "" {
		t.Errorf("go-containerregistry: %d, errors (-want +got):\n%s", status, diff)
	}
	if _, err := w.pull("us.icr.io/team/app:1", apiKey(keyReader)); err != nil {
		t.Errorf("icr.io while Docker Hub is limited: %v", err)
	}
}
