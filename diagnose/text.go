package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SchemaVersion names the JSON report schema; it changes only when a field
// changes meaning or disappears.
const SchemaVersion = "pullcheck.report/v1"

// WriteResultText writes one result the way the chat thread shows it: a
// status mark, the finding ID, the summary, then the evidence indented.
func WriteResultText(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-40s %s\n", r.Status.Mark(), r.ID, r.Summary)
	for _, f := range r.Evidence {
		fmt.Fprintf(&b, "      %s: %s\n", f.Name, oneLine(f.Value))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteVerdictText writes the report's conclusion and the root cause's remedies.
func WriteVerdictText(w io.Writer, rep *Report) error {
	var b strings.Builder
	if rep.Container != "" {
		fmt.Fprintf(&b, "\nPod %s, container %s, image %s\n", rep.Request, rep.Container, rep.Image)
	}
	switch rep.Verdict {
	case PullsFine:
		fmt.Fprintf(&b, "Verdict: the pod pulls its images fine.\n")
	case VerdictUnproved:
		fmt.Fprintf(&b, "Verdict: inconclusive: no check found the cause; see the checks marked ? above.\n")
	case RootCauseFound:
		fmt.Fprintf(&b, "Root cause: %s: %s\n", rep.RootCause.ID, rep.RootCause.Summary)
		for i, rem := range rep.RootCause.Remedies {
			fmt.Fprintf(&b, "  Fix %d: %s (%s, %s)\n        %s\n        $ %s\n", i+1, rem.Title, rem.Action, rem.Risk, rem.Effect, rem.Manual)
		}
	}
	fmt.Fprintf(&b, "(%d checks in %s)\n", len(rep.Results), rep.Duration.Round(1e6))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes a whole report as text.
func WriteText(w io.Writer, rep *Report) error {
	for _, r := range rep.Results {
		if err := WriteResultText(w, r); err != nil {
			return err
		}
	}
	return WriteVerdictText(w, rep)
}

// jsonReport is the documented JSON form of a Report.
type jsonReport struct {
	Schema string `json:"schema"`
	*Report
}

// WriteJSON writes the report in the stable JSON schema (SchemaVersion).
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Schema: SchemaVersion, Report: rep})
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
