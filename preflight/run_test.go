package preflight_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/preflight"
)

// TestRunDiagnosesEachSubjectOnce: containers that ask the same question
// (image, namespace, service account, pull secrets, platforms) share one
// diagnosis, whatever they are called.
func TestRunDiagnosesEachSubjectOnce(t *testing.T) {
	w := newWorld(t, []string{"shop"})
	m := &preflight.Manifests{}
	doc := `apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: {spec: {nodeSelector: {kubernetes.io/arch: amd64},
  containers: [{name: web, image: us.icr.io/shop/web:1.0}, {name: copy, image: us.icr.io/shop/web:1.0}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeSelector: {kubernetes.io/arch: amd64}, containers: [{name: other, image: us.icr.io/shop/web:1.0}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c}
spec: {serviceAccountName: builder, nodeSelector: {kubernetes.io/arch: amd64}, containers: [{name: web, image: us.icr.io/shop/web:1.0}]}
---
apiVersion: v1
kind: Pod
metadata: {name: d}
spec: {containers: [{name: web, image: us.icr.io/shop/web:1.0}]}
`
	if err := preflight.Parse("in.yaml", []byte(doc), m); err != nil {
		t.Fatal(err)
	}
	m.Resolve("shop")
	run := checker(w, m).Run(testContext(t), m, 2)
	var got []int
	for _, ch := range run.Checked {
		got = append(got, ch.Report)
	}
	// a/web, a/copy and b/other share; c runs as builder; d may land on arm64.
	if diff := cmp.Diff([]int{0, 0, 0, 1, 2}, got); diff != "" {
		t.Errorf("diagnosis of each container (-want +got):\n%s", diff)
	}
	if len(run.Reports) != 3 {
		t.Fatalf("%d diagnoses, want 3", len(run.Reports))
	}
	if d := run.Reports[2]; d.RootCause == nil || d.RootCause.ID != diagnose.ImagePlatformMismatch {
		t.Errorf("d: a single amd64 image on nodes amd64 and arm64: %+v", d.RootCause)
	}
	if got := run.Reports[2].Request.Platforms; !cmp.Equal(got, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("d's platforms = %v", got)
	}
}

// TestCheckReadsTheNodes: a subject without platforms (the chat command)
// is judged against every node of the cluster.
func TestCheckReadsTheNodes(t *testing.T) {
	w := newWorld(t, []string{"shop"})
	c := checker(w, &preflight.Manifests{})
	rep := c.Check(testContext(t), preflight.Subject{Namespace: "shop", Image: "us.icr.io/shop/batch:1.0"}, nil)
	if rep.RootCause == nil || rep.RootCause.ID != diagnose.ImagePlatformMismatch {
		t.Fatalf("root cause %+v, want image-platform-mismatch (the arm64 node)", rep.RootCause)
	}
	rep = c.Check(testContext(t), preflight.Subject{Namespace: "shop", Image: "us.icr.io/shop/batch:1.0",
		Platforms: []string{"linux/amd64", "linux/s390x"}}, nil)
	if rep.Verdict != diagnose.PullsFine {
		t.Errorf("on amd64 and s390x nodes: %s %+v", rep.Verdict, rep.RootCause)
	}
}

// TestNodesForbidden: without permission to list nodes the run says so,
// and linux/amd64 is assumed.
func TestNodesForbidden(t *testing.T) {
	w := newWorld(t, []string{"shop"})
	w.Kube.PrependReactor("list", "nodes", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "nodes"}, "", nil)
	})
	m := load(t, clean)
	run := checker(w, m).Run(testContext(t), m, 2)
	if len(run.Notes) != 1 || !strings.Contains(run.Notes[0], "RBAC forbids listing nodes") {
		t.Errorf("notes = %q", run.Notes)
	}
	if v := run.Verdict(); v != diagnose.PullsFine {
		t.Errorf("verdict %s", v)
	}
}

// TestOfflineCallsNoIBMCloud: an offline run reaches the registries and
// nothing else.
func TestOfflineCallsNoIBMCloud(t *testing.T) {
	w := newWorld(t, problemWorlds)
	m := load(t, problems)
	w.Cloud.ResetRequests()
	c, err := preflight.NewOffline(m, preflight.OfflineOptions{Transport: w.Transport(),
		DockerConfig: sandbox.DockerConfig("iamapikey", w.ClusterKey, "us.icr.io")})
	if err != nil {
		t.Fatal(err)
	}
	run := c.Run(context.Background(), m, 4)
	if !run.Offline || len(run.Reports) == 0 {
		t.Fatalf("offline %t, %d reports", run.Offline, len(run.Reports))
	}
	for _, r := range w.Cloud.Requests() {
		if strings.Contains(r.Host, "cloud.ibm.com") || strings.HasPrefix(r.Path, "/api/") {
			t.Errorf("offline run called %s %s%s", r.Method, r.Host, r.Path)
		}
	}
}

func TestOfflineRefusesABadDockerConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"auths": `:                   "invalid JSON at byte",
		`["x"]`:                        `expected {"auths"`,
		`{"credsStore": "desktop"}`:    `no "auths"`,
		`{"auths": {"us.icr.io": {}}}`: "",
	} {
		_, err := preflight.NewOffline(&preflight.Manifests{}, preflight.OfflineOptions{DockerConfig: []byte(cfg)})
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s: %v, want %q", cfg, err, want)
		}
	}
}
