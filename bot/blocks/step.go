package blocks

import (
	"github.com/pullcheck/pullcheck/diagnose"
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
func statusEmoji(s diagnose.Status) mrkdwn {
	switch s {
	case diagnose.Pass:
		return lit(":white_check_mark:")
	case diagnose.Warn:
		return lit(":warning:")
	case diagnose.Fail:
		return lit(":x:")
	case diagnose.Inconclusive:
		return lit(":grey_question:")
	default:
		return lit(":heavy_minus_sign:")
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
func summary(r diagnose.Result) mrkdwn { return line(orElse(r.Summary, "(no summary)"), maxSummary) }

// evidence renders facts as one bullet each, as many as fit, then a count of
// the rest.
func evidence(facts []diagnose.Fact) mrkdwn {
	var lines []mrkdwn
	used := 0
	for _, f := range facts {
		l := fact(f)
		reserve := 0
		if left := len(facts) - len(lines) - 1; left > 0 {
			reserve = runes(moreFacts(left).s)
		}
		if len(lines) == maxFacts || used+runes(l.s)+1+reserve > maxEvidence {
			break
		}
		lines = append(lines, l)
		used += runes(l.s) + 1
	}
	if rest := len(facts) - len(lines); rest > 0 {
		lines = append(lines, moreFacts(rest))
	}
	return join(lines, "\n")
}

// fact renders one piece of evidence.
func fact(f diagnose.Fact) mrkdwn {
	return textf("• *%s:* %s", line(orElse(f.Name, "(unnamed)"), maxFactName), line(orElse(f.Value, "(empty)"), maxFactValue))
}

// moreFacts notes facts left out.
func moreFacts(n int) mrkdwn { return textf("… and %d more facts", n) }
