package preflight

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pullcheck/pullcheck/diagnose"
)

// WriteText writes one line per container — where, what, and its
// verdict — then the fixes of each distinct root cause, and a summary.
func WriteText(w io.Writer, r *Run) error {
	var b strings.Builder
	c := r.Counts()
	fmt.Fprintf(&b, "pullcheck preflight: %d container%s in %d workload%s, %d distinct diagnos%s%s\n",
		c.Containers, plural(c.Containers), c.Workloads, plural(c.Workloads), c.Diagnoses,
		map[bool]string{true: "is", false: "es"}[c.Diagnoses == 1], map[bool]string{true: " (offline)"}[r.Offline])
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	if len(r.Checked) > 0 {
		b.WriteString("\n")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, ch := range r.Checked {
		fmt.Fprintf(tw, "%s:%d\t%s %s/%s\t%s\t%s\t%s\n", ch.File, ch.Line, ch.Kind, ch.Namespace, ch.Workload,
			containerLabel(ch.Container), ch.Image, findingText(finding(r.Report(ch))))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeFixes(&b, r)
	writeSummary(&b, r, c)
	_, err := io.WriteString(w, b.String())
	return err
}

func containerLabel(c Container) string {
	if c.Init {
		return "init " + c.Name
	}
	return c.Name
}

// findingText is a container's verdict in one line.
func findingText(f Finding) string {
	var s string
	switch f.Verdict {
	case diagnose.RootCauseFound:
		s = fmt.Sprintf("✗ %s: %s", f.Cause.ID, oneLine(f.Cause.Summary))
	case diagnose.PullsFine:
		s = "✓ pulls"
	default:
		s = "? inconclusive"
		if f.Cause != nil {
			s += fmt.Sprintf(": %s: %s", f.Cause.ID, oneLine(f.Cause.Summary))
		}
	}
	for _, w := range f.Warnings {
		s += fmt.Sprintf("; ! %s: %s", w.ID, oneLine(w.Summary))
	}
	return s
}

// writeFixes lists each distinct root cause once, with its remedies.
func writeFixes(b *strings.Builder, r *Run) {
	users := make([]int, len(r.Reports))
	for _, ch := range r.Checked {
		users[ch.Report]++
	}
	header := false
	for i, rep := range r.Reports {
		if rep.RootCause == nil {
			continue
		}
		if !header {
			b.WriteString("\nFixes:\n")
			header = true
		}
		fmt.Fprintf(b, "  %s (%s, %d container%s): %s\n", rep.RootCause.ID, rep.Request, users[i], plural(users[i]), oneLine(rep.RootCause.Summary))
		for _, rem := range rep.RootCause.Remedies {
			fmt.Fprintf(b, "    - %s\n      $ %s\n", rem.Title, rem.Manual)
		}
	}
}

func writeSummary(b *strings.Builder, r *Run, c Counts) {
	if kinds := r.Manifests.SkippedKinds(); len(kinds) > 0 {
		var parts []string
		total := 0
		for _, k := range kinds {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, r.Manifests.Skipped[k]))
			total += r.Manifests.Skipped[k]
		}
		fmt.Fprintf(b, "\nSkipped %d object%s of kinds the preflight does not read: %s\n", total, plural(total), strings.Join(parts, ", "))
	}
	fmt.Fprintf(b, "\nVerdict: %s (containers: %d pull, %d have a root cause, %d inconclusive).\n",
		verdictText[r.Verdict()], c.PullsFine, c.RootCause, c.Inconclusive)
}

var verdictText = map[diagnose.Verdict]string{
	diagnose.PullsFine:       "every image pulls",
	diagnose.RootCauseFound:  "some images cannot be pulled",
	diagnose.VerdictUnproved: "inconclusive",
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
