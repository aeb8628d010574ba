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

	if err := h.Check(ctx); err != nil || probes != 1 {
		t.Fatalf("first check: %v after %d probes", err, probes)
	}
	fail = down
	if err := h.Check(ctx); err != nil || probes != 1 {
		t.Errorf("a fresh answer stands: %v after %d probes", err, probes)
	}
	h.Suspect(errors.New("watch failed"))
	err := h.Check(ctx)
	var ue *UnreachableError
	if !errors.As(err, &ue) || probes != 2 {
		t.Fatalf("after Suspect: %v after %d probes", err, probes)
	}
	msg := ue.UserMessage()
	for _, want := range []string{"cluster prod-eu does not answer", "since 09:00:00 UTC", "other clusters are not affected"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "10.1.2.3") {
		t.Errorf("message %q shows the API server's address", msg)
	}
	now = now.Add(4 * time.Second)
	fail = nil
	if err := h.Check(ctx); err != nil || probes != 3 {
		t.Errorf("an old answer is asked again: %v after %d probes", err, probes)
	}
	if ok, since, _ := h.State(); !ok || !since.Equal(now) {
		t.Errorf("State = %t since %s", ok, since)
	}
	if len(changes) != 3 || changes[0] != true || changes[1] != false || changes[2] != true {
		t.Errorf("changes = %v", changes)
	}
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
