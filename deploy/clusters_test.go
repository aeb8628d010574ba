package deploy

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestMemberOverlay: a member cluster gets the base's RBAC and a
// long-lived token, and none of what only the hub runs.
func TestMemberOverlay(t *testing.T) {
	var k struct {
		Resources []string
		Patches   []struct{ Patch string }
	}
	if err := yaml.Unmarshal(mustRead(t, "overlays/member/kustomization.yaml"), &k); err != nil {
		t.Fatal(err)
	}
	deleted := map[string]bool{}
	for _, p := range k.Patches {
		var obj struct {
			Patch string `json:"$patch"`
			Kind  string
		}
		if err := yaml.Unmarshal([]byte(p.Patch), &obj); err != nil {
			t.Fatal(err)
		}
		if obj.Patch == "delete" {
			deleted[obj.Kind] = true
		}
	}
	for _, kind := range []string{"Deployment", "PodDisruptionBudget", "Role", "RoleBinding"} {
		if !deleted[kind] {
			t.Errorf("the member overlay keeps the base's %s", kind)
		}
	}
	if strings.Join(k.Resources, ",") != "../../base,token.yaml" {
		t.Errorf("resources %q", k.Resources)
	}
	var s corev1.Secret
	if err := yaml.UnmarshalStrict(mustRead(t, "overlays/member/token.yaml"), &s); err != nil {
		t.Fatal(err)
	}
	if s.Type != corev1.SecretTypeServiceAccountToken || s.Annotations[corev1.ServiceAccountNameKey] != "pullcheck" || s.Namespace != "pullcheck" {
		t.Errorf("token secret %+v", s)
	}
}

// TestHubOverlay: the hub reads the clusters' kubeconfig from a Secret,
// read-only.
func TestHubOverlay(t *testing.T) {
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict(mustRead(t, "overlays/hub/deployment.yaml"), &d); err != nil {
		t.Fatal(err)
	}
	c, v := d.Spec.Template.Spec.Containers[0], d.Spec.Template.Spec.Volumes[0]
	if len(c.Env) != 1 || c.Env[0].Name != "PULLCHECK_KUBECONFIG" || !strings.HasPrefix(c.Env[0].Value, c.VolumeMounts[0].MountPath+"/") ||
		!c.VolumeMounts[0].ReadOnly || v.Secret == nil || v.Secret.SecretName != "pullcheck-clusters" {
		t.Errorf("hub deployment patch: %+v, %+v", c, v)
	}
}
