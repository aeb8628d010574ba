package fleet

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes/fake"
)

func TestHealth(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	down := errors.New("dial tcp 10.1.2.3:6443: connect: connection refused")
	var fail error
	probes := 0
	h := NewHealthFunc("prod-eu", func(context.Context) error { probes++; return fail })
	h.Now = func() time.Time { return now }
	var changes []bool
	h.OnChange = func(ok bool, _ error) { changes = append(changes, ok) }
	ctx := context.Background()

	if ok, _, _ := h.State(); !ok {
		t.Error("a cluster not asked yet counts as answering")
	}
	if err := h.Check(ctx); err != nil || probes != 1 {
		t.Fatalf("first check: %v after %d probes", err, probes)
	}
	fail = down
	now = now.Add(time.Second)
	err := h.Check(ctx)
	var ue *UnreachableError
	if !errors.As(err, &ue) || probes != 2 {
		t.Fatalf("every check asks: %v after %d probes", err, probes)
	}
	msg := ue.UserMessage()
	for _, want := range []string{"cluster prod-eu does not answer", "since 09:00:01 UTC", "other clusters are not affected"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "10.1.2.3") {
		t.Errorf("message %q shows the API server's address", msg)
	}
	now = now.Add(time.Minute)
	if err := h.Check(ctx); !errors.As(err, &ue) || !ue.Since.Equal(now.Add(-time.Minute)) {
		t.Errorf("still down: %v since %s", err, ue.Since)
	}
	fail = nil
	if err := h.Check(ctx); err != nil {
		t.Errorf("back: %v", err)
	}
	if ok, since, _ := h.State(); !ok || !since.Equal(now) {
		t.Errorf("State = %t since %s", ok, since)
	}
	if len(changes) != 3 || changes[0] != true || changes[1] != false || changes[2] != true {
		t.Errorf("changes = %v", changes)
	}
}

// TestHealthWatch: a suspicion makes the watch ask at once.
func TestHealthWatch(t *testing.T) {
	asked := make(chan struct{}, 10)
	h := NewHealthFunc("prod-eu", func(context.Context) error { asked <- struct{}{}; return nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.Watch(ctx, time.Hour) }()
	<-asked
	h.Suspect(errors.New("watch failed"))
	h.Suspect(errors.New("watch failed again"))
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("a suspicion did not make the watch ask")
	}
	cancel()
	<-done
}

func TestHealthCredentials(t *testing.T) {
	h := NewHealthFunc("prod-us", func(context.Context) error { return apierrors.NewUnauthorized("Unauthorized") })
	var ue *UnreachableError
	if err := h.Check(context.Background()); !errors.As(err, &ue) || !strings.Contains(ue.UserMessage(), "refuses pullcheck's credentials") {
		t.Errorf("401: %v", err)
	}
}

func TestHealthOfFakeClientset(t *testing.T) {
	if err := NewHealth("", fake.NewClientset()).Check(context.Background()); err != nil {
		t.Errorf("a fake clientset answers: %v", err)
	}
}
