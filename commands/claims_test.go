package commands_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

// replicas are two Services over one cluster, as two pullcheck replicas
// are, each with its own process memory; they share only the cluster.
func replicas(t *testing.T) (*sandbox.World, [2]*commands.Service) {
	t.Helper()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	kubestatetest.LimitConfigMaps(w.Kube)
	var svcs [2]*commands.Service
	for i := range svcs {
		o := w.EngineOptions(w.BotKey)
		o.Cluster = sandbox.ClusterID
		svcs[i] = commands.New(commands.Options{Diagnose: o, Auth: commands.NewAuthorizer([]string{"U0ALICE", "U0BOB"}, nil, nil, 0, nil),
			Follow: commands.FollowOptions{Off: true}})
		svcs[i].Claims = commands.NewConfigMapClaims(w.Kube, "pullcheck")
	}
	return w, svcs
}

func secretCreates(w *sandbox.World, ns string) int {
	n := 0
	for _, a := range w.Kube.Actions() {
		if a.GetVerb() == "create" && a.GetResource().Resource == "secrets" && a.GetNamespace() == ns {
			n++
		}
	}
	return n
}

// TestClickOnEachReplicaAppliesOnce: one button clicked twice, the clicks
// reaching two replicas: the first applies the fix, the second says who
// did, one after the other and at the same moment.
func TestClickOnEachReplicaAppliesOnce(t *testing.T) {
	t.Run("one after the other", func(t *testing.T) {
		w, svc := replicas(t)
		pod := scenario(t, "team-a").Build(w)
		click := "C0ALERTS/1700000000.000100/fix-copy-pull-secret"
		text := "fix copy-pull-secret team-a/" + pod
		if out := handle(t, svc[0], commands.Request{User: "U0ALICE", Text: text, Claim: click}); !strings.Contains(out, "U0ALICE applied copy-pull-secret") {
			t.Fatalf("first click:\n%s", out)
		}
		out := handle(t, svc[1], commands.Request{User: "U0BOB", Text: text, Claim: click})
		if want := "this fix was already applied (or is being applied) by U0ALICE"; strings.TrimSpace(out) != want {
			t.Errorf("second click on the other replica:\n%s\nwant %q", out, want)
		}
		if n := secretCreates(w, "team-a"); n != 1 {
			t.Errorf("team-a/all-icr-io created %d times, want once", n)
		}
	})
	t.Run("at once", func(t *testing.T) {
		w, svc := replicas(t)
		pod := scenario(t, "team-a").Build(w)
		click := "C0ALERTS/1700000000.000200/fix-copy-pull-secret"
		users := [2]string{"U0ALICE", "U0BOB"}
		var outs [2]bytes.Buffer
		var wg sync.WaitGroup
		for i := range svc {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				_ = svc[i].Handle(ctx, commands.Request{User: users[i], Text: "fix copy-pull-secret team-a/" + pod, Claim: click},
					commands.NewTextOutput(&outs[i]))
			})
		}
		wg.Wait()
		applied := -1
		for i := range outs {
			if strings.Contains(outs[i].String(), users[i]+" applied copy-pull-secret") {
				if applied >= 0 {
					t.Fatalf("both replicas applied the fix:\n%s\n---\n%s", outs[0].String(), outs[1].String())
				}
				applied = i
			}
		}
		if applied < 0 {
			t.Fatalf("no replica applied the fix:\n%s\n---\n%s", outs[0].String(), outs[1].String())
		}
		other := outs[1-applied].String()
		if want := fmt.Sprintf("already applied (or is being applied) by %s", users[applied]); !strings.Contains(other, want) {
			t.Errorf("the other replica said:\n%s\nwant %q", other, want)
		}
		if n := secretCreates(w, "team-a"); n != 1 {
			t.Errorf("team-a/all-icr-io created %d times, want once", n)
		}
	})
}

// TestFailedFixReleasesTheClaim: a fix that fails leaves the button usable,
// on any replica.
func TestFailedFixReleasesTheClaim(t *testing.T) {
	_, svc := replicas(t)
	click := "C0ALERTS/1700000000.000300/fix-restart-pod"
	claims := svc[0].Claims
	if _, ok, err := claims.Claim(context.Background(), click, "U0ALICE"); !ok || err != nil {
		t.Fatalf("Claim = %t, %v", ok, err)
	}
	if err := claims.Release(context.Background(), click); err != nil {
		t.Fatal(err)
	}
	if by, ok, err := svc[1].Claims.Claim(context.Background(), click, "U0BOB"); !ok || by != "U0BOB" || err != nil {
		t.Errorf("after a release the other replica's Claim = %q, %t, %v", by, ok, err)
	}
}

// racing is a Store on which another replica writes once, between the
// first Load and Save.
type racing struct {
	kubestate.Store
	once  sync.Once
	other func()
}

func (r *racing) Save(ctx context.Context, v any, at kubestate.Version) (kubestate.Version, error) {
	r.once.Do(r.other)
	return r.Store.Save(ctx, v, at)
}

func TestConfigMapClaimsRace(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, otherButton string
		wantBy            string
		wantOK            bool
	}{
		{name: "another button: both kept", otherButton: "b2", wantBy: "U0ALICE", wantOK: true},
		{name: "the same button: the other was first", otherButton: "b1", wantBy: "U0BOB", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &kubestate.Memory{}
			other := &commands.ConfigMapClaims{Doc: doc}
			mine := &commands.ConfigMapClaims{Doc: &racing{Store: doc, other: func() {
				if _, _, err := other.Claim(ctx, tt.otherButton, "U0BOB"); err != nil {
					t.Error(err)
				}
			}}}
			by, ok, err := mine.Claim(ctx, "b1", "U0ALICE")
			if err != nil || by != tt.wantBy || ok != tt.wantOK {
				t.Errorf("Claim = %q, %t, %v; want %q, %t", by, ok, err, tt.wantBy, tt.wantOK)
			}
			if by, ok, _ := other.Claim(ctx, tt.otherButton, "U0CAROL"); ok || by != "U0BOB" {
				t.Errorf("the other replica's claim was lost: %q, %t", by, ok)
			}
		})
	}
}

// TestConfigMapClaimsExpire: claims older than the TTL, and the oldest
// beyond Max, are dropped when claims are written, so the ConfigMap stays
// small.
func TestConfigMapClaimsExpire(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	doc := &kubestate.Memory{}
	c := &commands.ConfigMapClaims{Doc: doc, TTL: time.Hour, Max: 3, Now: func() time.Time { return now }}
	for i := range 5 {
		if _, ok, err := c.Claim(ctx, fmt.Sprintf("b%d", i), "U0ALICE"); !ok || err != nil {
			t.Fatalf("Claim b%d = %t, %v", i, ok, err)
		}
		now = now.Add(time.Minute)
	}
	var d struct{ Claims map[string]any }
	_, _ = doc.Load(ctx, &d)
	if diff := cmp.Diff([]string{"b2", "b3", "b4"}, sortedKeys(d.Claims)); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	now = now.Add(2 * time.Hour)
	if _, ok, _ := c.Claim(ctx, "b2", "U0BOB"); !ok {
		t.Error("an expired claim still holds")
	}
	var after struct{ Claims map[string]any }
	_, _ = doc.Load(ctx, &after)
	if diff := cmp.Diff([]string{"b2"}, sortedKeys(after.Claims)); diff != "" {
		t.Errorf("after expiry (-want +got):\n%s", diff)
	}
}

func sortedKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
