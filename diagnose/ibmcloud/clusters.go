package ibmcloud

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
)

// Listed is a cluster as the Kubernetes Service lists it: less than
// Cluster says, and the same for classic and VPC clusters.
type Listed struct {
	ID, Name, Region, ResourceGroup string
	// Provider is "classic", "vpc-gen2", "satellite", …
	Provider string
	// State is the cluster's lifecycle state ("normal", "deploying", …).
	State string
	// ServerURLs are the URLs its API server answers at, as the service
	// names them (the master URL, the public and the private service
	// endpoint); a kubeconfig's server is matched against them.
	ServerURLs []string
	// PullSecretApplied is reported by the classic listing only; nil
	// otherwise (Cluster tells).
	PullSecretApplied *bool
}

// Clusters lists every cluster of pullcheck's account that its key may see
// (needs Viewer on Kubernetes Service): the classic listing (GET
// /v1/clusters) and the VPC one (GET /v2/vpc/getClusters), one entry per
// cluster ID, sorted by name.
func (c *Client) Clusters(ctx context.Context) ([]Listed, error) {
	svc, err := c.kubernetes(ctx)
	if err != nil {
		return nil, wrap(err, "listing clusters")
	}
	k := call{api: apiKubernetes, base: c.ep.Containers, perm: permGetCluster}
	classic, resp, err := svc.GetClustersWithContext(ctx, &kubernetesserviceapiv1.GetClustersOptions{})
	if err != nil {
		return nil, wrap(c.fail(ctx, k, resp, err), "listing classic clusters")
	}
	vpc, resp, err := svc.VpcGetClustersWithContext(ctx, &kubernetesserviceapiv1.VpcGetClustersOptions{})
	if err != nil {
		return nil, wrap(c.fail(ctx, k, resp, err), "listing VPC clusters")
	}
	return mergeListings(classic, vpc), nil
}

// mergeListings keeps one entry per cluster ID: the VPC listing's, with
// what only the classic listing says (its pull-secret state, its URLs).
func mergeListings(classic []kubernetesserviceapiv1.Cluster, vpc []kubernetesserviceapiv1.GetClustersResponse) []Listed {
	byID := map[string]*Listed{}
	var out []*Listed
	add := func(l Listed) {
		if prev, ok := byID[l.ID]; ok {
			prev.ServerURLs = urls(append(prev.ServerURLs, l.ServerURLs...)...)
			if prev.PullSecretApplied == nil {
				prev.PullSecretApplied = l.PullSecretApplied
			}
			return
		}
		byID[l.ID] = &l
		out = append(out, &l)
	}
	for _, v := range vpc {
		add(Listed{ID: deref(v.ID), Name: deref(v.Name), Region: deref(v.Region), ResourceGroup: deref(v.ResourceGroup),
			Provider: deref(v.Provider), State: deref(v.State), ServerURLs: urls(deref(v.MasterURL))})
	}
	for _, v := range classic {
		add(Listed{ID: deref(v.ID), Name: deref(v.Name), Region: deref(v.Region), ResourceGroup: deref(v.ResourceGroup),
			Provider: "classic", State: deref(v.State), PullSecretApplied: v.PullSecretApplied,
			ServerURLs: urls(deref(v.ServerURL), deref(v.PublicServiceEndpointURL), deref(v.PrivateServiceEndpointURL))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	list := make([]Listed, len(out))
	for i, l := range out {
		list[i] = *l
	}
	return list
}

// urls drops empty and repeated URLs, and trailing slashes.
func urls(us ...string) []string {
	var out []string
	for _, u := range us {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}
