package sandbox

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// These tests check the facts each field case's diagnosis relies on, as
// the real clients see them: pullcheck's IBM client, go-containerregistry
// and the Kubernetes API.

func newTestWorld(t *testing.T, opts ...Option) *World {
	t.Helper()
	w, err := NewWorld(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

func (w *World) ibm() *ibmcloud.Client {
	return ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: w.Transport(), Timeout: 20 * time.Second}, w.BotKey)
}

// get fetches a manifest as the registry answers it, without retries.
func (w *World) get(t *testing.T, ref string, auth authn.Authenticator) error {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	_, err = remote.Get(r, remote.WithAuth(auth), remote.WithTransport(w.Transport()), remote.WithRetryBackoff(remote.Backoff{Steps: 1}))
	return err
}

func iamapikey(key string) authn.Authenticator {
	return &authn.Basic{Username: "iamapikey", Password: key}
}

// wantRegistryError checks the status and first error of a registry answer.
func wantRegistryError(t *testing.T, err error, status int, code, msg string) {
	t.Helper()
	var te *transport.Error
	if !errors.As(err, &te) || te.StatusCode != status || len(te.Errors) == 0 ||
		string(te.Errors[0].Code) != code || (msg != "" && te.Errors[0].Message != msg) {
		t.Errorf("registry answer %v, want %d %s %q", err, status, code, msg)
	}
}

func TestPrivateOnlyCluster(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []Option
		want bool
	}{{"default", nil, false}, {"private only", []Option{WithPrivateOnlyCluster()}, true}} {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := newTestWorld(t, tt.opts...).ibm().Cluster(context.Background(), ClusterName)
			if err != nil {
				t.Fatal(err)
			}
			if cl.PrivateOnly() != tt.want || cl.PrivateServiceEndpoint == nil || !*cl.PrivateServiceEndpoint {
				t.Errorf("PrivateOnly() = %v, want %v (%+v)", cl.PrivateOnly(), tt.want, cl)
			}
		})
	}
}

// TestPrivateClusterScenario: the nodes of a private-only cluster reach the
// private-only account over private.us.icr.io, where the tag is missing.
func TestPrivateClusterScenario(t *testing.T) {
	w := newTestWorld(t, WithPrivateOnlyCluster())
	privateCluster(w)
	key := keyValue("vault-puller")
	wantRegistryError(t, w.get(t, "private.us.icr.io/vault/app:1.1", iamapikey(key)), 404, "MANIFEST_UNKNOWN", "")
	wantRegistryError(t, w.get(t, "us.icr.io/vault/app:1.1", iamapikey(key)), 403, "DENIED", "")
	if err := w.get(t, "private.us.icr.io/vault/app:1.0", iamapikey(key)); err != nil {
		t.Errorf("private.us.icr.io/vault/app:1.0: %v", err)
	}
}

// TestEuroScenario: us.icr.io denies shop-eu as if unauthorised; the
// cluster's key finds the namespace in eu-de, where the image is.
func TestEuroScenario(t *testing.T) {
	w := newTestWorld(t)
	euro(w)
	wantRegistryError(t, w.get(t, "us.icr.io/shop-eu/web:1.0", iamapikey(w.ClusterKey)), 403, "DENIED", "You are not authorized to access the specified resource.")
	found, err := w.ibm().NamespaceRegions(context.Background(), "shop-eu", "", w.ClusterKey)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"eu-de"}, found); diff != "" {
		t.Errorf("NamespaceRegions (-want +got):\n%s", diff)
	}
	if err := w.get(t, "de.icr.io/shop-eu/web:1.0", iamapikey(w.ClusterKey)); err != nil {
		t.Errorf("de.icr.io/shop-eu/web:1.0: %v", err)
	}
}

// TestOsakaScenario: jp-osa denies pulls with the other quota wording;
// jp-tok keeps the usual one.
func TestOsakaScenario(t *testing.T) {
	w := newTestWorld(t)
	osaka(w)
	r, _ := name.ParseReference("jp2.icr.io/shop-osa/web:1.0")
	img, err := remote.Image(r, remote.WithAuth(iamapikey(w.ClusterKey)), remote.WithTransport(w.Transport()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = img.RawConfigFile() // blobs count as pull traffic
	wantRegistryError(t, err, 403, "DENIED", trafficDeniedMonthly)
	q, err := w.ibm().Quota(context.Background(), "jp-osa", ClusterAccount)
	if err != nil || !q.TrafficExceeded() {
		t.Errorf("jp-osa quota %+v, %v; want traffic exceeded", q, err)
	}
}

// TestHubScenario: Docker Hub refuses nginx's manifest; icr.io is not limited.
func TestHubScenario(t *testing.T) {
	w := newTestWorld(t)
	if err := w.get(t, nginxImage, authn.Anonymous); err != nil {
		t.Fatalf("before the limit: %v", err)
	}
	hub(w)
	wantRegistryError(t, w.get(t, nginxImage, authn.Anonymous), 429, "TOOMANYREQUESTS",
		"You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit")
	if err := w.get(t, "us.icr.io/shop/web:1.0", iamapikey(w.ClusterKey)); err != nil {
		t.Errorf("us.icr.io while Docker Hub is limited: %v", err)
	}
}

// TestSignedScenario: a Deployment and its ReplicaSet, no pod, and the
// replicaset-controller's FailedCreate warning.
func TestSignedScenario(t *testing.T) {
	w := newTestWorld(t)
	pod := signed(w)
	ctx := context.Background()
	if _, err := w.Kube.CoreV1().Pods("signed").Get(ctx, pod, metav1.GetOptions{}); err == nil {
		t.Errorf("pod %s exists", pod)
	}
	rss, err := w.Kube.AppsV1().ReplicaSets("signed").List(ctx, metav1.ListOptions{})
	if err != nil || len(rss.Items) != 1 {
		t.Fatalf("replica sets %v, %v", rss, err)
	}
	rs := rss.Items[0]
	if pod[:len(rs.Name)+1] != rs.Name+"-" || len(pod) != len(rs.Name)+6 || *rs.Spec.Replicas != 1 || rs.Status.Replicas != 0 {
		t.Errorf("pod %s of replica set %s (want %d, has %d)", pod, rs.Name, *rs.Spec.Replicas, rs.Status.Replicas)
	}
	evs, err := w.Kube.CoreV1().Events("signed").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs.Items {
		got = append(got, e.InvolvedObject.Kind+" "+e.Type+" "+e.Reason+" "+e.Source.Component+": "+e.Message)
	}
	want := []string{
		"Deployment Normal ScalingReplicaSet deployment-controller: Scaled up replica set " + rs.Name + " from 0 to 1",
		"ReplicaSet Warning FailedCreate replicaset-controller: " + portierisDenied,
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestNeverScenario: the pod and events of imagePullPolicy Never.
func TestNeverScenario(t *testing.T) {
	w := newTestWorld(t)
	name := neverPull(w)
	ctx := context.Background()
	p, err := w.Kube.CoreV1().Pods("never").Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	msg := `Container image "us.icr.io/shop/web:1.0" is not present with pull policy of Never`
	want := corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull", Message: msg}
	if diff := cmp.Diff(&want, p.Status.ContainerStatuses[0].State.Waiting); diff != "" || p.Spec.Containers[0].ImagePullPolicy != corev1.PullNever {
		t.Errorf("policy %q, waiting (-want +got):\n%s", p.Spec.Containers[0].ImagePullPolicy, diff)
	}
	evs, err := w.Kube.CoreV1().Events("never").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs.Items {
		got = append(got, e.Reason+": "+e.Message)
	}
	if diff := cmp.Diff([]string{"ErrImageNeverPull: " + msg, "Failed: Error: ErrImageNeverPull"}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestDiskFullNode: the node reports DiskPressure; the others do not.
func TestDiskFullNode(t *testing.T) {
	w := newTestWorld(t)
	for node, want := range map[string]corev1.ConditionStatus{AMD64Node: corev1.ConditionFalse, ARM64Node: corev1.ConditionFalse, DiskFullNode: corev1.ConditionTrue} {
		n, err := w.Kube.CoreV1().Nodes().Get(context.Background(), node, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got corev1.NodeCondition
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeDiskPressure {
				got = c
			}
		}
		if got.Status != want || (want == corev1.ConditionTrue) != (got.Message == "kubelet has disk pressure" && got.Reason == "KubeletHasDiskPressure") {
			t.Errorf("%s: DiskPressure %+v, want %s", node, got, want)
		}
	}
}
