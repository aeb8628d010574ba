package diagnose_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestLegacyPullSecretsReadByName: a cluster without all-icr-io but with
// the legacy default-us-icr-io passes cluster-pull-secret-missing while
// the API server refuses pullcheck any list of secrets (deploy/ grants
// get only): the legacy names are known and read one by one.
func TestLegacyPullSecretsReadByName(t *testing.T) {
	w, req := build(t, scenarioNamed(t, "fresh"))
	w.PullSecret("default", "default-us-icr-io", sandbox.DockerConfig("iamapikey", w.ClusterKey, "us.icr.io"))
	w.Secret("default", "default-de-icr-io", corev1.SecretTypeOpaque, map[string][]byte{"note": []byte("not a pull secret")})
	w.Kube.PrependReactor("list", "secrets", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "", nil)
	})
	w.Kube.ClearActions()
	rep := d.New(w.EngineOptions(w.BotKey)).Diagnose(testContext(t), req, nil)
	got, ok := rep.Result(d.ClusterPullSecretMissing)
	if !ok || got.Status != d.Pass || got.Summary != "default holds legacy pull secrets" {
		t.Fatalf("cluster-pull-secret-missing: %+v\n%s", got, textOf(t, rep))
	}
	if len(got.Evidence) != 1 || got.Evidence[0].Value != "default-us-icr-io" {
		t.Errorf("evidence %+v, want default-us-icr-io alone", got.Evidence)
	}
	read := map[string]bool{}
	for _, a := range w.Kube.Actions() {
		if a.GetResource().Resource != "secrets" {
			continue
		}
		if a.GetVerb() == "list" {
			t.Errorf("pullcheck listed secrets in %q", a.GetNamespace())
		}
		if g, ok := a.(k8stesting.GetAction); ok && g.GetNamespace() == "default" {
			read[g.GetName()] = true
		}
	}
	for _, name := range []string{"default-icr-io", "default-us-icr-io", "default-uk-icr-io", "default-de-icr-io", "default-au-icr-io",
		"default-jp-icr-io", "default-jp2-icr-io", "default-ca-icr-io", "default-br-icr-io", "default-in2-icr-io"} {
		if !read[name] {
			t.Errorf("default/%s was not read (read: %s)", name, strings.Join(keys(read), ", "))
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
