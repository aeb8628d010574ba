package ibmcloud

import (
	"context"
	"errors"
	"strings"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
)

// Cluster describes an IBM Cloud Kubernetes Service or Red Hat OpenShift
// cluster.
type Cluster struct {
	ID     string
	Name   string
	Region string
	// AccountID is taken from the "a/<account>" segment of the cluster CRN.
	AccountID     string
	ResourceGroup string
	// PullSecretApplied reports whether `ibmcloud ks cluster pull-secret
	// apply` has run; nil when the service did not say.
	PullSecretApplied *bool
	// PublicServiceEndpoint and PrivateServiceEndpoint report whether the
	// cluster has the public and the private cloud service endpoint; nil
	// when the service did not say.
	PublicServiceEndpoint, PrivateServiceEndpoint *bool
}

// PrivateOnly reports whether the cluster has only the private cloud service
// endpoint: private enabled and public explicitly disabled. In such a
// cluster IBM redirects the workers' pulls from the public icr.io domains to
// private.<domain>, so the nodes never reach the public registry.
func (c *Cluster) PrivateOnly() bool {
	return c.PrivateServiceEndpoint != nil && *c.PrivateServiceEndpoint &&
		c.PublicServiceEndpoint != nil && !*c.PublicServiceEndpoint
}

// errNoCluster rejects an empty cluster name before any request.
var errNoCluster = errors.New("empty cluster name or ID")

// Cluster looks a cluster up by name or ID with pullcheck's key (needs
// Viewer on Kubernetes Service). *NotFoundError when there is no such
// cluster in pullcheck's account.
func (c *Client) Cluster(ctx context.Context, cluster string) (*Cluster, error) {
	if cluster == "" {
		return nil, wrap(errNoCluster, "looking up cluster")
	}
	svc, err := c.kubernetes(ctx)
	if err != nil {
		return nil, wrap(err, "looking up cluster %s", cluster)
	}
	r, resp, err := svc.GetClusterWithContext(ctx, &kubernetesserviceapiv1.GetClusterOptions{Cluster: core.StringPtr(cluster)})
	if err != nil {
		k := call{api: apiKubernetes, base: c.ep.Containers, perm: permGetCluster, what: "cluster " + cluster}
		return nil, wrap(c.fail(ctx, k, resp, err), "looking up cluster %s", cluster)
	}
	out := &Cluster{
		ID: deref(r.ID), Name: deref(r.Name), Region: deref(r.Region),
		AccountID: crnAccount(deref(r.Crn)), ResourceGroup: deref(r.ResourceGroup),
	}
	if r.Features != nil {
		out.PullSecretApplied = r.Features.PullSecretApplied
	}
	if e := r.ServiceEndpoints; e != nil {
		out.PublicServiceEndpoint, out.PrivateServiceEndpoint = e.PublicServiceEndpointEnabled, e.PrivateServiceEndpointEnabled
	}
	return out, nil
}

// EnablePullSecret asks the Kubernetes Service to (re)create the cluster's
// image pull secrets (`ibmcloud ks cluster pull-secret apply`). The service
// works asynchronously; it resets the cluster's service ID, policy and API
// key. Needs Operator on Kubernetes Service and Administrator on Container
// Registry.
func (c *Client) EnablePullSecret(ctx context.Context, cluster string) error {
	if cluster == "" {
		return wrap(errNoCluster, "enabling pull secret")
	}
	svc, err := c.kubernetes(ctx)
	if err != nil {
		return wrap(err, "enabling pull secret of cluster %s", cluster)
	}
	resp, err := svc.V2EnablePullSecretWithContext(ctx, &kubernetesserviceapiv1.V2EnablePullSecretOptions{Cluster: core.StringPtr(cluster)})
	if err != nil {
		k := call{api: apiKubernetes, base: c.ep.Containers, perm: permPullSecret, what: "cluster " + cluster}
		return wrap(c.fail(ctx, k, resp, err), "enabling pull secret of cluster %s", cluster)
	}
	return nil
}

// kubernetes builds a Kubernetes Service client with pullcheck's key.
func (c *Client) kubernetes(ctx context.Context) (*kubernetesserviceapiv1.KubernetesServiceApiV1, error) {
	a, err := c.botAuth(ctx)
	if err != nil {
		return nil, err
	}
	svc, err := kubernetesserviceapiv1.NewKubernetesServiceApiV1(&kubernetesserviceapiv1.KubernetesServiceApiV1Options{
		URL: c.ep.Containers, Authenticator: a,
	})
	if err != nil {
		return nil, wrap(err, "configuring the Kubernetes Service client")
	}
	c.useClient(svc.Service)
	return svc, nil
}

// crnAccount returns the account ID in a CRN's scope segment
// ("crn:v1:bluemix:public:containers-kubernetes:us-south:a/<account>:<id>::"),
// or "" when the CRN has none.
func crnAccount(crn string) string {
	parts := strings.Split(crn, ":")
	if len(parts) < 7 {
		return ""
	}
	acct, ok := strings.CutPrefix(parts[6], "a/")
	if !ok {
		return ""
	}
	return acct
}
