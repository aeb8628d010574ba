package preflight

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
)

// SARIF 2.1.0, the subset WriteSARIF uses (OASIS SARIF v2.1.0, §3).
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	toolURI      = "https://github.com/pullcheck/pullcheck"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// WriteSARIF writes the run as a SARIF 2.1.0 log: one rule per finding of
// diagnose.Catalogue, and for each container a result at its image line —
// an error for its root cause, a warning for each warning, and a note for
// each check that could not decide when the verdict is inconclusive.
// version is pullcheck's version, for the tool's driver.
func WriteSARIF(w io.Writer, r *Run, version string) error {
	rules, index := sarifRules()
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "pullcheck", Version: version, InformationURI: toolURI, Rules: rules}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{},
		Properties:  map[string]any{"schema": SchemaVersion, "offline": r.Offline, "verdict": r.Verdict()},
	}
	for _, n := range r.Notes {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "note", Message: sarifMessage{Text: n}})
	}
	for _, ch := range r.Checked {
		rep := r.Report(ch)
		for _, lr := range leveled(rep) {
			run.Results = append(run.Results, sarifResultFor(ch, lr.res, lr.level, index))
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifRules() ([]sarifRule, map[diagnose.FindingID]int) {
	index := map[diagnose.FindingID]int{}
	var rules []sarifRule
	for i, c := range diagnose.Catalogue {
		id := c.ID()
		index[id] = i
		rules = append(rules, sarifRule{ID: string(id), Name: ruleName(id), ShortDescription: sarifMessage{Text: ruleText[id]},
			DefaultConfiguration: sarifConfig{Level: ruleLevel(id)}})
	}
	return rules, index
}

type leveledResult struct {
	res   diagnose.Result
	level string
}

// leveled are the results of a report that SARIF shows, with their levels.
func leveled(rep *diagnose.Report) []leveledResult {
	var out []leveledResult
	if rep.RootCause != nil {
		out = append(out, leveledResult{*rep.RootCause, "error"})
	}
	for _, r := range rep.Results {
		if r.Status == diagnose.Warn {
			out = append(out, leveledResult{r, "warning"})
		}
	}
	for _, r := range inconclusive(rep) {
		out = append(out, leveledResult{r, "note"})
	}
	return out
}

func sarifResultFor(ch Checked, res diagnose.Result, level string, index map[diagnose.FindingID]int) sarifResult {
	workload := fmt.Sprintf("%s %s/%s", ch.Kind, ch.Namespace, ch.Workload)
	msg := fmt.Sprintf("%s, container %s, image %s: %s", workload, ch.Name, ch.Image, oneLine(res.Summary))
	if level == "error" && len(res.Remedies) > 0 {
		msg += fmt.Sprintf(". Fix: %s: %s", res.Remedies[0].Title, res.Remedies[0].Manual)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{string(res.ID), ch.Kind, ch.Namespace, ch.Workload, ch.Name, ch.Image}, "\x00")))
	return sarifResult{
		RuleID: string(res.ID), RuleIndex: index[res.ID], Level: level, Message: sarifMessage{Text: msg},
		Locations: []sarifLocation{{
			PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(ch.File)},
				Region: sarifRegion{StartLine: max(ch.Line, 1), StartColumn: ch.column}},
			LogicalLocations: []sarifLogical{{Name: ch.Name, FullyQualifiedName: workload + "/" + ch.Name, Kind: "resource"}},
		}},
		PartialFingerprints: map[string]string{"pullcheckContainer/v1": hex.EncodeToString(sum[:16])},
		Properties: map[string]any{"namespace": ch.Namespace, "kind": ch.Kind, "workload": ch.Workload, "container": ch.Name,
			"image": ch.Image, "status": res.Status},
	}
}
