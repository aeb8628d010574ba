package alerts

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pullcheck/pullcheck/diagnose"
)

func TestOpsHandler(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	m.ObserveReport(&diagnose.Report{Verdict: diagnose.RootCauseFound, RootCause: &diagnose.Result{ID: diagnose.ImageTagNotFound}})
	var connected atomic.Bool
	srv := httptest.NewServer(OpsHandler(reg, []Check{{"slack connected", connected.Load}, {"informers synced", func() bool { return true }}}))
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "slack connected: not ready") {
		t.Errorf("readyz before connecting: %d %q", code, body)
	}
	connected.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz when ready: %d", code)
	}
	if _, body := get("/metrics"); !strings.Contains(body, `pullcheck_diagnoses_total{finding="image-tag-not-found"} 1`) {
		t.Errorf("metrics:\n%s", body)
	}
}
