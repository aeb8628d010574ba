package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/pullerr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkRegistryReachable: the node must reach the registry. pullcheck runs
// elsewhere than the node, and the two can differ (network, DNS, private
// endpoints, egress rules): the node's latest pull error decides, pullcheck's
// own probe is the other side's evidence, and the result says which side saw
// what. Without the node's word, pullcheck's failure alone decides nothing.
func checkRegistryReachable(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	host := rf.registryHost()
	pf, _ := t.podFacts(ctx)
	nodeName := ""
	if pf != nil {
		nodeName = pf.pod.Spec.NodeName
	}
	node, nodeSaid := t.nodePullError(ctx)
	ours := fact("pullcheck", "%s", probeSide(rf))
	facts := []Fact{fact("registry", "%s", host), ours}
	if rf.route != "" {
		facts = append(facts, fact("route", "%s", rf.route))
	}
	switch {
	case nodeSaid:
		facts = append(facts, node.fact(nodeName))
	case pf != nil:
		facts = append(facts, t.kubeletEvidence(ctx, pf.container)...)
	}
	unreachable := rf.Problem == registry.ProblemUnreachable
	switch {
	case nodeSaid && node.class.Network() && unreachable:
		return fail(fmt.Sprintf("registry %s is unreachable from the node (%s) and from pullcheck (%s)", host, node.class, rf.Network),
			networkRemedies(t.Request.Namespace, host, node.class), facts...)
	case nodeSaid && node.class.Network():
		return fail(fmt.Sprintf("node %s cannot reach registry %s (%s), while pullcheck can", orNone(nodeName), host, node.class),
			networkRemedies(t.Request.Namespace, host, node.class), facts...)
	case !unreachable:
		return pass("registry "+host+" answered", facts...)
	case nodeSaid:
		return pass(fmt.Sprintf("the node reached registry %s (it answered: %s); pullcheck could not (%s)", host, node.class, rf.Network), facts...)
	}
	return Result{Status: Inconclusive, Remedies: networkRemedies(t.Request.Namespace, host, pullerr.Unknown), Evidence: facts,
		Summary: fmt.Sprintf("pullcheck cannot reach %s (%s); the worker nodes may still (private endpoint, firewall)", host, rf.Network)}, nil
}

// probeSide is pullcheck's side of the story in a few words.
func probeSide(rf *registryFacts) string {
	if rf.Problem == registry.ProblemUnreachable {
		return fmt.Sprintf("cannot reach it (%s): %s", rf.Network, truncate(rf.detail(), 200))
	}
	if rf.Stage == registry.StageDone {
		return "reached it and pulled the image's manifest and config"
	}
	if rf.StatusCode != 0 {
		return fmt.Sprintf("reached it (HTTP %d at %s)", rf.StatusCode, rf.Stage)
	}
	return fmt.Sprintf("reached it (%s)", rf.Stage)
}

// networkRemedies fit the kind of network failure the node met.
func networkRemedies(ns, host string, class pullerr.Class) []Remedy {
	var out []Remedy
	if class == pullerr.NetworkDNS {
		out = append(out, manualRemedy("Check the node's DNS", "containerd resolves registry names with the node's resolver (on VPC 161.26.0.10 and .11), not the cluster DNS service.",
			fmt.Sprintf("kubectl debug node/<node> -it --image=busybox -- nslookup %s", host)))
	}
	out = append(out,
		manualRemedy("Check the worker subnet's way to the registry",
			"Public icr.io domains need a public gateway on the worker subnet (or a VPE); private.*.icr.io needs IBM's service network 166.8.0.0/14 allowed by the subnet's ACL and the workers' security group.",
			"ibmcloud ks worker get --cluster <cluster> --worker <worker> && ibmcloud is subnet <subnet> && ibmcloud is network-acl <acl> && ibmcloud is security-group <sg>"),
		manualRemedy("Check egress policies in the cluster", "Calico and NetworkPolicy egress rules can block the node's pulls.",
			"kubectl get networkpolicies -A && calicoctl get globalnetworkpolicy -o wide"),
		manualRemedy("Test the path from a pod", "Runs curl against the registry from inside the cluster.",
			fmt.Sprintf("kubectl run -n %s pullcheck-netcheck --rm -it --restart=Never --image=curlimages/curl -- curl -sv https://%s/v2/", ns, host)))
	return out
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
