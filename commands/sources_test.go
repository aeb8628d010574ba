package commands_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestNoConfusedDeputy: a tenant lists another secret of default as its
// pod's pull secret. The diagnosis names it missing, but pullcheck offers
// no button to copy it, and a typed fix is refused without creating it:
// only the operator's copy sources leave default.
func TestNoConfusedDeputy(t *testing.T) {
	w, svc := world(t)
	w.PullSecret("default", "other-secret", sandbox.DockerConfig("iamapikey", w.ClusterKey, sandbox.ICRHosts()...))
	w.Namespace("tenant", sandbox.NamespaceSetup{})
	pod := w.Deploy(sandbox.Workload{Namespace: "tenant", Name: "web", Image: "us.icr.io/shop/web:1.0",
		PodSecrets: []string{"other-secret"}, Reason: "ImagePullBackOff"})
	rep := svc.Engine.Diagnose(context.Background(), diagnose.Request{Namespace: "tenant", Pod: pod}, nil)
	if res, ok := rep.Result(diagnose.PullSecretMissing); !ok || res.Status != diagnose.Fail {
		t.Fatalf("%s: %+v", diagnose.PullSecretMissing, res)
	}
	for _, o := range svc.Offers(rep) {
		if o.Action == diagnose.CopyPullSecret {
			t.Errorf("offered %+v: a copy of default/other-secret", o)
		}
	}
	out := handle(t, svc, commands.Request{User: "cli", Text: "fix copy-pull-secret tenant/" + pod})
	if !strings.Contains(out, "default/other-secret is not a pull secret pullcheck may copy") {
		t.Errorf("typed fix:\n%s", out)
	}
	if _, err := w.Kube.CoreV1().Secrets("tenant").Get(context.Background(), "other-secret", metav1.GetOptions{}); err == nil {
		t.Error("pullcheck copied default/other-secret into tenant")
	}
}
