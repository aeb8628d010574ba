package blackhole_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/internal/blackhole"
)

// TestRequestsHangUntilTheirContextEnds: a black-holed host gets no answer
// over HTTP or TLS until the request's context ends; other hosts go to the
// next transport.
func TestRequestsHangUntilTheirContextEnds(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	ok := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer ok.Close()
	client := &http.Client{Transport: bh.Transport(http.DefaultTransport, "registry.example")}
	for _, url := range []string{"http://registry.example/v2/", "https://registry.example/v2/"} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		_, err := client.Do(req)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("GET %s: %v, want the context's deadline", url, err)
		}
	}
	if n := bh.Accepted(); n != 2 {
		t.Errorf("%d connections accepted, want 2", n)
	}
	resp, err := client.Get(ok.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	bh.Close()
	if n := bh.Open(); n != 0 {
		t.Errorf("%d connections open after Close", n)
	}
}
