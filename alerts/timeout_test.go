package alerts

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/blackhole"
)

// TestDiagnosesEndAtTheTimeout: a registry that accepts connections and
// never answers does not hold an alert's diagnosis past Options.Timeout,
// even when the watch's context has no deadline; the incident's report
// says which checks timed out.
func TestDiagnosesEndAtTheTimeout(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer bh.Close()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	o := w.EngineOptions(w.BotKey)
	o.Registry = registry.New(bh.Transport(w.Transport(), "us.icr.io"))
	var mu sync.Mutex
	var opened []Incident
	m, err := NewManager(context.Background(), Options{Engine: diagnose.New(o), Notify: &recorder{}, Store: MemoryStore(),
		Routes: Routes{Default: "C0ALERTS"}, Timeout: 500 * time.Millisecond,
		Opened: func(i Incident) { mu.Lock(); defer mu.Unlock(); opened = append(opened, i) }})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := sandbox.Named("team-a")
	pod, err := w.Kube.CoreV1().Pods("team-a").Get(context.Background(), s.Build(w), metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { m.Observe(context.Background(), pod); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("an alert's diagnosis still runs a minute later, against a registry that never answers")
	}
	if bh.Accepted() == 0 {
		t.Fatal("the diagnosis never reached the black hole")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 1 {
		t.Fatalf("%d incidents opened, want 1", len(opened))
	}
	var timedOut []diagnose.FindingID
	for _, r := range m.reps[opened[0].ID].Results {
		if r.Status == diagnose.Inconclusive && strings.HasPrefix(r.Summary, "timed out after ") {
			timedOut = append(timedOut, r.ID)
		}
	}
	if len(timedOut) == 0 {
		t.Errorf("no result says it timed out: %+v", m.reps[opened[0].ID].Results)
	}
}
