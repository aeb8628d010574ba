package diagnose_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

// benchLatency is added to every network round trip (registry, IAM, the
// registry API, the Kubernetes Service API).
const benchLatency = 50 * time.Millisecond

// BenchmarkDiagnose runs the full chain for failing pods whose pull secret
// holds an API key, with 50 ms per round trip. "cold" builds a new engine per
// diagnosis (no cached IAM tokens, as one CLI run); "warm" reuses one (as the
// bot does). It reports the round trips per diagnosis and how many of them
// are sequential on the critical path. "fallback" lists two pull secrets,
// a dead key first: both credentials are probed side by side.
func BenchmarkDiagnose(b *testing.B) {
	for _, name := range []string{"analytics", "shop", "rotated", "fallback"} {
		s := scenarioNamed(b, name)
		for _, mode := range []string{"cold", "warm"} {
			b.Run(name+"-"+string(s.Expect)+"/"+mode, func(b *testing.B) {
				w, req := build(b, s, sandbox.WithLatency(benchLatency))
				eng := w.Engine()
				var requests, critical int
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if mode == "cold" {
						eng = w.Engine()
					}
					w.Cloud.ResetRequests()
					rep := eng.Diagnose(context.Background(), req, nil)
					if rep.RootCause == nil || rep.RootCause.ID != s.Expect {
						b.Fatalf("root cause %v, want %s", rep.RootCause, s.Expect)
					}
					recs := w.Cloud.Requests()
					requests += len(recs)
					critical += criticalPath(recs, benchLatency)
				}
				b.ReportMetric(float64(requests)/float64(b.N), "round-trips/op")
				b.ReportMetric(float64(critical)/float64(b.N), "sequential-round-trips/op")
			})
		}
	}
}

// criticalPath is the longest chain of requests each of which started after
// the previous one ended (the server sees a request latency after the
// client sends it, so half the latency is the margin).
func criticalPath(recs []cloud.RequestRecord, latency time.Duration) int {
	sort.Slice(recs, func(i, j int) bool { return recs[i].Start.Before(recs[j].Start) })
	depth := make([]int, len(recs))
	longest := 0
	for i, r := range recs {
		depth[i] = 1
		for j := 0; j < i; j++ {
			if !recs[j].End.After(r.Start.Add(-latency/2)) && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		longest = max(longest, depth[i])
	}
	return longest
}
