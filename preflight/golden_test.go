package preflight_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/preflight"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden runs the manifest sets against the sandbox and compares each
// output format with testdata/golden/<case>.<txt|json|sarif>.
func TestGolden(t *testing.T) {
	w, cw := newWorld(t, problemWorlds), newWorld(t, []string{"shop"})
	tests := []struct {
		name    string
		run     func(t *testing.T) *preflight.Run
		verdict diagnose.Verdict
	}{
		{"problems", func(t *testing.T) *preflight.Run {
			m := load(t, problems)
			return checker(w, m).Run(testContext(t), m, 4)
		}, diagnose.RootCauseFound},
		{"clean", func(t *testing.T) *preflight.Run {
			m := load(t, clean)
			return checker(cw, m).Run(testContext(t), m, 4)
		}, diagnose.PullsFine},
		{"offline", func(t *testing.T) *preflight.Run {
			m := load(t, problems)
			c, err := preflight.NewOffline(m, preflight.OfflineOptions{Transport: w.Transport(), Now: clock,
				DockerConfig: sandbox.DockerConfig("iamapikey", w.ClusterKey, "us.icr.io")})
			if err != nil {
				t.Fatal(err)
			}
			return c.Run(testContext(t), m, 4)
		}, diagnose.RootCauseFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := tt.run(t)
			if v := run.Verdict(); v != tt.verdict {
				t.Errorf("verdict %s, want %s", v, tt.verdict)
			}
			for ext, got := range outputs(t, run) {
				for _, secret := range [][]byte{[]byte(manifestCanary), []byte(w.ClusterKey), []byte(w.BotKey)} {
					if bytes.Contains(got, secret) {
						t.Errorf("%s output shows a secret (%.6s…)", ext, secret)
					}
				}
				compareGolden(t, filepath.Join("testdata", "golden", tt.name+"."+ext), got)
			}
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
	}
}

// outputs renders a run in every format.
func outputs(t testing.TB, run *preflight.Run) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for ext, write := range map[string]func(*bytes.Buffer) error{
		"txt":   func(b *bytes.Buffer) error { return preflight.WriteText(b, run) },
		"json":  func(b *bytes.Buffer) error { return preflight.WriteJSON(b, run) },
		"sarif": func(b *bytes.Buffer) error { return preflight.WriteSARIF(b, run, "test") },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("writing %s: %v", ext, err)
		}
		out[ext] = b.Bytes()
	}
	return out
}
