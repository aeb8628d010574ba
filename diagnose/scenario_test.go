package diagnose_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

func newWorld(t testing.TB, opts ...sandbox.Option) *sandbox.World {
	t.Helper()
	w, err := sandbox.NewWorld(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func scenarioNamed(t testing.TB, name string) sandbox.Scenario {
	t.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		t.Fatalf("no sandbox scenario %q", name)
	}
	return s
}

// build starts a world for the scenario and returns it with the request.
func build(t testing.TB, s sandbox.Scenario, opts ...sandbox.Option) (*sandbox.World, d.Request) {
	if s.Fresh {
		opts = append(opts, sandbox.WithoutClusterPullSecret())
	}
	if s.PrivateCluster {
		opts = append(opts, sandbox.WithPrivateOnlyCluster())
	}
	w := newWorld(t, opts...)
	return w, d.Request{Namespace: s.Name, Pod: s.Build(w)}
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func rootCause(rep *d.Report) d.FindingID {
	if rep.RootCause == nil {
		return ""
	}
	return rep.RootCause.ID
}

// TestScenarios runs the whole chain against every sandbox workload, each in
// a world of its own: one scenario per root cause, plus healthy pods.
func TestScenarios(t *testing.T) {
	for _, s := range sandbox.Scenarios {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			w, req := build(t, s)
			var streamed []d.Result
			rep := w.Engine().Diagnose(testContext(t), req, func(r d.Result) { streamed = append(streamed, r) })
			if got := rootCause(rep); got != s.Expect {
				t.Fatalf("root cause = %q, want %q\n%s", got, s.Expect, textOf(t, rep))
			}
			wantVerdict := d.RootCauseFound
			if s.Expect == "" {
				wantVerdict = d.PullsFine
			}
			if rep.Verdict != wantVerdict {
				t.Errorf("verdict = %s, want %s", rep.Verdict, wantVerdict)
			}
			if diff := cmp.Diff(rep.Results, streamed); diff != "" {
				t.Errorf("streamed results differ from the report (-report +streamed):\n%s", diff)
			}
			if s.Expect != "" && len(rep.RootCause.Remedies) == 0 && !noRemedy[s.Expect] {
				t.Errorf("root cause %s offers no remedy", s.Expect)
			}
			for _, r := range rep.Results {
				for _, rem := range r.Remedies {
					if len([]rune(rem.Title)) > 75 || rem.Manual == "" || rem.Effect == "" {
						t.Errorf("%s: remedy %+v: title over 75 characters, or no manual command or effect", r.ID, rem)
					}
				}
			}
		})
	}
}

// noRemedy are the findings whose catalogue row has no remedy.
var noRemedy = map[d.FindingID]bool{d.PodNotFound: true}

// TestEveryRootCauseHasAScenario keeps the sandbox complete: every finding
// that can be a root cause has a workload that demonstrates it.
func TestEveryRootCauseHasAScenario(t *testing.T) {
	neverRoot := map[d.FindingID]bool{d.PodPullingOK: true, d.PullSecretStale: true, d.StorageQuotaExceeded: true,
		d.QuotaNearLimit: true, d.WorkloadMissingPullSecretRef: true, d.BotPermissionMissing: true}
	have := map[d.FindingID]bool{}
	for _, s := range sandbox.Scenarios {
		have[s.Expect] = true
	}
	for _, c := range d.Catalogue {
		if !neverRoot[c.ID()] && !have[c.ID()] {
			t.Errorf("no sandbox scenario has root cause %s", c.ID())
		}
	}
}

// TestPreflight asks whether a new pod could pull an image now.
func TestPreflight(t *testing.T) {
	dm, err := sandbox.NewDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer dm.Close()
	both := []string{"linux/amd64", "linux/arm64"}
	tests := []struct {
		ns, image string
		platforms []string
		want      d.FindingID
		verdict   d.Verdict
	}{
		{"storefront", "us.icr.io/shop/web:1.0", nil, "", d.PullsFine},
		{"storefront", "us.icr.io/shop/web:9.9", nil, d.ImageTagNotFound, d.RootCauseFound},
		{"team-a", "us.icr.io/shop/web:1.0", nil, d.PullSecretNotCopied, d.RootCauseFound},
		{"team-b", "us.icr.io/shop/web:1.0", nil, d.ServiceAccountNotPatched, d.RootCauseFound},
		{"team-c", "us.icr.io/shop/web:1.0", nil, "", d.PullsFine}, // a new pod gets the patched service account's secret
		{"nowhere", "us.icr.io/shop/web:1.0", nil, d.PodNotFound, d.RootCauseFound},
		// Nothing pulled: a preflight that could not reach the registry is unproved, not fine.
		{"storefront", sandbox.UnreachableHost + "/tools/agent:2.4", nil, "", d.VerdictUnproved},
		{"storefront", "us.icr.io/shop/batch:1.0", []string{"linux/arm64"}, d.ImagePlatformMismatch, d.RootCauseFound},
		{"storefront", "us.icr.io/shop/batch:1.0", []string{"linux/amd64", "linux/s390x"}, "", d.PullsFine},
		{"storefront", "us.icr.io/shop/batch:1.0", both, d.ImagePlatformMismatch, d.RootCauseFound},
		{"storefront", "us.icr.io/shop/web:1.0", both, d.ImagePlatformMismatch, d.RootCauseFound}, // a single amd64 image
		{"storefront", "us.icr.io/shop/web:1.0", []string{"linux/amd64"}, "", d.PullsFine},
	}
	for _, tt := range tests {
		t.Run(tt.ns+"/"+tt.image+"/"+strings.Join(tt.platforms, "+"), func(t *testing.T) {
			req := d.Request{Namespace: tt.ns, Image: tt.image, Platforms: tt.platforms}
			rep := dm.Main.Engine().Diagnose(testContext(t), req, nil)
			if got := rootCause(rep); got != tt.want || rep.Verdict != tt.verdict {
				t.Fatalf("root cause %q, verdict %s; want %q, %s\n%s", got, rep.Verdict, tt.want, tt.verdict, textOf(t, rep))
			}
		})
	}
}
