package preflight_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/preflight"
)

// benchLatency is added to every network round trip (registry, IAM, the
// registry API, the Kubernetes Service API), as in diagnose's benchmarks.
const benchLatency = 50 * time.Millisecond

// BenchmarkPreflight checks 200 Deployments that use 40 distinct images
// between them, at 50 ms per round trip: each image is diagnosed once, 16
// at a time, with a new engine per run (as one CLI run). It reports the
// round trips per run and the manifest GETs (one per distinct image).
func BenchmarkPreflight(b *testing.B) {
	const workloads, images = 200, 40
	w := newWorld(b, []string{"shop"}, sandbox.WithLatency(benchLatency))
	for i := range images {
		img, err := random.Image(256, 1)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Cloud.Push(fmt.Sprintf("us.icr.io/shop/svc-%02d:1.0", i), img); err != nil {
			b.Fatal(err)
		}
	}
	var doc strings.Builder
	for i := range workloads {
		fmt.Fprintf(&doc, `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: svc-%03d, namespace: shop}
spec:
  template:
    spec:
      nodeSelector: {kubernetes.io/arch: amd64}
      containers: [{name: app, image: "us.icr.io/shop/svc-%02d:1.0"}]
`, i, i%images)
	}
	m := &preflight.Manifests{}
	if err := preflight.Parse("bench.yaml", []byte(doc.String()), m); err != nil {
		b.Fatal(err)
	}
	var trips, manifests int
	b.ResetTimer()
	for range b.N {
		w.Cloud.ResetRequests()
		eo := w.EngineOptions(w.BotKey)
		eo.Kube = preflight.Overlay(w.Kube, m)
		run := preflight.NewChecker(diagnose.New(eo), w.Kube).Run(context.Background(), m, preflight.DefaultParallel)
		if v := run.Verdict(); v != diagnose.PullsFine || len(run.Reports) != images || len(run.Checked) != workloads {
			b.Fatalf("verdict %s, %d diagnoses, %d containers", v, len(run.Reports), len(run.Checked))
		}
		for _, r := range w.Cloud.Requests() {
			trips++
			if strings.Contains(r.Path, "/manifests/") {
				manifests++
			}
		}
	}
	b.ReportMetric(float64(trips)/float64(b.N), "round-trips/op")
	b.ReportMetric(float64(manifests)/float64(b.N), "manifest-GETs/op")
}
