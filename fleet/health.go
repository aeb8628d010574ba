package fleet

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
)

// probeTimeout bounds one probe: an API server that takes longer to say
// its version is as good as gone for a chat command.
const probeTimeout = 5 * time.Second

// Health says whether a cluster's API server answers. A command asks it
// first (Check), so that an unreachable cluster fails at once with a clear
// message instead of after a diagnosis of timeouts; Watch asks it in the
// background for readiness and metrics, and again at once when the pod
// watch reports a failure (Suspect).
type Health struct {
	name  string
	probe func(context.Context) error
	// Now is the clock (time.Now).
	Now func() time.Time
	// OnChange, when set, hears of every change between answering and not
	// (metrics, logs). It is called without locks held.
	OnChange func(ok bool, err error)

	suspect chan struct{}

	mu    sync.Mutex
	err   error     // the last probe's failure; nil: it answered
	since time.Time // when the current state began
	known bool      // whether any probe ended yet
}

// NewHealth returns the Health of the cluster kube reaches; it probes GET
// /version, which every authenticated identity may read.
func NewHealth(name string, kube kubernetes.Interface) *Health {
	return NewHealthFunc(name, versionProbe(kube))
}

// NewHealthFunc returns a Health that probes with probe (tests).
func NewHealthFunc(name string, probe func(context.Context) error) *Health {
	return &Health{name: name, probe: probe, Now: time.Now, suspect: make(chan struct{}, 1)}
}

func versionProbe(kube kubernetes.Interface) func(context.Context) error {
	return func(ctx context.Context) error {
		rc := kube.Discovery().RESTClient()
		if rc == nil { // a fake clientset: it always answers
			_, err := kube.Discovery().ServerVersion()
			return err
		}
		return rc.Get().AbsPath("/version").Do(ctx).Error()
	}
}

// Check asks the cluster now: a command's first step, one round trip. The
// error is an *UnreachableError.
func (h *Health) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	perr := h.probe(ctx)
	cancel()
	h.mu.Lock()
	changed := !h.known || (perr == nil) != (h.err == nil)
	if changed {
		h.since = h.Now()
	}
	h.known, h.err = true, perr
	err := h.unreachable()
	h.mu.Unlock()
	if changed && h.OnChange != nil {
		h.OnChange(perr == nil, perr)
	}
	return err
}

// Suspect makes Watch ask the cluster at once: the pod watch saw a failure.
func (h *Health) Suspect(error) {
	select {
	case h.suspect <- struct{}{}:
	default: // a probe is already due
	}
}

// Watch asks the cluster every interval, and when suspected, until ctx is
// done.
func (h *Health) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		_ = h.Check(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-h.suspect:
		}
	}
}

// State is the last probe's answer: whether the cluster answered (true
// before the first probe), since when, and the failure.
func (h *Health) State() (ok bool, since time.Time, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err == nil, h.since, h.err
}

// unreachable wraps the last failure; the caller holds h.mu.
func (h *Health) unreachable() error {
	if h.err == nil {
		return nil
	}
	return &UnreachableError{Cluster: h.name, Since: h.since, Err: h.err}
}

// UnreachableError is a cluster that does not answer, or refuses
// pullcheck's credentials. Its UserMessage is safe to show: it names the
// cluster, never its address or the API server's words.
type UnreachableError struct {
	Cluster string
	Since   time.Time
	Err     error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s is unreachable: %v", e.subject(), e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// UserMessage says which cluster fails, since when, and that the others
// are not affected.
func (e *UnreachableError) UserMessage() string {
	at := e.Since.UTC().Format("15:04:05 UTC")
	if apierrors.IsUnauthorized(e.Err) || apierrors.IsForbidden(e.Err) {
		return fmt.Sprintf("%s refuses pullcheck's credentials (since %s): renew the token of its context in pullcheck's kubeconfig; other clusters are not affected", e.subject(), at)
	}
	return fmt.Sprintf("%s does not answer (its API server is unreachable since %s): its commands fail and its alerts wait until it does; other clusters are not affected", e.subject(), at)
}

func (e *UnreachableError) subject() string {
	if e.Cluster == "" {
		return "the cluster"
	}
	return "cluster " + e.Cluster
}
