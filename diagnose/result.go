package diagnose

import (
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Fact is one piece of evidence: a name and a value that is already safe to
// show (secrets appear only as fingerprints).
type Fact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Result is what one check found.
type Result struct {
	ID       FindingID `json:"id"`
	Status   Status    `json:"status"`
	Summary  string    `json:"summary"`
	Evidence []Fact    `json:"evidence,omitempty"`
	Remedies []Remedy  `json:"remedies,omitempty"`
}

// Request names the pod to diagnose. Container is optional: the first
// container that fails to pull is chosen when it is empty. A preflight sets
// Image instead of Pod: could a new pod in Namespace pull Image now? Its
// pod runs as ServiceAccount (default "default") and lists PullSecrets
// (default: none, so it gets the service account's, as the ServiceAccount
// admission plugin copies them in). Platforms are the platforms of the
// nodes the preflight's pod may run on ("linux/amd64"); the image must
// offer each. Without them, linux/amd64 is assumed.
type Request struct {
	Namespace      string   `json:"namespace"`
	Pod            string   `json:"pod,omitempty"`
	Container      string   `json:"container,omitempty"`
	Image          string   `json:"image,omitempty"`
	ServiceAccount string   `json:"service_account,omitempty"`
	PullSecrets    []string `json:"pull_secrets,omitempty"`
	Platforms      []string `json:"platforms,omitempty"`
}

// Preflight reports whether the request is about an image, not a pod.
func (r Request) Preflight() bool { return r.Pod == "" && r.Image != "" }

// String is "namespace/pod", or "image in namespace" for a preflight.
func (r Request) String() string {
	if r.Preflight() {
		return r.Image + " in " + r.Namespace
	}
	return r.Namespace + "/" + r.Pod
}

// Verdict sums a report up.
type Verdict string

// Verdicts, in the order of the CLI's exit codes 0, 1, 2.
const (
	PullsFine       Verdict = "pulls-fine"
	RootCauseFound  Verdict = "root-cause"
	VerdictUnproved Verdict = "inconclusive"
)

// Report is a finished diagnosis.
type Report struct {
	Request   Request       `json:"request"`
	Container string        `json:"container,omitempty"`
	Image     string        `json:"image,omitempty"`
	Verdict   Verdict       `json:"verdict"`
	RootCause *Result       `json:"root_cause,omitempty"`
	Results   []Result      `json:"results"`
	Started   time.Time     `json:"started"`
	Duration  time.Duration `json:"duration_ns"`
}

// Result returns the result of one finding, if the report has it.
func (r *Report) Result(id FindingID) (Result, bool) {
	for _, res := range r.Results {
		if res.ID == id {
			return res, true
		}
	}
	return Result{}, false
}

// conclude fills Verdict and RootCause: the root cause is the first failing
// finding in catalogue order; without one, a pod that pulls fine is fine and
// any other pod is unexplained. A preflight's pod pulls nothing yet: it
// pulls fine only when the registry served the image (see served).
func (r *Report) conclude() {
	for i := range r.Results {
		if r.Results[i].Status == Fail {
			r.RootCause = &r.Results[i]
			r.Verdict = RootCauseFound
			return
		}
	}
	if ok, found := r.Result(PodPullingOK); found && ok.Status == Pass && r.served() {
		r.Verdict = PullsFine
		return
	}
	r.Verdict = VerdictUnproved
}

// served reports, for a preflight, whether the registry served the image's
// manifest and config to the pod's credentials for every node platform:
// without that, an unreachable registry or a probe that could not decide
// would read as "pulls fine". Pods are judged by their containers' state.
func (r *Report) served() bool {
	if !r.Request.Preflight() {
		return true
	}
	p, ok := r.Result(ImagePlatformMismatch)
	return ok && p.Status == Pass
}

// nodePlatforms parses a preflight's Platforms, skipping any that do not
// parse; nil for a pod.
func (r Request) nodePlatforms() []v1.Platform {
	if !r.Preflight() {
		return nil
	}
	var out []v1.Platform
	for _, s := range r.Platforms {
		if p, err := v1.ParsePlatform(s); err == nil && p.OS != "" && p.Architecture != "" {
			out = append(out, *p)
		}
	}
	return out
}
