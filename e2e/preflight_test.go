//go:build e2e

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// preflightManifest is what a CI pipeline would render: a Deployment in
// shop that relies on the namespace's all-icr-io copy.
const preflightManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      imagePullSecrets:
        - name: all-icr-io
      containers:
        - name: api
          image: us.icr.io/shop/web:1.0
`

// TestPreflight runs the real pullcheck binary's preflight against the
// real API server, as a CI job would before "kubectl apply": while shop
// lacks its all-icr-io copy the gate fails naming pull-secret-not-copied;
// once the copy exists, it passes.
func TestPreflight(t *testing.T) {
	cp := startControlPlane(t)
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	seedCluster(t, cp.admin, w)
	ctx := context.Background()
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "10.240.0.11",
		Labels: map[string]string{"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}}}
	created, err := cp.admin.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	created.Status.NodeInfo = corev1.NodeSystemInfo{OperatingSystem: "linux", Architecture: "amd64"}
	if _, err := cp.admin.CoreV1().Nodes().UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	proxy := startProxy(t, w.Server.Addr())
	caFile := filepath.Join(cp.dir, "ibm-ca.pem")
	if err := os.WriteFile(caFile, w.Server.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(cp.dir, "api.yaml")
	if err := os.WriteFile(manifest, []byte(preflightManifest), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := buildPullcheck(t, cp.dir)
	env := []string{"KUBECONFIG=" + cp.adminConfig, "SSL_CERT_FILE=" + caFile, "HTTPS_PROXY=" + proxy.URL(),
		"IBMCLOUD_API_KEY=" + w.BotKey, "HOME=" + cp.dir, "PATH=/usr/bin:/bin"}

	out, code := runCLI(t, bin, env, "preflight", "-f", manifest)
	t.Logf("pullcheck preflight -f %s:\n%s", manifest, out)
	if code != 1 || !strings.Contains(out, manifest+":17") || !strings.Contains(out, "✗ pull-secret-not-copied") {
		t.Fatalf("before the copy: exit %d, want 1 naming pull-secret-not-copied\n%s", code, out)
	}
	if proxy.asked("us.icr.io") == 0 {
		t.Error("the preflight did not reach us.icr.io on its real host name")
	}

	src, err := cp.admin.CoreV1().Secrets("default").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cp.kubectl("-n", "shop", "create", "secret", "generic", sandbox.AllICRIO, "--type", string(corev1.SecretTypeDockerConfigJson),
		"--from-literal", corev1.DockerConfigJsonKey+"="+string(src.Data[corev1.DockerConfigJsonKey]))

	cmd := exec.Command(bin, "preflight", "-f", "-", "-o", "sarif") // as in: kustomize build | pullcheck preflight -f -
	cmd.Env, cmd.Stdin = env, strings.NewReader(preflightManifest)
	sarif, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("after the copy: %v, want exit 0\n%s", err, sarif)
	}
	if !strings.Contains(string(sarif), `"results": []`) {
		t.Errorf("after the copy, SARIF results:\n%s", sarif)
	}
	if strings.Contains(string(sarif)+out, w.ClusterKey) {
		t.Error("the preflight showed the pull secret's key")
	}
}
