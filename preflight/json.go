package preflight

import (
	"encoding/json"
	"io"

	"github.com/pullcheck/pullcheck/diagnose"
)

// SchemaVersion names the JSON schema of WriteJSON; fields are only ever
// added.
const SchemaVersion = "pullcheck.preflight/v1"

type jsonRun struct {
	Schema     string           `json:"schema"`
	Offline    bool             `json:"offline"`
	Verdict    diagnose.Verdict `json:"verdict"`
	Notes      []string         `json:"notes,omitempty"`
	Summary    Counts           `json:"summary"`
	Skipped    []jsonSkipped    `json:"skipped,omitempty"`
	Containers []jsonContainer  `json:"containers"`
	Diagnoses  []jsonReport     `json:"diagnoses"`
}

type jsonSkipped struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

type jsonContainer struct {
	Container
	Verdict   diagnose.Verdict `json:"verdict"`
	RootCause *jsonCause       `json:"root_cause,omitempty"`
	Warnings  []jsonCause      `json:"warnings,omitempty"`
	Diagnosis int              `json:"diagnosis"`
}

// jsonCause is a result without its evidence (the diagnosis has it).
type jsonCause struct {
	ID       diagnose.FindingID `json:"id"`
	Status   diagnose.Status    `json:"status"`
	Summary  string             `json:"summary"`
	Remedies []diagnose.Remedy  `json:"remedies,omitempty"`
}

// jsonReport is a diagnosis in its own schema, diagnose.SchemaVersion.
type jsonReport struct {
	Schema string `json:"schema"`
	*diagnose.Report
}

// WriteJSON writes the run in the schema SchemaVersion: every container
// with its verdict and root cause, and the distinct diagnoses they index.
func WriteJSON(w io.Writer, r *Run) error {
	out := jsonRun{Schema: SchemaVersion, Offline: r.Offline, Verdict: r.Verdict(), Notes: r.Notes, Summary: r.Counts(),
		Containers: []jsonContainer{}, Diagnoses: []jsonReport{}}
	for _, k := range r.Manifests.SkippedKinds() {
		out.Skipped = append(out.Skipped, jsonSkipped{Kind: k, Count: r.Manifests.Skipped[k]})
	}
	for _, ch := range r.Checked {
		f := finding(r.Report(ch))
		jc := jsonContainer{Container: ch.Container, Verdict: f.Verdict, Diagnosis: ch.Report}
		if f.Cause != nil && f.Verdict == diagnose.RootCauseFound {
			jc.RootCause = causeOf(*f.Cause)
		}
		for _, wr := range f.Warnings {
			jc.Warnings = append(jc.Warnings, *causeOf(wr))
		}
		out.Containers = append(out.Containers, jc)
	}
	for _, rep := range r.Reports {
		out.Diagnoses = append(out.Diagnoses, jsonReport{Schema: diagnose.SchemaVersion, Report: rep})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func causeOf(r diagnose.Result) *jsonCause {
	return &jsonCause{ID: r.ID, Status: r.Status, Summary: r.Summary, Remedies: r.Remedies}
}
