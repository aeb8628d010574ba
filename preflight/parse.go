package preflight

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
)

// template says where a kind keeps its pod template and in which API
// group the kind lives ("" is the core group).
type template struct {
	groups []string
	path   []string
}

var podTemplate = []string{"spec", "template", "spec"}

// templates are the kinds whose pods the preflight checks.
var templates = map[string]template{
	"Pod":                   {[]string{""}, []string{"spec"}},
	"Deployment":            {[]string{"apps", "extensions"}, podTemplate},
	"StatefulSet":           {[]string{"apps"}, podTemplate},
	"DaemonSet":             {[]string{"apps", "extensions"}, podTemplate},
	"ReplicaSet":            {[]string{"apps", "extensions"}, podTemplate},
	"ReplicationController": {[]string{""}, podTemplate},
	"Job":                   {[]string{"batch"}, podTemplate},
	"CronJob":               {[]string{"batch"}, []string{"spec", "jobTemplate", "spec", "template", "spec"}},
}

// Parse reads the objects of one file — YAML with any number of
// documents, or JSON — into m. file names the input in messages.
func Parse(file string, data []byte, m *Manifests) error {
	m.Files = append(m.Files, file)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return syntaxError(file, err)
		}
		if len(doc.Content) == 0 || isNull(doc.Content[0]) {
			continue // an empty document: "---" twice, or comments only
		}
		if err := m.add(file, deref(doc.Content[0]), 0); err != nil {
			return err
		}
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserProblems are the YAML parser's (not scanner's) problems: yaml.v3
// numbers their lines from 0, the scanner's from 1. The value says whether
// the line may be where the enclosing block starts rather than the
// problem's (yaml.v3 names the block's line unless it is the first).
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'": true, "did not find expected ',' or '}'": true,
	"did not find expected '-' indicator": true, "did not find expected key": true,
	"did not find expected node content": true, "did not find expected <document start>": false,
	"did not find expected <stream-start>": false, "found duplicate %TAG directive": false,
	"found duplicate %YAML directive": false, "found incompatible YAML document": false, "found undefined tag handle": false,
}

// syntaxError names the file and line of a YAML error.
func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		block, parser := parserProblems[m[2]]
		if parser {
			line++
		}
		if block {
			return fmt.Errorf("%s:%d: YAML syntax error: %s (on this line, or in the block it starts)", file, line, m[2])
		}
		return fmt.Errorf("%s:%d: YAML syntax error: %s", file, line, m[2])
	}
	return fmt.Errorf("%s: YAML syntax error: %s", file, strings.TrimPrefix(msg, "yaml: "))
}

// objectError is a problem with one object, at its line.
func objectError(file string, n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", file, n.Line, fmt.Sprintf(format, args...))
}

// add reads one object; depth counts the Lists it sits in.
func (m *Manifests) add(file string, n *yaml.Node, depth int) error {
	if n.Kind != yaml.MappingNode {
		return objectError(file, n, "expected a Kubernetes object (a mapping with apiVersion and kind)")
	}
	kind, group := text(n, "kind"), apiGroup(text(n, "apiVersion"))
	if kind == "" {
		return objectError(file, n, "the object has no kind")
	}
	if items := field(n, "items"); strings.HasSuffix(kind, "List") && (items != nil || kind == "List") {
		return m.addList(file, n, items, depth)
	}
	m.Objects++
	if t, ok := templates[kind]; ok && contains(t.groups, group) {
		return m.addWorkload(file, n, kind, t.path)
	}
	if group == "" {
		switch kind {
		case "Namespace", "ServiceAccount", "Secret":
			return m.addSetup(file, n, kind)
		}
	}
	m.skip(kind)
	return nil
}

func (m *Manifests) addList(file string, n, items *yaml.Node, depth int) error {
	if depth > 4 {
		return objectError(file, n, "Lists nested more than 4 deep")
	}
	if isNull(items) {
		return nil
	}
	if items.Kind != yaml.SequenceNode {
		return objectError(file, items, "the List's items are not a sequence")
	}
	for _, it := range items.Content {
		if err := m.add(file, deref(it), depth+1); err != nil {
			return err
		}
	}
	return nil
}

// apiGroup is the group of an apiVersion: "apps" for "apps/v1", "" for "v1".
func apiGroup(apiVersion string) string {
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		return ""
	}
	return group
}

// addSetup reads an object that decides pull credentials.
func (m *Manifests) addSetup(file string, n *yaml.Node, kind string) error {
	var err error
	switch kind {
	case "Namespace":
		ns := &corev1.Namespace{}
		if err = decodeNode(n, ns); err == nil && ns.Name != "" {
			m.Namespaces = append(m.Namespaces, ns)
		}
	case "ServiceAccount":
		sa := &corev1.ServiceAccount{}
		if err = decodeNode(n, sa); err == nil && sa.Name != "" {
			m.ServiceAccounts = append(m.ServiceAccounts, sa)
		}
	case "Secret":
		err = m.addSecret(n)
	}
	if err != nil {
		// Decoding errors name types and offsets, never values.
		return objectError(file, n, "reading %s %q: %v", kind, text(field(n, "metadata"), "name"), err)
	}
	if text(field(n, "metadata"), "name") == "" {
		return objectError(file, n, "%s without metadata.name", kind)
	}
	return nil
}

// addSecret reads a Secret as the API server stores it: stringData
// merged into data.
func (m *Manifests) addSecret(n *yaml.Node) error {
	s := &corev1.Secret{}
	if err := decodeNode(n, s); err != nil {
		return err
	}
	if s.Name == "" {
		return nil
	}
	for k, v := range s.StringData {
		if s.Data == nil {
			s.Data = map[string][]byte{}
		}
		s.Data[k] = []byte(v)
	}
	s.StringData = nil
	if s.Type == "" {
		s.Type = corev1.SecretTypeOpaque // as the API server defaults it
	}
	m.Secrets = append(m.Secrets, s)
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
