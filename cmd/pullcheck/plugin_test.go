package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInvokedAs(t *testing.T) {
	tests := []struct {
		argv0 string
		want  invocation
	}{
		{"pullcheck", asPullcheck},
		{"/usr/local/bin/pullcheck", asPullcheck},
		{"kubectl-pullcheck", asPlugin},
		{"/home/me/.krew/bin/kubectl-pullcheck", asPlugin},
		{`C:\Users\me\.krew\bin\kubectl-pullcheck.exe`, asPlugin},
		{"KUBECTL-PULLCHECK.EXE", asPlugin},
		{"kubectl_complete-pullcheck", asPluginCompletion},
		{"kubectl-pullcheck-old", asPullcheck},
		{"kubectl-pullcheck.sh", asPullcheck},
	}
	for _, tt := range tests {
		if got := invokedAs(tt.argv0); got != tt.want {
			t.Errorf("invokedAs(%q) = %v, want %v", tt.argv0, got, tt.want)
		}
	}
}

// runPluginCLI runs pullcheck in-process as kubectl's plugin.
func runPluginCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := entry(context.Background(), append([]string{"/usr/local/bin/kubectl-pullcheck"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestPluginDiagnosesLikeKubectl: every kubectl way to name the pod reaches
// the same diagnosis as pullcheck diagnose pod <namespace>/<pod>; without
// -n, the namespace is the kubeconfig context's.
func TestPluginDiagnosesLikeKubectl(t *testing.T) {
	_, pods, _ := connectSandbox(t)
	ref := pods[len(pods)-1] // team-a/<pod>
	_, name, _ := strings.Cut(ref, "/")
	kc := writeKubeconfig(t, "team-a")
	t.Setenv("KUBECONFIG", kc)
	wantCode, _, _ := runCLI(t, "diagnose", "pod", ref)
	if wantCode != exitRootCause {
		t.Fatalf("pullcheck diagnose pod %s: exit %d", ref, wantCode)
	}
	for _, args := range [][]string{
		{"pod", name, "-n", "team-a"},
		{"pod", name, "--namespace", "team-a"},
		{"pod", name, "--namespace=team-a", "-o", "text"},
		{"pod", ref},
		{"pod", name},
		{"pod", name, "--kubeconfig", kc, "--context", "prod"},
		{"pods", name},
		{"po", name, "-n", "team-a"},
		{"pod/" + name},
		{"-n", "team-a", "pod", name},
		{"diagnose", "pod", name},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runPluginCLI(t, args...)
			if code != wantCode || !strings.Contains(stdout, "Diagnosing pod "+ref) || !strings.Contains(stdout, "Root cause: pull-secret-not-copied") {
				t.Errorf("exit %d (want %d)\nstdout %s\nstderr %s", code, wantCode, stdout, stderr)
			}
		})
	}
}

func TestPluginUsageErrors(t *testing.T) {
	t.Setenv("KUBECONFIG", writeKubeconfig(t, "shop"))
	tests := []struct {
		args []string
		want string
	}{
		{nil, "kubectl pullcheck: no command given (example: kubectl pullcheck pod web-7d9f -n shop)"},
		{[]string{"pod", "web", "--nope"}, "kubectl pullcheck: unknown flag --nope (pod takes -c, --cluster, --context, --kubeconfig, -n, --namespace, -o, --user)"},
		{[]string{"pod", "web", "-x=1"}, "unknown flag -x (pod takes"},
		{[]string{"fix", "restart-pod", "web", "--force"}, "unknown flag --force (fix takes --cluster, --context, --dry-run, --kubeconfig, -n, --namespace, --user, --wait, --yes)"},
		{[]string{"pod"}, "expected: pod <pod> [-n namespace] (example: kubectl pullcheck pod web-7d9f -n shop)"},
		{[]string{"pod", "a", "b"}, "expected: pod <pod> [-n namespace]"},
		{[]string{"pod", "shop/web", "-n", "other"}, `"shop/web" names namespace "shop" but -n says "other"`},
		{[]string{"pod", "Web_1"}, `"Web_1" is not a valid pod name`},
		{[]string{"pod", "web", "-n", "Shop"}, `"Shop" is not a valid namespace name`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"demo", "a", "b"}, "demo takes at most one workload (example: kubectl pullcheck demo shop)"},
		{[]string{"pod", "web", "--context", "nowhere"}, `context was not found for specified context: nowhere`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runPluginCLI(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, tt.want)
			}
			if strings.Contains(stderr, "Run 'pullcheck") {
				t.Errorf("the plugin names itself pullcheck: %q", stderr)
			}
		})
	}
}

// TestPluginUsage: the plugin's usage speaks of kubectl pullcheck only.
func TestPluginUsage(t *testing.T) {
	for _, arg := range []string{"help", "-h", "--help"} {
		code, stdout, _ := runPluginCLI(t, arg)
		if code != 0 || !strings.Contains(stdout, "  kubectl pullcheck pod <pod> [-n namespace]") ||
			!strings.Contains(stdout, "  kubectl pullcheck fix <action>") || !strings.Contains(stdout, "kubectl_complete-pullcheck") {
			t.Errorf("%s: exit %d\n%s", arg, code, stdout)
		}
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "pullcheck ") {
				t.Errorf("%s: a usage line without kubectl: %q", arg, l)
			}
		}
	}
	if code, stdout, _ := runPluginCLI(t, "version"); code != 0 || stdout != "pullcheck dev\n" {
		t.Errorf("version: %d %q", code, stdout)
	}
}

// TestPluginBinary runs this test binary installed as kubectl-pullcheck
// (and kubectl-pullcheck.exe), as a user's PATH would hold it, and through
// a real kubectl when one is at hand ($E2E_BIN/kubectl or on PATH).
func TestPluginBinary(t *testing.T) {
	w, pod, err := entryWorld()
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	dir := installAs(t, "kubectl-pullcheck", "kubectl-pullcheck.exe", "kubectl_complete-pullcheck")
	env := []string{"KUBECONFIG=" + writeKubeconfig(t, "team-a"), "HOME=" + t.TempDir()}
	for _, name := range []string{"kubectl-pullcheck", "kubectl-pullcheck.exe"} {
		code, stdout, stderr := runBinary(t, dir, env, filepath.Join(dir, name), "pod", pod)
		if code != exitRootCause || !strings.Contains(stdout, "Diagnosing pod team-a/"+pod) {
			t.Errorf("%s pod %s: exit %d\n%s\n%s", name, pod, code, stdout, stderr)
		}
	}
	code, _, stderr := runBinary(t, dir, env, filepath.Join(dir, "kubectl-pullcheck"), "pod", pod, "--nope")
	if code != exitUsage || !strings.HasPrefix(stderr, "kubectl pullcheck: unknown flag --nope") {
		t.Errorf("unknown flag: exit %d, %q", code, stderr)
	}
	code, stdout, _ := runBinary(t, dir, env, filepath.Join(dir, "kubectl_complete-pullcheck"), "pod", "")
	if code != 0 || stdout != pod+"\tImagePullBackOff\n:4\n" {
		t.Errorf("kubectl_complete-pullcheck pod '': exit %d, %q", code, stdout)
	}

	kubectl := findKubectl()
	if kubectl == "" {
		t.Log("no kubectl here: the plugin was run directly only")
		return
	}
	code, stdout, stderr = runBinary(t, dir, env, kubectl, "pullcheck", "pod", pod, "-n", "team-a", "-o", "json")
	if code != exitRootCause || !strings.Contains(stdout, `"id": "pull-secret-not-copied"`) {
		t.Errorf("kubectl pullcheck pod %s -n team-a: exit %d\n%s\n%s", pod, code, stdout, stderr)
	}
	code, stdout, stderr = runBinary(t, dir, env, kubectl, "__complete", "pullcheck", "pod", "")
	if code != 0 || !strings.Contains(stdout, pod) {
		t.Errorf("kubectl __complete pullcheck pod '': exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// findKubectl is the control plane's kubectl, else one on PATH.
func findKubectl() string {
	if bin := os.Getenv("E2E_BIN"); bin != "" {
		if p, err := exec.LookPath(filepath.Join(bin, "kubectl")); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("kubectl")
	return p
}
