package preflight

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

// where is what a container test compares: its place and its subject.
type where struct {
	File, Line, Kind, Workload, Namespace, Name string
	Init                                        bool
	Image, ServiceAccount                       string
	PullSecrets                                 []string
}

func wheres(cs []Container) []where {
	var out []where
	for _, c := range cs {
		out = append(out, where{c.File, strconv.Itoa(c.Line), c.Kind, c.Workload, c.Namespace, c.Name, c.Init, c.Image, c.ServiceAccount, c.PullSecrets})
	}
	return out
}

func parse(t *testing.T, doc string) *Manifests {
	t.Helper()
	m := &Manifests{}
	if err := Parse("in.yaml", []byte(doc), m); err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return m
}

func TestParseKindsAndLines(t *testing.T) {
	doc := `# helm template output starts with comments
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: deployer
      imagePullSecrets: [{name: regcred}, {name: ""}]
      initContainers:
        - name: migrate
          image: us.icr.io/shop/migrate:1
      containers:
        - image: us.icr.io/shop/web:1.2
          name: web
---
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccount: legacy
          containers: [{name: job, image: "us.icr.io/shop/batch:1.0"}]
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: c
          image: nginx
  - apiVersion: v1
    kind: Service
    metadata: {name: s}
  - apiVersion: example.com/v1
    kind: Deployment
    metadata: {name: not-apps}
`
	m := parse(t, doc)
	want := []where{
		{"in.yaml", "13", "Deployment", "web", "shop", "migrate", true, "us.icr.io/shop/migrate:1", "deployer", []string{"regcred"}},
		{"in.yaml", "15", "Deployment", "web", "shop", "web", false, "us.icr.io/shop/web:1.2", "deployer", []string{"regcred"}},
		{"in.yaml", "29", "CronJob", "nightly", "", "job", false, "us.icr.io/shop/batch:1.0", "legacy", nil},
		{"in.yaml", "40", "Pod", "p", "", "c", false, "nginx", "default", nil},
	}
	if diff := cmp.Diff(want, wheres(m.Containers)); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"Service": 1, "Deployment": 1}, m.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if m.Objects != 5 {
		t.Errorf("objects = %d, want 5 (the List itself is not one)", m.Objects)
	}
}

func TestParseJSON(t *testing.T) {
	doc := `{
  "apiVersion": "apps/v1", "kind": "StatefulSet",
  "metadata": {"name": "db"},
  "spec": {"template": {"spec": {
    "containers": [
      {"name": "db",
       "image": "us.icr.io/shop/db:5"}
    ]}}}
}`
	m := parse(t, doc)
	if got := wheres(m.Containers); len(got) != 1 || got[0].Line != "7" || got[0].Image != "us.icr.io/shop/db:5" {
		t.Errorf("containers = %+v", got)
	}
}

func TestParseSetupObjects(t *testing.T) {
	doc := `apiVersion: v1
kind: Namespace
metadata: {name: launch}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: launch}
imagePullSecrets: [{name: all-icr-io}]
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: launch}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
stringData:
  extra: plain
---
apiVersion: v1
kind: Secret
metadata: {name: bare}
`
	m := parse(t, doc)
	if len(m.Namespaces) != 1 || m.Namespaces[0].Name != "launch" {
		t.Errorf("namespaces = %v", m.Namespaces)
	}
	if len(m.ServiceAccounts) != 1 || m.ServiceAccounts[0].ImagePullSecrets[0].Name != "all-icr-io" {
		t.Errorf("service accounts = %v", m.ServiceAccounts)
	}
	want := map[string][]byte{".dockerconfigjson": []byte(`{"auths":{}}`), "extra": []byte("plain")}
	if len(m.Secrets) != 2 || !cmp.Equal(m.Secrets[0].Data, want) || m.Secrets[0].Type != corev1.SecretTypeDockerConfigJson {
		t.Errorf("secret = %+v", m.Secrets[0])
	}
	if m.Secrets[1].Type != corev1.SecretTypeOpaque {
		t.Errorf("a secret without a type is %q, want Opaque", m.Secrets[1].Type)
	}
	m.Resolve("shop")
	if m.Secrets[1].Namespace != "shop" || m.Secrets[0].Namespace != "launch" {
		t.Errorf("Resolve: %s, %s", m.Secrets[0].Namespace, m.Secrets[1].Namespace)
	}
}

func TestParseErrors(t *testing.T) {
	pod := func(spec string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec
	}
	tests := []struct {
		name, doc, want string
	}{
		{"syntax", "a: b\nc: d: e\n", "in.yaml:2: YAML syntax error: mapping values are not allowed in this context"},
		{"unclosed flow", "a: [x\nb: c\n", "in.yaml:2: YAML syntax error: did not find expected ',' or ']' (on this line, or in the block it starts)"},
		{"unclosed flow in a block", "a: 1\nb:\n  c: [x\n  d: e\n", "in.yaml:3: YAML syntax error: did not find expected ',' or ']'"},
		{"tab", "a:\n\tb: c\n", "in.yaml:2: YAML syntax error: found character that cannot start any token"},
		{"not a mapping", "- a\n- b\n", "in.yaml:1: expected a Kubernetes object"},
		{"no kind", "apiVersion: v1\nmetadata: {name: x}\n", "in.yaml:1: the object has no kind"},
		{"no name", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: b}]}\n", "in.yaml:1: Pod without metadata.name"},
		{"no template", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n",
			"in.yaml:1: Deployment d has no pod template (spec.template.spec is missing)"},
		{"no containers", pod("  containers: []\n"), "in.yaml:5: Pod p has no containers (spec.containers is empty)"},
		{"no image", pod("  containers:\n    - name: a\n"), "in.yaml:6: Pod p: container a has no image"},
		{"no container name", pod("  containers:\n    - image: x\n"), "in.yaml:6: Pod p: a container in spec.containers has no name"},
		{"wrong type", pod("  containers: {name: a}\n"), "in.yaml:5: Pod p: reading spec: json: cannot unmarshal object"},
		{"bad secret data", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: '%%%'}\n", `in.yaml:1: reading Secret "s": illegal base64 data`},
		{"items not a list", "apiVersion: v1\nkind: List\nitems: {a: b}\n", "in.yaml:3: the List's items are not a sequence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Parse("in.yaml", []byte(tt.doc), &Manifests{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse() = %v, want an error starting %q", err, tt.want)
			}
		})
	}
}

// TestParseKeepsSecretsOutOfErrors: an error about a Secret never quotes
// its content.
func TestParseKeepsSecretsOutOfErrors(t *testing.T) {
	for _, doc := range []string{
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: 'canary-secret-value'}\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: [canary-secret-value]}\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: 'canary-secret-value\n",
	} {
		err := Parse("in.yaml", []byte(doc), &Manifests{})
		if err == nil || strings.Contains(err.Error(), "canary") {
			t.Errorf("Parse() = %v; want an error without the secret", err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pod := func(name string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec: {containers: [{name: c, image: x}]}\n"
	}
	write("b.yaml", pod("b"))
	write("a.yml", pod("a"))
	write("c.json", `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}`)
	write("notes.txt", "not a manifest")
	write(".hidden.yaml", "{{ broken")
	write("sub/d.yaml", pod("d"))

	m, err := Load([]string{dir}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(m); got != "a,b" || len(m.Files) != 3 {
		t.Errorf("flat: workloads %s, files %v", got, m.Files)
	}
	if m, err = Load([]string{dir}, nil, true); err != nil || names(m) != "a,b,d" {
		t.Errorf("recursive: %v, %v", err, m)
	}
	if m, err = Load([]string{Stdin}, strings.NewReader(pod("in")), false); err != nil || m.Containers[0].File != StdinName {
		t.Errorf("stdin: %v %+v", err, m)
	}
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "reading manifests: " + filepath.Join(dir, "missing.yaml") + ": no such file or directory"},
		{filepath.Join(dir, "sub", "..", "notes.txt"), "notes.txt:1: expected a Kubernetes object"},
	} {
		if _, err := Load([]string{tt.path}, nil, false); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
	empty := t.TempDir()
	if _, err := Load([]string{empty}, nil, false); err == nil || !strings.Contains(err.Error(), "no .yaml, .yml or .json files") {
		t.Errorf("empty directory: %v", err)
	}
}

func names(m *Manifests) string {
	var out []string
	for _, c := range m.Containers {
		out = append(out, c.Workload)
	}
	return strings.Join(out, ",")
}
