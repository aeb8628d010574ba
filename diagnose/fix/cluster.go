package fix

import (
	"context"
	"regexp"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// applyClusterPullSecret is apply-cluster-pull-secret: it asks the IBM
// Cloud Kubernetes Service to re-create the cluster's image pull secrets
// (`ibmcloud ks cluster pull-secret apply`), for the cluster in Args
// "cluster" or, without one, the cluster pullcheck runs in.
//
// It is disruptive: the service re-creates the cluster's service ID, its
// Reader policy and API key, and resets any custom IAM policies of that
// service ID. The service works asynchronously, so the new default/all-icr-io
// appears some time after Apply returns; the re-diagnosis follows it up.
type applyClusterPullSecret struct {
	ibm     *ibmcloud.Client
	cluster string
}

var _ Fixer = (*applyClusterPullSecret)(nil)

// clusterRef matches IBM Cloud cluster IDs and names: a button value is
// echoed in the summary, so it is checked before use.
var clusterRef = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// Apply calls the Kubernetes Service API, or, for a dry run, says what it
// would call. Its errors are the typed, user-safe errors of package
// ibmcloud (*ibmcloud.PermissionError when pullcheck's key lacks Operator on
// Kubernetes Service), returned as they are.
func (f *applyClusterPullSecret) Apply(ctx context.Context, req Request) (Result, error) {
	cluster := req.arg("cluster", f.cluster)
	switch {
	case cluster == "":
		return Result{}, refuse("cluster ID unknown: set PULLCHECK_CLUSTER")
	case !clusterRef.MatchString(cluster):
		return Result{}, refuse("%q is not a cluster ID or name", cluster)
	case !f.ibm.HasBotKey():
		return Result{}, refuse("pullcheck has no IBM Cloud API key (IBMCLOUD_API_KEY): run `ibmcloud ks cluster pull-secret apply --cluster %s`", cluster)
	}
	if req.DryRun {
		return req.result(false, "would call the Kubernetes Service API enablePullSecret for cluster %s "+
			"(it resets custom IAM policies of the cluster's service ID)", cluster), nil
	}
	if err := f.ibm.EnablePullSecret(ctx, cluster); err != nil {
		return Result{}, err
	}
	return req.result(true, "asked the Kubernetes Service to re-apply the pull secret of cluster %s; "+
		"the service re-creates default/all-icr-io asynchronously", cluster), nil
}
