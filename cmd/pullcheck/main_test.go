package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs pullcheck in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := exitCode(run(context.Background(), args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"diagnose"}, "diagnose expects: pod <namespace>/<pod>"},
		{[]string{"diagnose", "deployment", "shop/web"}, "diagnose expects: pod <namespace>/<pod>"},
		{[]string{"diagnose", "pod", "web"}, `"web" is not <namespace>/<pod name>`},
		{[]string{"diagnose", "pod", "Shop/web"}, "not a valid namespace name"},
		{[]string{"diagnose", "pod", "shop/web", "-o", "yaml"}, `-o "yaml": the output format is text or json`},
		{[]string{"diagnose", "pod", "shop/web", "-c", "Bad_Name"}, "not a valid container name"},
		{[]string{"diagnose", "pod", "shop/web", "--nope"}, "unknown flag --nope (diagnose takes -c, --cluster"},
		{[]string{"demo", "a", "b"}, "demo takes at most one workload"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	t.Setenv("PULLCHECK_TIMEOUT", "soon")
	t.Setenv("IBMCLOUD_API_KEY", "canary-key-do-not-print")
	code, _, stderr := runCLI(t, "diagnose", "pod", "shop/web")
	if code != exitUsage || !strings.Contains(stderr, "PULLCHECK_TIMEOUT") || strings.Contains(stderr, "canary-key") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestNoKubeconfig(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "missing"))
	t.Setenv("HOME", t.TempDir())
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	code, _, stderr := runCLI(t, "diagnose", "pod", "shop/web")
	if code != exitUsage || !strings.Contains(stderr, "no Kubernetes configuration") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestUnknownPodAgainstKubeconfig(t *testing.T) {
	// A kubeconfig pointing at a closed port: the pod read fails, so the
	// verdict is inconclusive (exit 2), never a guessed cause.
	dir := t.TempDir()
	kc := filepath.Join(dir, "config")
	cfg := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: canary-kube-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PULLCHECK_TIMEOUT", "5s")
	code, stdout, stderr := runCLI(t, "diagnose", "pod", "shop/web", "--kubeconfig", kc)
	if code != exitInconclusive || strings.Contains(stdout+stderr, "canary-kube-token") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if _, _, stderr := runCLI(t, "diagnose", "pod", "shop/web", "--kubeconfig", kc, "--context", "nope"); !strings.Contains(stderr, "nope") {
		t.Errorf("unknown context not named: %q", stderr)
	}
}

func TestDemo(t *testing.T) {
	code, stdout, stderr := runCLI(t, "demo")
	if code != 0 || !strings.Contains(stdout, "image-tag-not-found") || strings.Contains(stdout, "UNEXPECTED") {
		t.Fatalf("demo exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "demo", "shop")
	if code != exitRootCause || !strings.Contains(stdout, "Root cause: image-tag-not-found") || !strings.Contains(stdout, "nearest tags: 1.0, 1.2") {
		t.Fatalf("demo shop exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "demo", "storefront")
	if code != 0 || !strings.Contains(stdout, "pulls its images fine") {
		t.Fatalf("demo storefront exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "demo", "nowhere"); code != exitUsage || !strings.Contains(stderr, `no sandbox workload "nowhere"`) {
		t.Fatalf("demo nowhere exit %d %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	if code, stdout, _ := runCLI(t, "version"); code != 0 || stdout != "pullcheck dev\n" {
		t.Errorf("version: %d %q", code, stdout)
	}
}
