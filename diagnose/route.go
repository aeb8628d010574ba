package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// nodeRoute is the registry host the cluster's workers really pull from,
// when it is not the image's own host.
type nodeRoute struct {
	ref name.Reference
	via string // why, for evidence; "" when the nodes use the image's host
}

// startNodeRoute starts finding out, beside the registry probe, whether the
// nodes pull the image from another host: in a cluster with only the private
// cloud service endpoint IBM redirects the workers' pulls from public icr.io
// domains to private.<domain>, so the public domain's answer (a private-only
// account's refusal, a firewall) is not what the nodes meet. The returned
// function waits for the answer.
func (t *Target) startNodeRoute(ctx context.Context, ref name.Reference) func() nodeRoute {
	h, ok := icr.Lookup(ref.Context().RegistryStr())
	if !ok || h.Private || h.IsDeprecated {
		return func() nodeRoute { return nodeRoute{} }
	}
	done := make(chan nodeRoute, 1)
	go func() { done <- t.nodeRoute(ctx, ref, h) }()
	return func() nodeRoute { return <-done }
}

func (t *Target) nodeRoute(ctx context.Context, ref name.Reference, h icr.Host) nodeRoute {
	cs := t.clusterState(ctx)
	if cs.err != nil || cs.cluster == nil || !cs.cluster.PrivateOnly() {
		return nodeRoute{}
	}
	private := "private." + h.Host
	r, err := name.ParseReference(strings.Replace(ref.Name(), ref.Context().RegistryStr(), private, 1))
	if err != nil {
		return nodeRoute{}
	}
	return nodeRoute{ref: r, via: fmt.Sprintf("%s (cluster %s has only the private service endpoint: IBM redirects its workers' pulls from %s)",
		private, cs.cluster.Name, h.Host)}
}

// endpointsFact says which service endpoints the cluster has, for evidence.
func (t *Target) endpointsFact(ctx context.Context) (Fact, bool) {
	cs := t.clusterState(ctx)
	if cs.err != nil || cs.cluster == nil {
		return Fact{}, false
	}
	c := cs.cluster
	switch {
	case c.PrivateOnly():
		return fact("cluster "+c.Name, "only the private service endpoint: the workers pull from private.*.icr.io"), true
	case c.PublicServiceEndpoint != nil && *c.PublicServiceEndpoint:
		return fact("cluster "+c.Name, "public service endpoint enabled: the workers pull from the image's own domain"), true
	}
	return Fact{}, false
}
