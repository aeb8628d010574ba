package preflight

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds the manifest parser arbitrary input: it must not panic,
// every error must name the input, and every container it returns must
// have a name, an image and a line.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.y*ml")
	more, _ := filepath.Glob("testdata/*/*.json")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "---\n---\n", "a: [x", "kind: List\napiVersion: v1\nitems: [{kind: List, items: [{kind: List}]}]",
		"&a [*a, *a]", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: &i x}, {name: d, image: *i}]}",
		"{kind: Secret, apiVersion: v1, metadata: {name: s}, data: {k: 1}}", "? [a]\n: b\nkind: Pod"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := &Manifests{}
		if err := Parse("in.yaml", data, m); err != nil {
			if !strings.HasPrefix(err.Error(), "in.yaml") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		for _, c := range m.Containers {
			if c.Name == "" || strings.TrimSpace(c.Image) == "" || c.Line < 1 || c.Workload == "" {
				t.Errorf("incomplete container %+v", c)
			}
		}
	})
}
