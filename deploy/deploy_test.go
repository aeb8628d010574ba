package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// TestManifestsParse decodes every manifest strictly into its Kubernetes
// type: a misspelt field fails here, not at kubectl apply.
func TestManifestsParse(t *testing.T) {
	files, _ := filepath.Glob("base/*.yaml")
	more, _ := filepath.Glob("overlays/*/*.yaml")
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "kustomization.yaml") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct{ Kind string }
		if err := yaml.Unmarshal(b, &meta); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var obj any
		switch meta.Kind {
		case "Namespace":
			obj = &corev1.Namespace{}
		case "ServiceAccount":
			obj = &corev1.ServiceAccount{}
		case "Secret":
			obj = &corev1.Secret{}
		case "ClusterRole":
			obj = &rbacv1.ClusterRole{}
		case "ClusterRoleBinding":
			obj = &rbacv1.ClusterRoleBinding{}
		case "Role":
			obj = &rbacv1.Role{}
		case "RoleBinding":
			obj = &rbacv1.RoleBinding{}
		case "Deployment":
			obj = &appsv1.Deployment{}
		case "PodDisruptionBudget":
			obj = &policyv1.PodDisruptionBudget{}
		default:
			t.Fatalf("%s: unexpected kind %q", f, meta.Kind)
		}
		if err := yaml.UnmarshalStrict(b, obj); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestDeploymentHardened pins the pod's security settings.
func TestDeploymentHardened(t *testing.T) {
	b, err := os.ReadFile("base/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict(b, &d); err != nil {
		t.Fatal(err)
	}
	ps := d.Spec.Template.Spec
	c := ps.Containers[0]
	if *d.Spec.Replicas != 2 || ps.SecurityContext.RunAsNonRoot == nil || !*ps.SecurityContext.RunAsNonRoot ||
		c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem ||
		*c.SecurityContext.AllowPrivilegeEscalation || c.LivenessProbe == nil || c.ReadinessProbe == nil || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("deployment is not hardened: %+v", c)
	}
}

// TestReadOnlyOverlayHasNoWrites: the read-only ClusterRole grants no verb
// that changes anything.
func TestReadOnlyOverlayHasNoWrites(t *testing.T) {
	b, err := os.ReadFile("overlays/read-only/clusterrole.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cr rbacv1.ClusterRole
	if err := yaml.UnmarshalStrict(b, &cr); err != nil {
		t.Fatal(err)
	}
	for _, r := range cr.Rules {
		for _, v := range r.Verbs {
			if v != "get" && v != "list" && v != "watch" {
				t.Errorf("read-only rule %v grants %s", r.Resources, v)
			}
		}
	}
	if !bytes.Contains(mustRead(t, "overlays/read-only/deployment.yaml"), []byte("PULLCHECK_READ_ONLY")) {
		t.Error("the read-only overlay does not turn fixes off")
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNoRuleListsSecrets: pullcheck reads only secrets it can name; no
// ClusterRole or Role lets it list or watch secrets, anywhere.
func TestNoRuleListsSecrets(t *testing.T) {
	for _, f := range []string{"base/clusterrole.yaml", "overlays/read-only/clusterrole.yaml", "base/role.yaml"} {
		var role struct{ Rules []rbacv1.PolicyRule }
		if err := yaml.Unmarshal(mustRead(t, f), &role); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range role.Rules {
			if !slices.Contains(r.APIGroups, "") && !slices.Contains(r.APIGroups, "*") {
				continue
			}
			if !slices.Contains(r.Resources, "secrets") && !slices.Contains(r.Resources, "*") {
				continue
			}
			for _, v := range r.Verbs {
				if v == "list" || v == "watch" || v == "*" {
					t.Errorf("%s: rule %v grants %s on secrets", f, r.Resources, v)
				}
			}
		}
	}
}
