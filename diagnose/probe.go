package diagnose

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// registryFacts is what the registry answered to a pull with the pod's own
// credentials: the attempt that got furthest (the kubelet's pull succeeds
// if any credential works), and every attempt.
type registryFacts struct {
	*registry.Outcome
	secret string // the secret whose credential was sent, "" when anonymous
	ref    string // the registry host probed
	chosen tryCred
	// attempts are every credential tried, in the kubelet's order; one
	// anonymous attempt when no credential matches.
	attempts []attempt
	// route says where the nodes pull from when it is not the image's own
	// host (a private-only cluster's redirect), "" otherwise.
	route string
}

// attempt is one credential and what the registry answered to it.
type attempt struct {
	try tryCred
	out *registry.Outcome
}

func (t *Target) registryProbe(ctx context.Context) (*registryFacts, error) {
	return t.probe.get(func() (*registryFacts, error) {
		ref, err := t.reference(ctx)
		if err != nil {
			return nil, err
		}
		tries, _, err := t.candidates(ctx)
		if err != nil {
			return nil, err
		}
		t.prefetchKeys(ctx, tries)
		plat, _ := t.platform(ctx)
		route := t.startNodeRoute(ctx, ref)
		rf := t.probeAll(ctx, ref, tries, plat.Platform)
		if r := route(); r.via != "" {
			// The nodes never pull from the public host: ask the one they use.
			rf = t.probeAll(ctx, r.ref, tries, plat.Platform)
			rf.route = r.via
		}
		return rf, nil
	})
}

// probeAll probes ref with every credential side by side and keeps the
// attempt that got furthest, the first of equals.
func (t *Target) probeAll(ctx context.Context, ref name.Reference, tries []tryCred, plat v1.Platform) *registryFacts {
	rf := &registryFacts{ref: ref.Context().RegistryStr()}
	if len(tries) == 0 {
		tries = []tryCred{{}} // anonymous
	}
	rf.attempts = make([]attempt, len(tries))
	var wg sync.WaitGroup
	for i, c := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := registry.Request{Ref: ref, Platform: plat}
			if c.secret != "" {
				req.Auth = c.cred.Authenticator()
			}
			out := t.e.opts.Registry.Probe(ctx, req)
			if out.Err != nil {
				t.e.opts.Logger.Debug("registry probe", "image", ref.String(), "secret", c.secret, "stage", out.Stage, "problem", out.Problem, "err", out.Err)
			}
			rf.attempts[i] = attempt{try: c, out: out}
		}()
	}
	wg.Wait()
	best := 0
	for i, a := range rf.attempts {
		if progress(a.out) > progress(rf.attempts[best].out) {
			best = i
		}
	}
	rf.Outcome, rf.chosen, rf.secret = rf.attempts[best].out, rf.attempts[best].try, rf.attempts[best].try.secret
	return rf
}

// stageOrder ranks how far a pull got.
var stageOrder = map[registry.Stage]int{registry.StagePing: 1, registry.StageLogin: 2, registry.StageManifest: 3,
	registry.StagePlatform: 4, registry.StageConfig: 5, registry.StageDone: 6}

// progress ranks an outcome: further stages first; at the manifest, an
// answer about the image (not found) beats a refusal.
func progress(o *registry.Outcome) int {
	p := stageOrder[o.Stage] * 10
	switch o.Problem {
	case registry.ProblemUnreachable:
		return 0
	case registry.ProblemNameUnknown, registry.ProblemManifestUnknown:
		p += 5
	}
	return p
}

// failedAttempts describes the attempts other than the chosen one that
// failed, for evidence.
func (rf *registryFacts) failedAttempts() []Fact {
	if len(rf.attempts) < 2 {
		return nil
	}
	var facts []Fact
	for i, a := range rf.attempts {
		facts = append(facts, fact(fmt.Sprintf("credential %d of %d", i+1, len(rf.attempts)), "%s: %s", a.try.describe(), outcomeText(a.out)))
	}
	return facts
}

// outcomeText says in a few words how a probe ended.
func outcomeText(o *registry.Outcome) string {
	switch {
	case o.Stage == registry.StageDone:
		return "pulled the manifest and config"
	case o.Problem == registry.ProblemUnreachable:
		return "unreachable (" + o.Network + ")"
	case o.StatusCode != 0:
		return strings.TrimSpace(fmt.Sprintf("%s at %s: HTTP %d %s %s", o.Problem, o.Stage, o.StatusCode, o.Code, truncate(o.Message, 120)))
	}
	return fmt.Sprintf("%s at %s", o.Problem, o.Stage)
}

// platformFacts is the OS/architecture of the pod's node.
type platformFacts struct {
	v1.Platform
	source string
	// diskPressure is the node's DiskPressure condition when it is True.
	diskPressure *corev1.NodeCondition
}

func (t *Target) platform(ctx context.Context) (platformFacts, error) {
	return t.nodePlatform.get(func() (platformFacts, error) {
		def := platformFacts{Platform: v1.Platform{OS: "linux", Architecture: "amd64"}, source: "assumed"}
		pf, err := t.podFacts(ctx)
		if err != nil {
			return def, err
		}
		if want := t.Request.nodePlatforms(); len(want) > 0 {
			return platformFacts{Platform: want[0], source: preflightNodes}, nil
		}
		if sel := pf.pod.Spec.NodeSelector; sel["kubernetes.io/arch"] != "" {
			def = platformFacts{Platform: v1.Platform{OS: "linux", Architecture: sel["kubernetes.io/arch"]}, source: "node selector"}
			if sel["kubernetes.io/os"] != "" {
				def.OS = sel["kubernetes.io/os"]
			}
		}
		nodeName := pf.pod.Spec.NodeName
		if nodeName == "" {
			return def, nil
		}
		node, err := t.e.opts.Kube.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return def, nil
		}
		if err != nil {
			return def, t.kubeError(err, "get", "nodes", "(cluster)", "learn the node's OS and architecture")
		}
		for i, c := range node.Status.Conditions {
			if c.Type == corev1.NodeDiskPressure && c.Status == corev1.ConditionTrue {
				def.diskPressure = &node.Status.Conditions[i]
			}
		}
		info := node.Status.NodeInfo
		if info.Architecture == "" {
			return def, nil
		}
		return platformFacts{Platform: v1.Platform{OS: info.OperatingSystem, Architecture: info.Architecture},
			source: fmt.Sprintf("node %s", nodeName), diskPressure: def.diskPressure}, nil
	})
}
