package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// invalidImage is a manifest whose only image does not parse: the
// preflight decides it without any network.
const invalidImage = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: web
          image: us.icr.io/shop/Web:1.0
`

func writeManifest(t *testing.T, doc string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPreflightUsageErrors(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	bad := writeManifest(t, "a: [x\nb: c\n")
	noContainers := writeManifest(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n")
	empty := writeManifest(t, "---\n# nothing\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"preflight"}, "preflight needs manifests: -f"},
		{[]string{"preflight", "deploy/"}, `preflight takes no arguments, got "deploy/"`},
		{[]string{"preflight", "-f", bad, "-o", "yaml"}, `-o "yaml": the output format is text, json or sarif`},
		{[]string{"preflight", "-f", bad, "--docker-config", "x.json"}, "--docker-config needs --offline"},
		{[]string{"preflight", "-f", bad, "--offline", "--context", "prod"}, "--offline reads no cluster"},
		{[]string{"preflight", "-f", bad, "--platform", "amd64"}, `--platform "amd64": expected os/arch`},
		{[]string{"preflight", "-f", bad, "-n", "Shop"}, `-n "Shop": not a valid namespace name`},
		{[]string{"preflight", "-f", bad, "--parallel", "0"}, "--parallel 0: at least 1"},
		{[]string{"preflight", "-f", "missing.yaml"}, "reading manifests: missing.yaml: no such file or directory"},
		{[]string{"preflight", "-f", bad}, bad + ":2: YAML syntax error: did not find expected ',' or ']'"},
		{[]string{"preflight", "-f", noContainers}, noContainers + ":4: Pod p has no containers (spec.containers is empty)"},
		{[]string{"preflight", "-f", empty}, "no Kubernetes objects in " + empty},
		{[]string{"preflight", "-f", writeManifest(t, invalidImage)}, "no Kubernetes configuration"},
		{[]string{"preflight", "-f", writeManifest(t, invalidImage), "--offline", "--docker-config", "nope.json"},
			"--docker-config: open nope.json: no such file or directory"},
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

// TestPreflightOffline needs no cluster and no network: the only image
// does not parse.
func TestPreflightOffline(t *testing.T) {
	path := writeManifest(t, invalidImage)
	code, stdout, stderr := runCLI(t, "preflight", "-f", path, "--offline")
	if code != exitRootCause || !strings.Contains(stdout, "(offline)") || !strings.Contains(stdout, path+":9") ||
		!strings.Contains(stdout, "✗ image-reference-invalid") {
		t.Errorf("text: exit %d\n%s\n%s", code, stdout, stderr)
	}

	code, stdout, _ = runCLI(t, "preflight", "-f", path, "--offline", "-o", "json")
	var doc struct {
		Schema     string
		Offline    bool
		Verdict    string
		Containers []struct {
			File      string
			Line      int
			RootCause struct{ ID string } `json:"root_cause"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != exitRootCause {
		t.Fatalf("json: exit %d, %v\n%s", code, err, stdout)
	}
	if doc.Schema != "pullcheck.preflight/v1" || !doc.Offline || doc.Verdict != "root-cause" || len(doc.Containers) != 1 ||
		doc.Containers[0].Line != 9 || doc.Containers[0].RootCause.ID != "image-reference-invalid" {
		t.Errorf("json: %+v", doc)
	}

	code, stdout, _ = runCLI(t, "preflight", "-f", path, "--offline", "-o", "sarif")
	var log struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID string
				Level  string
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil || code != exitRootCause || log.Version != "2.1.0" ||
		len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "image-reference-invalid" || log.Runs[0].Results[0].Level != "error" {
		t.Errorf("sarif: exit %d, %v\n%s", code, err, stdout)
	}
}

// TestPreflightStdin reads "-f -", as in "kustomize build | pullcheck preflight -f -".
func TestPreflightStdin(t *testing.T) {
	old := stdin
	stdin = strings.NewReader(invalidImage)
	t.Cleanup(func() { stdin = old })
	code, stdout, _ := runCLI(t, "preflight", "-f", "-", "--offline", "-n", "shop")
	if code != exitRootCause || !strings.Contains(stdout, "stdin:9") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
}
