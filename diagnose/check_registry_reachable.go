package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// networkClasses are the kubelet classes that agree with "unreachable".
var networkClasses = map[string]bool{
	"registry host not found (DNS)": true, "TLS certificate problem": true, "TLS problem": true,
	"network timeout": true, "connection refused": true,
}

// checkRegistryReachable: pullcheck must reach the registry. It is the cause
// only when the kubelet reports a network failure too: pullcheck's network
// may differ from the workers' (private endpoints, firewalls).
func checkRegistryReachable(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	host := rf.registryHost()
	if rf.Problem != registry.ProblemUnreachable {
		return pass("registry "+host+" answered", fact("registry", "%s", host))
	}
	facts := []Fact{fact("registry", "%s", host), fact("network", "%s: %s", rf.Network, truncate(rf.detail(), 200))}
	pf, _ := t.podFacts(ctx)
	kubeletAgrees := false
	if pf != nil {
		facts = append(facts, t.kubeletEvidence(ctx, pf.container)...)
		kubeletAgrees = networkClasses[classifyKubelet(pf.container.Message)]
		evs, _ := t.kubeletEvents(ctx)
		for _, ev := range evs {
			kubeletAgrees = kubeletAgrees || networkClasses[ev.Class]
		}
	}
	note := manualRemedy("Check the workers' network path to the registry",
		"Private-only clusters need the private endpoint (private.<region>.icr.io); worker firewalls must allow *.icr.io.",
		fmt.Sprintf("kubectl run -n %s pullcheck-netcheck --rm -it --restart=Never --image=curlimages/curl -- curl -sv https://%s/v2/", t.Request.Namespace, host))
	if kubeletAgrees {
		return fail(fmt.Sprintf("registry %s is unreachable (%s), from pullcheck and from the node", host, rf.Network), []Remedy{note}, facts...)
	}
	return Result{Status: Inconclusive, Remedies: []Remedy{note}, Evidence: facts,
		Summary: fmt.Sprintf("pullcheck cannot reach %s (%s); the worker nodes may still (private endpoint, firewall)", host, rf.Network)}, nil
}

// detail is the registry's message, else the (credential-free) error.
func (rf *registryFacts) detail() string {
	switch {
	case rf.Message != "":
		return rf.Message
	case rf.Err != nil:
		return rf.Err.Error()
	}
	return ""
}

func (rf *registryFacts) registryHost() string {
	if rf.ref == "" {
		return "the registry"
	}
	return rf.ref
}
