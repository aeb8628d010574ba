package preflight

import (
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// addWorkload reads the containers of an object's pod template.
func (m *Manifests) addWorkload(file string, n *yaml.Node, kind string, path []string) error {
	var meta metav1.ObjectMeta
	if md := field(n, "metadata"); md != nil {
		if err := decodeNode(md, &meta); err != nil {
			return objectError(file, md, "%s: reading metadata: %v", kind, err)
		}
	}
	if meta.Name == "" {
		return objectError(file, n, "%s without metadata.name", kind)
	}
	where := strings.Join(path, ".")
	specNode := at(n, path...)
	if isNull(specNode) {
		return objectError(file, n, "%s %s has no pod template (%s is missing)", kind, meta.Name, where)
	}
	var spec corev1.PodSpec
	if err := decodeNode(specNode, &spec); err != nil {
		return objectError(file, specNode, "%s %s: reading %s: %v", kind, meta.Name, where, err)
	}
	if len(spec.Containers) == 0 {
		return objectError(file, specNode, "%s %s has no containers (%s.containers is empty)", kind, meta.Name, where)
	}
	base := Container{File: file, Kind: kind, Workload: meta.Name, Namespace: meta.Namespace,
		ServiceAccount: serviceAccountOf(spec), PullSecrets: secretNames(spec.ImagePullSecrets), placement: placementOf(spec)}
	ps := podSpec{file: file, node: specNode, what: kind + " " + meta.Name, path: where}
	if err := m.addContainers(ps, "initContainers", spec.InitContainers, base); err != nil {
		return err
	}
	return m.addContainers(ps, "containers", spec.Containers, base)
}

// podSpec is a pod template being read: its node, and how messages name it.
type podSpec struct {
	file       string
	node       *yaml.Node
	what, path string // "Deployment web", "spec.template.spec"
}

// addContainers adds the containers listed under key ("containers",
// "initContainers") of a pod spec, each at the line of its image.
func (m *Manifests) addContainers(ps podSpec, key string, cs []corev1.Container, base Container) error {
	for i, c := range cs {
		node := item(field(ps.node, key), i)
		if node == nil {
			node = ps.node
		}
		if c.Name == "" {
			return objectError(ps.file, node, "%s: a container in %s.%s has no name", ps.what, ps.path, key)
		}
		if strings.TrimSpace(c.Image) == "" {
			return objectError(ps.file, node, "%s: container %s has no image", ps.what, c.Name)
		}
		ct := base
		ct.Name, ct.Init, ct.Image, ct.PullSecrets = c.Name, key == "initContainers", c.Image, append([]string(nil), base.PullSecrets...)
		ct.Line, ct.column = imageLine(node)
		m.Containers = append(m.Containers, ct)
	}
	return nil
}

// imageLine is the line and column of a container's image value, or of the
// container when the image cannot be found (a merge key).
func imageLine(container *yaml.Node) (int, int) {
	if img := field(container, "image"); img != nil {
		return img.Line, img.Column
	}
	return container.Line, container.Column
}

func serviceAccountOf(spec corev1.PodSpec) string {
	switch {
	case spec.ServiceAccountName != "":
		return spec.ServiceAccountName
	case spec.DeprecatedServiceAccount != "":
		return spec.DeprecatedServiceAccount
	}
	return "default"
}

func secretNames(refs []corev1.LocalObjectReference) []string {
	var names []string
	for _, r := range refs {
		if r.Name != "" {
			names = append(names, r.Name)
		}
	}
	return names
}

func placementOf(spec corev1.PodSpec) placement {
	p := placement{selector: spec.NodeSelector}
	if a := spec.Affinity; a != nil && a.NodeAffinity != nil {
		p.affinity = a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	}
	return p
}
