package diagnose

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// Options configures an Engine. Kube is required; the others default.
type Options struct {
	Kube kubernetes.Interface
	// Registry probes registries; default: a prober over http.DefaultTransport.
	Registry *registry.Prober
	// IBM looks up IAM, the registry API and the Kubernetes Service API;
	// default: IBM's public endpoints without a key of pullcheck's own.
	IBM *ibmcloud.Client
	// Cluster is the IBM Cloud Kubernetes Service cluster ID or name; empty
	// means read it from kube-system/cluster-info.
	Cluster string
	// QuotaWarn is the usage fraction above which quota-near-limit warns; default 0.8.
	QuotaWarn float64
	// Logger receives tool errors; default: discard.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Checks overrides the chain (tests); default Catalogue.
	Checks []Check
}

// Engine runs the diagnosis chain. It is safe for concurrent use.
type Engine struct {
	opts Options
}

// New returns an Engine; it panics if o.Kube is nil.
func New(o Options) *Engine {
	if o.Kube == nil {
		panic("diagnose: Options.Kube is nil")
	}
	if o.Registry == nil {
		o.Registry = registry.New(http.DefaultTransport)
	}
	if o.IBM == nil {
		o.IBM = ibmcloud.New(ibmcloud.DefaultEndpoints(), http.DefaultClient, "")
	}
	if o.QuotaWarn <= 0 || o.QuotaWarn >= 1 {
		o.QuotaWarn = 0.8
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Checks == nil {
		o.Checks = Catalogue
	}
	return &Engine{opts: o}
}

// Diagnose runs every check concurrently and returns the report. emit, when
// not nil, receives each result in catalogue order as soon as it and every
// earlier result are known; it is called from one goroutine at a time.
func (e *Engine) Diagnose(ctx context.Context, req Request, emit func(Result)) *Report {
	start := e.opts.Now()
	budget := budgetOf(ctx)
	t := newTarget(e, req)
	checks := e.opts.Checks
	type done struct {
		i   int
		res Result
	}
	ch := make(chan done, len(checks))
	for i, c := range checks {
		go func() { ch <- done{i, timedOut(ctx, e.run(ctx, t, c), budget)} }()
	}
	results := make([]Result, len(checks))
	ready := make([]bool, len(checks))
	next, healthy := 0, false
	if len(checks) <= 1 {
		t.settle()
	}
	for finished := 1; finished <= len(checks); finished++ {
		d := <-ch
		results[d.i], ready[d.i] = d.res, true
		if finished == len(checks)-1 {
			t.settle()
		}
		for next < len(checks) && ready[next] {
			healthy = healthyAfter(&results[next], healthy, req)
			if emit != nil {
				emit(results[next])
			}
			next++
		}
	}
	rep := &Report{Request: req, Results: results, Started: start}
	rep.Container, rep.Image = t.containerAndImage()
	rep.conclude()
	rep.Duration = e.opts.Now().Sub(start)
	return rep
}

// healthyAfter applies "healthy pods get no root cause": once pod-pulling-ok
// passes for a pod (nothing waits on a pull), a later failing finding is a
// warning, whatever it says. It returns whether the pod is healthy. A
// preflight has no pod yet: its findings stand.
func healthyAfter(r *Result, healthy bool, req Request) bool {
	switch {
	case r.ID == PodPullingOK:
		return r.Status == Pass && !req.Preflight()
	case healthy && r.Status == Fail:
		r.Status = Warn
		r.Summary = "the pod pulls fine, but: " + r.Summary
	}
	return healthy
}

// budgetOf is the time ctx leaves a diagnosis, 0 when it has no deadline.
func budgetOf(ctx context.Context) time.Duration {
	deadline, ok := ctx.Deadline()
	if !ok {
		return 0
	}
	if d := time.Until(deadline).Round(100 * time.Millisecond); d > 0 {
		return d
	}
	return time.Until(deadline).Round(time.Millisecond)
}

// timedOut makes a result that is inconclusive because the diagnosis ran
// out of time say so, and after how long.
func timedOut(ctx context.Context, r Result, budget time.Duration) Result {
	if r.Status != Inconclusive || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return r
	}
	r.Summary = fmt.Sprintf("timed out after %s: %s", budget, r.Summary)
	return r
}

// run runs one check, turning a panic into an inconclusive result.
func (e *Engine) run(ctx context.Context, t *Target, c Check) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			ref := newRef()
			e.opts.Logger.Error("check panicked", "check", c.ID(), "ref", ref, "panic", fmt.Sprint(p))
			res = Result{ID: c.ID(), Status: Inconclusive, Summary: "internal error, reference " + ref}
		}
	}()
	r, err := c.Run(ctx, t)
	return outcome(c.ID(), r, err)
}
