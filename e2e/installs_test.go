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
	"k8s.io/client-go/tools/clientcmd"
)

// TestInstalls checks the installs users expect against a real
// kube-apiserver: the Helm chart's service account may do what deploy/base's
// may, verb for verb (and, read-only, no write); the binary linked as
// kubectl-pullcheck is run by the real kubectl, finds pods in the context's
// namespace, and completes them through kubectl_complete-pullcheck.
func TestInstalls(t *testing.T) {
	cp := startControlPlane(t)
	cp.kubectl("create", "namespace", "pullcheck")
	t.Run("helm chart", func(t *testing.T) {
		helm := os.Getenv("PULLCHECK_HELM")
		if helm == "" {
			t.Skip("PULLCHECK_HELM is unset: run e2e/build-chart-tools.sh and set it to the path it prints (.ci/run does)")
		}
		applyChart(t, cp, helm)
		token := strings.TrimSpace(cp.kubectl("create", "token", "chart-pullcheck", "-n", "pullcheck", "--duration", "1h"))
		config := cp.kubeconfig("chart-pullcheck", token)
		checkAccess(t, config, true)
		applyChart(t, cp, helm, "--set", "readOnly=true")
		checkAccess(t, config, false)
	})
	t.Run("kubectl plugin", func(t *testing.T) { checkPlugin(t, cp) })
}

// applyChart renders the chart as the release "chart" in pullcheck's
// namespace and applies it.
func applyChart(t *testing.T, cp *controlPlane, helm string, args ...string) {
	t.Helper()
	chart := filepath.Join(repoRoot(t), "deploy", "helm", "pullcheck")
	out, err := exec.Command(helm, append([]string{"template", "chart", chart, "--namespace", "pullcheck"}, args...)...).Output()
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	f := filepath.Join(cp.dir, "chart.yaml")
	if err := os.WriteFile(f, out, 0o600); err != nil {
		t.Fatal(err)
	}
	cp.kubectl("apply", "-f", f)
}

func checkPlugin(t *testing.T, cp *controlPlane) {
	ctx := context.Background()
	if _, err := cp.admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "default"}}
	if _, err := cp.admin.CoreV1().ServiceAccounts("shop").Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-0"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "us.icr.io/shop/web:1.0"}}}}
	if _, err := cp.admin.CoreV1().Pods("shop").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	plugins := filepath.Join(cp.dir, "plugins")
	if err := os.Mkdir(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := buildPullcheck(t, cp.dir)
	for _, name := range []string{"kubectl-pullcheck", "kubectl_complete-pullcheck"} {
		if err := os.Symlink(bin, filepath.Join(plugins, name)); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"KUBECONFIG=" + inNamespace(t, cp.adminConfig, "shop"), "HOME=" + cp.dir, "PATH=" + plugins + ":/usr/bin:/bin"}
	kubectl := filepath.Join(cp.bin, "kubectl")
	for _, args := range [][]string{{"pullcheck", "pod", "nope"}, {"pullcheck", "pod", "nope", "-n", "shop"}, {"pullcheck", "pod", "shop/nope"}} {
		out, code := runCLI(t, kubectl, env, args...)
		if code != 1 || !strings.Contains(out, "Diagnosing pod shop/nope") || !strings.Contains(out, "Root cause: pod-not-found") {
			t.Errorf("kubectl %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
	}
	out, code := runCLI(t, kubectl, env, "pullcheck", "pod", "nope", "--namespace", "Shop")
	if code != 3 || !strings.Contains(out, "kubectl pullcheck: ") || !strings.Contains(out, "not a valid namespace name") {
		t.Errorf("a bad namespace: exit %d\n%s", code, out)
	}
	out, code = runCLI(t, kubectl, env, "__complete", "pullcheck", "pod", "")
	if code != 0 || !strings.Contains(out, "web-0\tPending") {
		t.Errorf("kubectl __complete pullcheck pod '': exit %d\n%s", code, out)
	}
}

// inNamespace copies a kubeconfig with its current context in namespace ns.
func inNamespace(t *testing.T, kubeconfig, ns string) string {
	cfg, err := clientcmd.LoadFromFile(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Contexts[cfg.CurrentContext].Namespace = ns
	p := kubeconfig + "." + ns
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}
