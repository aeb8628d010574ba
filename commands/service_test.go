package commands_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

func world(t *testing.T) (*sandbox.World, *commands.Service) {
	t.Helper()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	o := w.EngineOptions(w.BotKey)
	o.Cluster = sandbox.ClusterID
	svc := commands.New(commands.Options{Diagnose: o,
		Auth: commands.NewAuthorizer([]string{"cli"}, nil, nil, 0, nil), Follow: commands.FollowOptions{Off: true}})
	return w, svc
}

func handle(t *testing.T, svc *commands.Service, req commands.Request) string {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = svc.Handle(ctx, req, commands.NewTextOutput(&out))
	svc.Wait()
	return out.String()
}

// TestFixDryRunChangesNothing: the CLI's --dry-run path reports what it
// would do and leaves the cluster as it was.
func TestFixDryRunChangesNothing(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	out := handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod, DryRun: true})
	if !strings.Contains(out, "dry run of copy-pull-secret") {
		t.Errorf("output:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), "all-icr-io", metav1.GetOptions{}); err == nil {
		t.Error("a dry run created the secret")
	}
	out = handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod})
	if !strings.Contains(out, "cli applied copy-pull-secret") {
		t.Errorf("output:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), "all-icr-io", metav1.GetOptions{}); err != nil {
		t.Errorf("the fix did not create the secret: %v", err)
	}
	out = handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod})
	if !strings.Contains(out, "no longer needed") {
		t.Errorf("a second fix was not recognised as unneeded:\n%s", out)
	}
}

func TestFixRefusals(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	if out := handle(t, svc, commands.Request{User: "U0VISITOR", Text: "fix copy-pull-secret team-a/" + pod}); !strings.Contains(out, "only on-call") {
		t.Errorf("visitor: %s", out)
	}
	svc.Auth = commands.NewAuthorizer(nil, nil, nil, 0, nil)
	if out := handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod}); !strings.Contains(out, "no on-call engineers are configured") {
		t.Errorf("unconfigured: %s", out)
	}
	svc.Auth = commands.NewAuthorizer([]string{"cli"}, nil, nil, 0, nil)
	if out := handle(t, svc, commands.Request{User: "cli", Text: "fix restart-pod team-a/nope"}); !strings.Contains(out, "no longer needed") {
		t.Errorf("unknown pod: %s", out)
	}
	if out := handle(t, svc, commands.Request{User: "cli", Text: "deployment team-a/nope"}); !strings.Contains(out, "deployment team-a/nope does not exist") {
		t.Errorf("unknown deployment: %s", out)
	}
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), "all-icr-io", metav1.GetOptions{}); err == nil {
		t.Error("a refused fix changed the cluster")
	}
}

// TestOffersAreCommands: every offered button's value parses back to the
// fix command of its action, and read-only or preflight offers none.
func TestOffersAreCommands(t *testing.T) {
	w, svc := world(t)
	pod := scenario(t, "team-a").Build(w)
	rep := svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "team-a", Pod: pod}, nil)
	offers := svc.Offers(rep)[1:] // Fix it comes first (fixit_test.go)
	if len(offers) != 4 || offers[3].Action != diagnose.Rerun || offers[3].Value != "pod team-a/"+pod {
		t.Fatalf("offers: %+v", offers)
	}
	for _, o := range offers[:3] {
		c, err := commands.Parse(o.Value)
		if err != nil || c.Verb != commands.Fix || c.Action != o.Action || c.Ref.Name != pod {
			t.Errorf("offer %+v parses to %+v, %v", o, c, err)
		}
		if o.Disruptive != (o.Action == diagnose.RestartPod) || (o.Disruptive && o.Confirm == "") {
			t.Errorf("offer %+v: only restart-pod is disruptive, with a confirmation", o)
		}
	}
	svc.ReadOnly = true
	if got := svc.Offers(rep); len(got) != 1 || got[0].Action != diagnose.Rerun {
		t.Errorf("read-only offers %+v, want only the rerun", got)
	}
}

// TestEveryActionHasAFixer: every action a check can emit is a fixer or manual.
func TestEveryActionHasAFixer(t *testing.T) {
	dm, err := sandbox.NewDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer dm.Close()
	have := map[diagnose.Action]bool{diagnose.Manual: true, diagnose.Rerun: true}
	for _, a := range fix.Actions() {
		have[a] = true
	}
	for _, rep := range dm.Run(context.Background()) {
		for _, r := range rep.Results {
			for _, rem := range r.Remedies {
				if !have[rem.Action] {
					t.Errorf("%s offers %s, which has no fixer", r.ID, rem.Action)
				}
			}
		}
	}
}

type members map[string][]string

func (m members) GetUserGroupMembersContext(_ context.Context, g string) ([]string, error) {
	if u, ok := m[g]; ok {
		return u, nil
	}
	return nil, errors.New("no_such_subteam")
}

func TestAuthorizerCachesGroups(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	groups := members{"S1": {"U2"}}
	a := commands.NewAuthorizer([]string{"U1"}, []string{"S1", "S404"}, groups, time.Minute, func() time.Time { return now })
	for _, tc := range []struct {
		user string
		want bool
	}{{"U1", true}, {"U2", true}, {"U3", false}} {
		if got, _ := a.MayFix(context.Background(), tc.user); got != tc.want {
			t.Errorf("MayFix(%s) = %t", tc.user, got)
		}
	}
	groups["S1"] = []string{"U3"} // changed in Slack, not yet seen
	if ok, _ := a.MayFix(context.Background(), "U3"); ok {
		t.Error("membership re-read before the TTL")
	}
	now = now.Add(2 * time.Minute)
	if ok, _ := a.MayFix(context.Background(), "U3"); !ok {
		t.Error("membership not re-read after the TTL")
	}
}

func scenario(t *testing.T, name string) sandbox.Scenario {
	t.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		t.Fatalf("no sandbox scenario %q", name)
	}
	return s
}
