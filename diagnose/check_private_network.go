package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/icr"
	"github.com/pullcheck/pullcheck/diagnose/pullerr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkPrivateNetwork: an account with private-only access refuses pulls
// over the public network.
func checkPrivateNetwork(ctx context.Context, t *Target) (Result, error) {
	ref, host, err := t.icrImage(ctx)
	if err != nil {
		return Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	pf, _ := t.podFacts(ctx)
	kubeletSays := pf != nil && pullerr.Classify(pf.container.Message) == pullerr.PrivateOnly
	if rf.route != "" {
		return pass("the nodes pull over the private network", fact("route", "%s", rf.route))
	}
	if rf.Problem != registry.ProblemPrivateOnly && !kubeletSays {
		return passOrSkipAfterRegistry(rf, "the registry did not require the private network")
	}
	private := "private." + host.Host
	image := strings.Replace(ref.Name(), ref.Context().RegistryStr(), private, 1)
	fix := manualRemedy("Pull through "+private, "Points the container at the registry's private endpoint.",
		fmt.Sprintf("kubectl set image -n %s <deployment>/<name> <container>=%s", t.Request.Namespace, image))
	msg := rf.Message
	if rf.Problem != registry.ProblemPrivateOnly {
		msg = pf.container.Message
	}
	facts := []Fact{fact("registry", "%s", truncate(msg, 300)), fact("image host", "%s (private: %t)", host.Host, host.Private || isPrivate(ref.Context().RegistryStr()))}
	if f, ok := t.endpointsFact(ctx); ok {
		facts = append(facts, f)
	}
	return fail(fmt.Sprintf("the registry account accepts pulls only over the private network (%s)", private), []Remedy{fix}, facts...)
}

func isPrivate(host string) bool {
	h, ok := icr.Lookup(host)
	return ok && h.Private
}
