package blocks

import (
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/slack-go/slack"
)

// Evidence limits: a fact is a line, not a paragraph, and a step is a
// glance, not a log. Slack's own limits are larger.
const (
	maxFactName   = 100
	maxFactValue  = 500
	maxFacts      = 25
	maxSummary    = 1000
	maxEvidence   = maxSectionText
	maxFindingLen = 200
)

// statuses lists every status in the order a legend shows them.
var statuses = []diagnose.Status{diagnose.Pass, diagnose.Warn, diagnose.Fail, diagnose.Inconclusive, diagnose.Skip}

// statusEmoji is the chat form of Status.Mark.
func statusEmoji(s diagnose.Status) string {
	switch s {
	case diagnose.Pass:
		return ":white_check_mark:"
	case diagnose.Warn:
		return ":warning:"
	case diagnose.Fail:
		return ":x:"
	case diagnose.Inconclusive:
		return ":grey_question:"
	default:
		return ":heavy_minus_sign:"
	}
}

// skipped reports whether a result renders as a skip: Status.Mark treats
// every unknown status like skip, and so does the thread.
func skipped(s diagnose.Status) bool {
	switch s {
	case diagnose.Pass, diagnose.Warn, diagnose.Fail, diagnose.Inconclusive:
		return false
	}
	return true
}

// summary is a result's summary, escaped, on one line and cut to fit.
func summary(r diagnose.Result) string {
	return fit(escape(oneLine(orElse(r.Summary, "(no summary)"))), maxSummary)
}

// Step renders one check as a thread reply: the status emoji, the finding
// ID, the summary and the evidence as a compact list. A skipped check is a
// single context line, so that skips do not crowd the thread.
func Step(r diagnose.Result) Message {
	id := code(string(r.ID), maxFindingLen)
	fallback := r.Status.Mark() + " " + escape(oneLine(string(r.ID))) + ": " + summary(r)
	if skipped(r.Status) {
		return message(fallback, contextLine(statusEmoji(r.Status)+" "+id+" "+summary(r)))
	}
	blocks := []slack.Block{section(statusEmoji(r.Status) + " " + id + " " + summary(r))}
	if len(r.Evidence) > 0 {
		blocks = append(blocks, contextLine(evidence(r.Evidence)))
	}
	return message(fallback, blocks...)
}

// evidence renders facts as one bullet each, as many as fit, then a count of
// the rest.
func evidence(facts []diagnose.Fact) string {
	var b strings.Builder
	used, shown := 0, 0
	for _, f := range facts {
		line := fact(f)
		if shown > 0 {
			line = "\n" + line
		}
		reserve := 0
		if left := len(facts) - shown - 1; left > 0 {
			reserve = runes(moreFacts(left))
		}
		if shown == maxFacts || used+runes(line)+reserve > maxEvidence {
			break
		}
		b.WriteString(line)
		used += runes(line)
		shown++
	}
	if rest := len(facts) - shown; rest > 0 {
		b.WriteString(moreFacts(rest))
	}
	return strings.TrimPrefix(b.String(), "\n")
}

// fact renders one piece of evidence.
func fact(f diagnose.Fact) string {
	name := fit(escape(oneLine(orElse(f.Name, "(unnamed)"))), maxFactName)
	value := fit(escape(oneLine(orElse(f.Value, "(empty)"))), maxFactValue)
	return "• *" + name + ":* " + value
}

// moreFacts notes facts left out; it starts a new line.
func moreFacts(n int) string { return fmt.Sprintf("\n… and %d more facts", n) }
