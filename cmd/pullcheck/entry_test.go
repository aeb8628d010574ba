package main

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// entryEnv makes this test binary pullcheck itself, connected to
// entryWorld: tests start it under other names (kubectl-pullcheck, …).
const entryEnv = "PULLCHECK_TEST_ENTRY"

func TestMain(m *testing.M) {
	if os.Getenv(entryEnv) != "" {
		os.Exit(sandboxEntry())
	}
	os.Exit(m.Run())
}

// entryWorld is the sandbox of the binary's tests: team-a's workload, whose
// namespace lacks its all-icr-io copy. It returns the pod's name.
func entryWorld() (*sandbox.World, string, error) {
	w, err := sandbox.NewWorld()
	if err != nil {
		return nil, "", err
	}
	s, _ := sandbox.Named("team-a")
	return w, s.Build(w), nil
}

func sandboxEntry() int {
	w, _, err := entryWorld()
	if err != nil {
		os.Stderr.WriteString(err.Error())
		return 99
	}
	defer w.Close()
	connect = func(cfg *config.Config, _ diagnoseFlags, logger *slog.Logger) (diagnose.Options, error) {
		o := w.EngineOptions(cfg.APIKey)
		o.Cluster, o.Logger = sandbox.ClusterID, logger
		return o, nil
	}
	completionClient = func(diagnoseFlags) (kubernetes.Interface, error) { return w.Kube, nil }
	return entry(context.Background(), os.Args, os.Stdout, os.Stderr)
}

// installAs links this test binary into a new directory under each name.
func installAs(t *testing.T, names ...string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, n := range names {
		if err := os.Symlink(self, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runBinary runs a program with the environment of pullcheck's tests.
func runBinary(t *testing.T, dir string, env []string, name string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), entryEnv+"=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return code, out.String(), errOut.String()
}

// writeKubeconfig writes a kubeconfig whose current context "prod" has the
// namespace ns; "dev" is another context. Nothing listens at its server.
func writeKubeconfig(t *testing.T, ns string) string {
	t.Helper()
	kc := filepath.Join(t.TempDir(), "config")
	cfg := `apiVersion: v1
kind: Config
clusters: [{name: prod-cluster, cluster: {server: "https://127.0.0.1:1"}}, {name: dev-cluster, cluster: {server: "https://127.0.0.1:2"}}]
users: [{name: oncall, user: {token: t}}]
contexts: [{name: prod, context: {cluster: prod-cluster, user: oncall, namespace: ` + ns + `}}, {name: dev, context: {cluster: dev-cluster, user: oncall}}]
current-context: prod
`
	if err := os.WriteFile(kc, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return kc
}
