package preflight_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pullcheck/pullcheck/preflight"
)

// sarifSchema is the OASIS SARIF 2.1.0 schema (errata 01), vendored from
// github.com/oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json.
const sarifSchema = "testdata/sarif-schema-2.1.0.json"

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri, uri-reference, date-time…: checked, not just annotated
	sch, err := c.Compile(sarifSchema)
	if err != nil {
		t.Fatalf("compiling %s: %v", sarifSchema, err)
	}
	return sch
}

// TestSARIFSchema validates every SARIF golden file, and an empty run,
// against the SARIF 2.1.0 JSON schema.
func TestSARIFSchema(t *testing.T) {
	sch := compileSARIFSchema(t)
	files, err := filepath.Glob("testdata/golden/*.sarif")
	if err != nil || len(files) == 0 {
		t.Fatalf("no SARIF golden files (%v)", err)
	}
	var empty bytes.Buffer
	if err := preflight.WriteSARIF(&empty, &preflight.Run{Manifests: &preflight.Manifests{}}, "dev"); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{"empty run": empty.Bytes()}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = b
	}
	for name, b := range docs {
		t.Run(name, func(t *testing.T) {
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v", err)
			}
		})
	}
}

// TestSARIFSchemaRejects makes sure the validator is awake: a log without
// a version, and a result with an unknown level, are refused.
func TestSARIFSchemaRejects(t *testing.T) {
	sch := compileSARIFSchema(t)
	for name, doc := range map[string]string{
		"no version": `{"runs": []}`,
		"bad level": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
			"results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(doc)))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepted an invalid log", name)
		}
	}
}
