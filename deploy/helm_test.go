package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// helmEnv names the helm binary the chart tests run: the path
// e2e/build-chart-tools.sh prints. .ci/run sets it, so CI never skips them.
const helmEnv = "PULLCHECK_HELM"

// chartTools returns helm and the kustomize beside it (or $PULLCHECK_KUSTOMIZE).
func chartTools(t *testing.T) (helm, kustomize string) {
	t.Helper()
	helm = os.Getenv(helmEnv)
	if helm == "" {
		t.Skipf("%s is unset: run e2e/build-chart-tools.sh and set %s to the path it prints (.ci/run does)", helmEnv, helmEnv)
	}
	kustomize = os.Getenv("PULLCHECK_KUSTOMIZE")
	if kustomize == "" {
		kustomize = filepath.Join(filepath.Dir(helm), "kustomize")
	}
	if _, err := os.Stat(kustomize); err != nil {
		t.Fatalf("no kustomize beside %s (e2e/build-chart-tools.sh builds both), nor in $PULLCHECK_KUSTOMIZE: %v", helm, err)
	}
	return helm, kustomize
}

// manifest is one rendered object, decoded as its kind.
type manifest struct {
	kind, namespace, name string
	raw                   []byte
}

var docSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// render runs a renderer and splits its YAML stream into objects.
func render(t *testing.T, bin string, args ...string) []manifest {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	var out []manifest
	for _, doc := range docSeparator.Split(stdout.String(), -1) {
		var meta struct {
			Kind     string
			Metadata struct{ Name, Namespace string }
		}
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatalf("%s: %v\n%s", filepath.Base(bin), err, doc)
		}
		if meta.Kind != "" {
			out = append(out, manifest{meta.Kind, meta.Metadata.Namespace, meta.Metadata.Name, []byte(doc)})
		}
	}
	return out
}

// renderChart renders deploy/helm/pullcheck as the release pullcheck in
// the namespace pullcheck, as deploy/base names its objects.
func renderChart(t *testing.T, helm string, args ...string) []manifest {
	return render(t, helm, append([]string{"template", "pullcheck", "helm/pullcheck", "--namespace", "pullcheck"}, args...)...)
}

// variants are the chart's values and the kustomization of equal effect.
var variants = []struct {
	name          string
	chart         []string
	kustomization string
}{
	{"default", nil, "base"},
	{"read-only", []string{"--set", "readOnly=true"}, "overlays/read-only"},
}

func decode(t *testing.T, m manifest, into any) {
	t.Helper()
	if err := yaml.UnmarshalStrict(m.raw, into); err != nil {
		t.Fatalf("%s %s/%s: %v", m.kind, m.namespace, m.name, err)
	}
}

// rbac is the effect of the RBAC objects, by kind, namespace and name: each
// role's rules (every list sorted, then the rules sorted), each binding's
// role and subjects.
func rbac(t *testing.T, ms []manifest) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, m := range ms {
		key := m.kind + " " + m.namespace + "/" + m.name
		switch m.kind {
		case "ClusterRole":
			var r rbacv1.ClusterRole
			decode(t, m, &r)
			out[key] = normalizeRules(r.Rules)
		case "Role":
			var r rbacv1.Role
			decode(t, m, &r)
			out[key] = normalizeRules(r.Rules)
		case "ClusterRoleBinding":
			var b rbacv1.ClusterRoleBinding
			decode(t, m, &b)
			out[key] = []any{b.RoleRef, b.Subjects}
		case "RoleBinding":
			var b rbacv1.RoleBinding
			decode(t, m, &b)
			out[key] = []any{b.RoleRef, b.Subjects}
		}
	}
	return out
}

func normalizeRules(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		for _, s := range [][]string{r.APIGroups, r.Resources, r.ResourceNames, r.Verbs, r.NonResourceURLs} {
			sort.Strings(s)
		}
		b, _ := json.Marshal(r)
		out = append(out, string(b))
	}
	sort.Strings(out)
	return out
}

// TestChartRBACMatchesKustomize: the chart grants what deploy/base grants,
// rule for rule (ClusterRoles, Roles and their bindings), and with readOnly
// what deploy/overlays/read-only grants. It fails when either drifts.
func TestChartRBACMatchesKustomize(t *testing.T) {
	helm, kustomize := chartTools(t)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			want := rbac(t, render(t, kustomize, "build", v.kustomization))
			got := rbac(t, renderChart(t, helm, v.chart...))
			if len(want) == 0 {
				t.Fatalf("kustomize build %s rendered no RBAC", v.kustomization)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the chart's RBAC differs from kustomize build %s (-kustomize +chart):\n%s", v.kustomization, diff)
			}
		})
	}
}

// podEffect is what the Deployment and its PodDisruptionBudget do, apart
// from names and labels.
type podEffect struct {
	Replicas           int32
	ServiceAccount     string
	PodSecurity        *corev1.PodSecurityContext
	Spread             []string
	Args               []string
	Ports              []corev1.ContainerPort
	Liveness, Readines *corev1.Probe
	Resources          corev1.ResourceRequirements
	Security           *corev1.SecurityContext
	ReadOnlyEnv        string
	MinAvailable       string
}

func effect(t *testing.T, ms []manifest) podEffect {
	t.Helper()
	var e podEffect
	for _, m := range ms {
		switch m.kind {
		case "Deployment":
			var d appsv1.Deployment
			decode(t, m, &d)
			ps, c := d.Spec.Template.Spec, d.Spec.Template.Spec.Containers[0]
			e.Replicas, e.ServiceAccount, e.PodSecurity = *d.Spec.Replicas, ps.ServiceAccountName, ps.SecurityContext
			for _, s := range ps.TopologySpreadConstraints {
				e.Spread = append(e.Spread, fmt.Sprintf("%s %s maxSkew %d", s.TopologyKey, s.WhenUnsatisfiable, s.MaxSkew))
			}
			e.Args, e.Ports, e.Liveness, e.Readines, e.Resources, e.Security = c.Args, c.Ports, c.LivenessProbe, c.ReadinessProbe, c.Resources, c.SecurityContext
			e.ReadOnlyEnv = plainEnv(c.Env)["PULLCHECK_READ_ONLY"]
		case "PodDisruptionBudget":
			var p policyv1.PodDisruptionBudget
			decode(t, m, &p)
			e.MinAvailable = p.Spec.MinAvailable.String()
		}
	}
	if e.ReadOnlyEnv == "" {
		e.ReadOnlyEnv = "false"
	}
	return e
}

// TestChartDeploymentMatchesKustomize: replicas, service account, security
// contexts, spread, probes, ports, resources, the PDB and the read-only
// switch are deploy/base's (and its read-only overlay's).
func TestChartDeploymentMatchesKustomize(t *testing.T) {
	helm, kustomize := chartTools(t)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			want := effect(t, render(t, kustomize, "build", v.kustomization))
			got := effect(t, renderChart(t, helm, v.chart...))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the chart's Deployment differs from kustomize build %s (-kustomize +chart):\n%s", v.kustomization, diff)
			}
		})
	}
}

func plainEnv(env []corev1.EnvVar) map[string]string {
	m := map[string]string{}
	for _, e := range env {
		if e.ValueFrom == nil {
			m[e.Name] = e.Value
		}
	}
	return m
}

// chartPod renders the chart and returns pullcheck's pod spec and every
// kind it rendered.
func chartPod(t *testing.T, helm string, args ...string) (corev1.PodSpec, []string) {
	t.Helper()
	var ps *corev1.PodSpec
	var kinds []string
	for _, m := range renderChart(t, helm, args...) {
		kinds = append(kinds, m.kind)
		if m.kind == "Deployment" {
			var d appsv1.Deployment
			decode(t, m, &d)
			ps = &d.Spec.Template.Spec
		}
	}
	if ps == nil || len(ps.Containers) != 1 {
		t.Fatalf("the chart rendered no Deployment of one container: %v", kinds)
	}
	return *ps, kinds
}
