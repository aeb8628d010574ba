package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/pullerr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkRateLimited: a registry may refuse pulls with 429 / TOOMANYREQUESTS:
// Docker Hub's pull limits count per source IP, and every node behind a
// shared NAT gateway or public gateway counts as one.
func checkRateLimited(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	host := hubName(rf.registryHost())
	node, nodeSaid := t.nodePullError(ctx)
	nodeLimited := nodeSaid && node.class == pullerr.RateLimited
	probeLimited := rf.Problem == registry.ProblemTooManyRequests
	var facts []Fact
	if rl := rf.RateLimit; rl.Remaining != "" {
		facts = append(facts, fact("ratelimit-remaining", "%s (limit %s)", rl.Remaining, orNone(rl.Limit)))
	}
	if !nodeLimited && !probeLimited {
		return pass(fmt.Sprintf("registry %s did not rate-limit the pull", host), facts...)
	}
	if probeLimited {
		facts = append([]Fact{fact("pullcheck", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200))}, facts...)
	}
	if nodeSaid {
		pf, _ := t.podFacts(ctx)
		facts = append(facts, node.fact(pf.pod.Spec.NodeName))
	}
	return fail(fmt.Sprintf("registry %s rate-limits the pulls (429 Too Many Requests)", host), rateLimitRemedies(ctx, t, rf), facts...)
}

// rateLimitRemedies: authenticated pulls get a higher limit; an image kept
// in the account's own registry is not limited at all.
func rateLimitRemedies(ctx context.Context, t *Target, rf *registryFacts) []Remedy {
	ns, host := t.Request.Namespace, hubName(rf.registryHost())
	image := host + "/<repository>:<tag>"
	if pf, err := t.podFacts(ctx); err == nil {
		image = pf.container.Image
	}
	server, secret := host, registryLabel(host)+"-pull"
	if host == "docker.io" {
		server, secret = "https://index.docker.io/v1/", "dockerhub-pull"
	}
	return []Remedy{
		manualRemedy("Mirror the image into IBM Cloud Container Registry",
			"Copies the image into your own icr.io namespace, which has no pull rate limit; then point the workload at the copy.",
			fmt.Sprintf("crane copy %s us.icr.io/<namespace>/<repository>:<tag>", image)),
		manualRemedy("Authenticate the pulls", "An account's pulls get a higher limit than anonymous pulls from a shared IP.",
			fmt.Sprintf("kubectl create secret docker-registry %s -n %s --docker-server=%s --docker-username=<user> --docker-password=<access token> && kubectl patch -n %s serviceaccount/default --type=json -p '[{\"op\":\"add\",\"path\":\"/imagePullSecrets/-\",\"value\":{\"name\":\"%s\"}}]'",
				secret, ns, server, ns, secret)),
		manualRemedy("Use a pull-through cache", "A registry mirror in front of the public registry serves repeated pulls from the cluster.",
			"configure a registry mirror for the registry in the workers' containerd (hosts.toml), or mirror images in CI"),
	}
}

// hubName shows Docker Hub as people write it: go-containerregistry talks to
// index.docker.io, containerd to registry-1.docker.io, images say docker.io.
func hubName(host string) string {
	switch host {
	case "index.docker.io", "registry-1.docker.io":
		return "docker.io"
	}
	return host
}

// registryLabel is a host usable in a Kubernetes name ("quay.io" → "quay-io").
func registryLabel(host string) string {
	out := []byte(icrHostOnly(host))
	for i, c := range out {
		if c == '.' {
			out[i] = '-'
		}
	}
	return string(out)
}
