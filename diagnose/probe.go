package diagnose

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// registryFacts is what the registry answered to a pull with the pod's own
// effective credentials.
type registryFacts struct {
	*registry.Outcome
	secret string // the secret whose credential was sent, "" when anonymous
	ref    string // the registry host
}

func (t *Target) registryProbe(ctx context.Context) (*registryFacts, error) {
	return t.probe.get(func() (*registryFacts, error) {
		ref, err := t.reference(ctx)
		if err != nil {
			return nil, err
		}
		cf, err := t.credential(ctx)
		if err != nil {
			return nil, err
		}
		plat, _ := t.platform(ctx)
		req := registry.Request{Ref: ref, Platform: plat.Platform}
		rf := &registryFacts{ref: ref.Context().RegistryStr()}
		if cf.found {
			req.Auth, rf.secret = cf.cred.Authenticator(), cf.secret
		}
		rf.Outcome = t.e.opts.Registry.Probe(ctx, req)
		if rf.Err != nil {
			t.e.opts.Logger.Debug("registry probe", "image", ref.String(), "stage", rf.Stage, "problem", rf.Problem, "err", rf.Err)
		}
		return rf, nil
	})
}

// platformFacts is the OS/architecture of the pod's node.
type platformFacts struct {
	v1.Platform
	source string
}

func (t *Target) platform(ctx context.Context) (platformFacts, error) {
	return t.nodePlatform.get(func() (platformFacts, error) {
		def := platformFacts{Platform: v1.Platform{OS: "linux", Architecture: "amd64"}, source: "assumed"}
		pf, err := t.podFacts(ctx)
		if err != nil {
			return def, err
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
		info := node.Status.NodeInfo
		if info.Architecture == "" {
			return def, nil
		}
		return platformFacts{Platform: v1.Platform{OS: info.OperatingSystem, Architecture: info.Architecture},
			source: fmt.Sprintf("node %s", nodeName)}, nil
	})
}
