package preflight_test

import (
	"context"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/preflight"
)

// The manifest sets of testdata: one problem per finding a preflight can
// see, and a set whose every image pulls.
const (
	problems = "testdata/problems"
	clean    = "testdata/clean"
)

// manifestCanary is the password of a pull secret in testdata/problems;
// no output may ever show it.
const manifestCanary = "sbx-canary-manifest-secret-7f1e"

// clock stands still for golden runs.
func clock() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }

// problemWorlds are the sandbox scenarios whose namespaces (and their pull
// secrets) the problem manifests meet.
var problemWorlds = []string{"shop", "team-a", "team-b", "ci", "team-e", "laptop", "old-app", "rotated", "frozen", "tokens",
	"partner", "analytics", "vault", "restricted", "euro", "tokyo", "hub", "onprem", "billing"}

// newWorld is a sandbox cluster (nodes amd64 and arm64) with the named
// scenarios built: "shop" is a namespace set up the standard way (its
// all-icr-io copy, listed by its default service account), "team-a" one
// without its copy; see sandbox.Scenarios for the others.
func newWorld(t testing.TB, scenarios []string, opts ...sandbox.Option) *sandbox.World {
	t.Helper()
	w, err := sandbox.NewWorld(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	for _, name := range scenarios {
		s, ok := sandbox.Named(name)
		if !ok {
			t.Fatalf("no sandbox scenario %q", name)
		}
		s.Build(w)
	}
	return w
}

// load reads manifests, giving objects without a namespace "shop".
func load(t testing.TB, paths ...string) *preflight.Manifests {
	t.Helper()
	m, err := preflight.Load(paths, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	m.Resolve("shop")
	return m
}

// checker diagnoses m in w, the manifests' objects laid over the cluster.
func checker(w *sandbox.World, m *preflight.Manifests, opts ...preflight.Option) *preflight.Checker {
	eo := w.EngineOptions(w.BotKey)
	eo.Kube = preflight.Overlay(w.Kube, m)
	eo.Now = clock
	return preflight.NewChecker(diagnose.New(eo), w.Kube, opts...)
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
