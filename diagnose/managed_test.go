package diagnose_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

func TestManagedCopy(t *testing.T) {
	label := map[string]string{d.ManagedByLabel: d.ManagedBy}
	source := map[string]string{d.SourceAnnotation: "default/all-icr-io"}
	for _, tc := range []struct {
		name                string
		labels, annotations map[string]string
		want                bool
	}{
		{"label and source", label, source, true},
		{"label only", label, nil, false},
		{"label and an empty source", label, map[string]string{d.SourceAnnotation: ""}, false},
		{"source only", nil, source, false},
		{"another manager", map[string]string{d.ManagedByLabel: "argocd"}, source, false},
		{"neither", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := d.ManagedCopy(tc.labels, tc.annotations); got != tc.want {
				t.Errorf("ManagedCopy(%v, %v) = %t, want %t", tc.labels, tc.annotations, got, tc.want)
			}
		})
	}
}

// TestStaleCopyRemedies: only a copy that is pullcheck's by label and
// source annotation is offered sync-pull-secret; a copy with the label
// alone gets the manual replacement.
func TestStaleCopyRemedies(t *testing.T) {
	manual := "kubectl delete secret all-icr-io -n payments && kubectl get secret all-icr-io -n default -o yaml | " +
		"sed 's/namespace: default/namespace: payments/' | kubectl create -n payments -f -"
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		want        []d.Remedy
	}{
		{"label and source", map[string]string{d.SourceAnnotation: "default/all-icr-io"}, []d.Remedy{{
			Action: d.SyncPullSecret, Title: "Refresh payments/all-icr-io from default",
			Effect: "Replaces the data of payments/all-icr-io with that of default/all-icr-io.", Risk: d.Safe,
			Args: map[string]string{"namespace": "payments", "secret": "all-icr-io"}, Manual: manual}}},
		{"label only", nil, []d.Remedy{{Action: d.Manual, Title: "Replace the copy with default's",
			Effect: "pullcheck only refreshes copies it made; this one was made by hand.", Risk: d.Safe, Manual: manual}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.Namespace("payments", sandbox.NamespaceSetup{SASecrets: []string{d.ClusterPullSecretName}})
			old := sandbox.DockerConfig("iamapikey", "sbx-rotated-away", sandbox.ICRHosts()...)
			if err := w.Kube.Tracker().Add(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "payments", Name: d.ClusterPullSecretName,
				Labels: map[string]string{d.ManagedByLabel: d.ManagedBy}, Annotations: tc.annotations}, Type: corev1.SecretTypeDockerConfigJson,
				Data: map[string][]byte{corev1.DockerConfigJsonKey: old}}); err != nil {
				t.Fatal(err)
			}
			pod := w.Deploy(sandbox.Workload{Namespace: "payments", Name: "ledger", Image: "us.icr.io/shop/api:3.1"})
			rep := w.Engine().Diagnose(testContext(t), d.Request{Namespace: "payments", Pod: pod}, nil)
			res, ok := rep.Result(d.PullSecretStale)
			if !ok || res.Status != d.Warn {
				t.Fatalf("%s: %+v", d.PullSecretStale, res)
			}
			if diff := cmp.Diff(tc.want, res.Remedies); diff != "" {
				t.Errorf("remedies (-want +got):\n%s", diff)
			}
		})
	}
}
