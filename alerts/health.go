package alerts

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one readiness condition: a name and whether it holds now.
type Check struct {
	Name string
	OK   func() bool
}

// Status is a line /readyz shows without depending on it: the state of
// one of several clusters, which must not take pullcheck out of service
// for all the others when it fails.
type Status struct {
	Name  string
	State func() string
}

// OpsHandler serves /healthz (the process answers), /readyz (every check
// holds; the body lists them, then every status) and /metrics (Prometheus).
func OpsHandler(g prometheus.Gatherer, ready []Check, statuses ...Status) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		ok := true
		for _, c := range ready {
			state := "ok"
			if !c.OK() {
				state, ok = "not ready", false
			}
			fmt.Fprintf(&b, "%s: %s\n", c.Name, state)
		}
		for _, s := range statuses {
			fmt.Fprintf(&b, "%s: %s\n", s.Name, s.State())
		}
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(w, b.String())
	})
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return mux
}
