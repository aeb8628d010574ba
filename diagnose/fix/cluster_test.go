package fix

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestApplyClusterPullSecret runs the fixer through the real ibmcloud
// client against the sandbox's emulated IBM Cloud.
func TestApplyClusterPullSecret(t *testing.T) {
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var mu sync.Mutex
	var enabled []string
	w.Cloud.OnEnablePullSecret(func(id string) {
		mu.Lock()
		defer mu.Unlock()
		enabled = append(enabled, id)
	})
	viewer, iam := w.ServiceIDKey(sandbox.ClusterAccount, "viewer-only")
	w.Grant(sandbox.ClusterAccount, iam, sandbox.ViewerRole, "containers-kubernetes")
	const name = sandbox.ClusterName
	tests := []struct {
		name         string
		key, cluster string
		args         map[string]string
		dry          bool
		want         Result
		err          error
		// enabled are the clusters whose pull secret the cloud re-applied.
		enabled []string
	}{{
		name: "asks the Kubernetes Service to re-apply the pull secret",
		key:  w.BotKey, cluster: sandbox.ClusterID,
		want: Result{Action: diagnose.ApplyClusterPullSecret, Changed: true, Summary: "asked the Kubernetes Service to re-apply the pull secret of cluster " +
			sandbox.ClusterID + "; the service re-creates default/all-icr-io asynchronously"},
		enabled: []string{sandbox.ClusterID},
	}, {
		name: "the request's cluster wins over the default",
		key:  w.BotKey, cluster: "other-cluster", args: map[string]string{"cluster": name},
		want: Result{Action: diagnose.ApplyClusterPullSecret, Changed: true, Summary: "asked the Kubernetes Service to re-apply the pull secret of cluster " +
			name + "; the service re-creates default/all-icr-io asynchronously"},
		enabled: []string{sandbox.ClusterID},
	}, {
		name: "dry run calls nothing",
		key:  w.BotKey, cluster: sandbox.ClusterID, dry: true,
		want: Result{Action: diagnose.ApplyClusterPullSecret, DryRun: true, Summary: "would call the Kubernetes Service API enablePullSecret for cluster " +
			sandbox.ClusterID + " (it resets custom IAM policies of the cluster's service ID)"},
	}, {
		name: "no cluster is a refusal",
		key:  w.BotKey,
		err:  &PreconditionError{Msg: "cluster ID unknown: set PULLCHECK_CLUSTER"},
	}, {
		name: "a cluster argument that is no cluster ID is a refusal",
		key:  w.BotKey, args: map[string]string{"cluster": "a b/../c"},
		err: &PreconditionError{Msg: `"a b/../c" is not a cluster ID or name`},
	}, {
		name:    "no API key is a refusal",
		cluster: sandbox.ClusterID,
		err: &PreconditionError{Msg: "pullcheck has no IBM Cloud API key (IBMCLOUD_API_KEY): run " +
			"`ibmcloud ks cluster pull-secret apply --cluster " + sandbox.ClusterID + "`"},
	}, {
		name: "a key without Operator is refused by IBM Cloud",
		key:  viewer, cluster: sandbox.ClusterID,
		err: errors.New("enabling pull secret of cluster " + sandbox.ClusterID + ": Kubernetes Service: pullcheck's API key lacks " +
			"Operator on Kubernetes Service and Administrator on Container Registry (HTTP 403)"),
	}, {
		name: "an unknown cluster",
		key:  w.BotKey, cluster: "nope",
		err: errors.New("enabling pull secret of cluster nope: cluster nope not found"),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			enabled = nil
			mu.Unlock()
			ibm := ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: w.Transport()}, tt.key)
			req := Request{Action: diagnose.ApplyClusterPullSecret, Args: tt.args, DryRun: tt.dry, Actor: "U123"}
			res, err := New(w.Kube, ibm, tt.cluster).Apply(context.Background(), req)
			checkErr(t, err, tt.err)
			if diff := cmp.Diff(tt.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(tt.enabled, enabled); diff != "" {
				t.Errorf("clusters re-applied (-want +got):\n%s", diff)
			}
		})
	}
}

// TestApplyClusterPullSecretTypedErrors keeps IBM Cloud's typed errors
// reachable through errors.As, for callers that explain them.
func TestApplyClusterPullSecretTypedErrors(t *testing.T) {
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	key, _ := w.ServiceIDKey(sandbox.ClusterAccount, "no-policies")
	ibm := ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: w.Transport()}, key)
	_, err = New(w.Kube, ibm, sandbox.ClusterID).Apply(context.Background(), Request{Action: diagnose.ApplyClusterPullSecret, Actor: "cli"})
	var pe *ibmcloud.PermissionError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want *ibmcloud.PermissionError", err)
	}
	want := &ibmcloud.PermissionError{API: "Kubernetes Service",
		Permission: "Operator on Kubernetes Service and Administrator on Container Registry", Status: http.StatusForbidden}
	if diff := cmp.Diff(want, pe); diff != "" {
		t.Errorf("permission error (-want +got):\n%s", diff)
	}
}
