package commands_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/blackhole"
)

// hangingRegistry is a world whose us.icr.io accepts connections and never
// answers while hang is true (nil: always), and a Service over it with a
// short timeout.
func hangingRegistry(t *testing.T, timeout time.Duration, hang *atomic.Bool, follow commands.FollowOptions) (*sandbox.World, *commands.Service, *blackhole.Server) {
	t.Helper()
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	if hang == nil {
		hang = &atomic.Bool{}
		hang.Store(true)
	}
	rt := switched{on: hang, hole: bh.Transport(w.Transport(), "us.icr.io"), next: w.Transport()}
	o := w.EngineOptions(w.BotKey)
	o.Cluster, o.Registry = sandbox.ClusterID, registry.New(rt)
	svc := commands.New(commands.Options{Diagnose: o, Timeout: timeout,
		Auth: commands.NewAuthorizer([]string{"cli"}, nil, nil, 0, nil), Follow: follow})
	return w, svc, bh
}

// switched sends requests to hole while on is true, else to next.
type switched struct {
	on         *atomic.Bool
	hole, next http.RoundTripper
}

func (s switched) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.on.Load() {
		return s.hole.RoundTrip(r)
	}
	return s.next.RoundTrip(r)
}

// handleUnbounded serves req with no deadline of its own: only the
// Service's may end it. It fails the test if the request outlives a minute.
func handleUnbounded(t *testing.T, svc *commands.Service, req commands.Request) string {
	t.Helper()
	done := make(chan string, 1)
	go func() {
		var out bytes.Buffer
		_ = svc.Handle(context.Background(), req, commands.NewTextOutput(&out))
		done <- out.String()
	}()
	select {
	case out := <-done:
		return out
	case <-time.After(time.Minute):
		t.Fatalf("%q still runs a minute later, against a registry that never answers", req.Text)
		return ""
	}
}

// TestRequestsEndAtTheDeadline: a registry that accepts connections and
// never answers does not hold a request past the Service's timeout; the
// answer says which checks timed out, and a fix that cannot be re-checked
// in time is not applied.
func TestRequestsEndAtTheDeadline(t *testing.T) {
	w, svc, bh := hangingRegistry(t, 500*time.Millisecond, nil, commands.FollowOptions{Off: true})
	pod := scenario(t, "team-a").Build(w)

	out := handleUnbounded(t, svc, commands.Request{User: "cli", Text: "pod team-a/" + pod})
	if bh.Accepted() == 0 {
		t.Fatal("the diagnosis never reached the black hole")
	}
	if ids := timedOutChecks(out); len(ids) == 0 {
		t.Errorf("the answer does not say which checks timed out:\n%s", out)
	}

	out = handleUnbounded(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod})
	if !strings.Contains(out, "the request took too long and was stopped") {
		t.Errorf("fix answer:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), sandbox.AllICRIO, metav1.GetOptions{}); err == nil {
		t.Error("a fix was applied without a diagnosis that finished")
	}
}

// TestFollowUpDiagnosesEndAtTheDeadline: once a fix is applied, each
// diagnosis of the follow-up ends within the request timeout too, though
// the follow-up runs longer.
func TestFollowUpDiagnosesEndAtTheDeadline(t *testing.T) {
	var hang atomic.Bool
	w, svc, bh := hangingRegistry(t, 500*time.Millisecond, &hang, commands.FollowOptions{Interval: 50 * time.Millisecond, Timeout: time.Second})
	pod := scenario(t, "team-a").Build(w)
	var out bytes.Buffer
	if err := svc.Handle(context.Background(), commands.Request{User: "cli", Text: "fix copy-pull-secret team-a/" + pod},
		commands.NewTextOutput(&out)); err != nil {
		t.Fatalf("fix: %v\n%s", err, out.String())
	}
	hang.Store(true) // the registry hangs while the pod is followed
	done := make(chan struct{})
	go func() { svc.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the follow-up, due to end after 1s, still runs 30s later:\n%s", out.String())
	}
	if bh.Accepted() == 0 || !strings.Contains(out.String(), "still not running after 1s") {
		t.Errorf("black hole reached %d times; output:\n%s", bh.Accepted(), out.String())
	}
}

// timedOutLine is an inconclusive check that timed out, in text output.
var timedOutLine = regexp.MustCompile(`(?m)^\? (\S+) +timed out after \d`)

// timedOutChecks are the IDs of the checks the output says timed out.
func timedOutChecks(out string) []string {
	var ids []string
	for _, m := range timedOutLine.FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return ids
}
