package blocks

import (
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/slack-go/slack"
)

// Remedy limits: a verdict shows a few fixes in full rather than many cut
// short; the rest are counted.
const (
	maxRemedies    = 8
	maxRemedyTitle = 150
	maxRemedyWord  = 60
	maxEffect      = 700
	maxManual      = 1800
)

// Verdict renders the verdict reply: the root cause (or "pulls fine", or
// inconclusive), the root cause's remedies with the command a person could
// run instead, and an actions block with the buttons.
func Verdict(rep *diagnose.Report, buttons []Button) Message {
	fallback, blocks := verdictBlocks(rep)
	act, notes := actions(buttons)
	if act != nil {
		blocks = append(blocks, act)
	}
	if len(notes) > 0 {
		blocks = append(blocks, contextLine(cat(lit(":information_source: "), join(notes, " "))))
	}
	return message(fallback, blocks...)
}

// verdictBlocks is the part of the verdict that outlives its buttons.
func verdictBlocks(rep *diagnose.Report) (mrkdwn, []slack.Block) {
	head, fallback := headline(rep)
	blocks := []slack.Block{section(head)}
	if rep == nil {
		return fallback, blocks
	}
	about := subject(rep)
	if !about.blank() {
		about = cat(about, lit(" · "))
	}
	blocks = append(blocks, contextLine(textf("%s%d checks in %s", about, len(rep.Results), rep.Duration.Round(time.Millisecond))))
	if rootCause(rep) == nil {
		return fallback, blocks
	}
	rems := rep.RootCause.Remedies
	for i, rem := range rems {
		if i == maxRemedies {
			blocks = append(blocks, contextLine(textf("… and %d more fixes; see %s.", len(rems)-i,
				code("pullcheck diagnose pod "+rep.Request.String()+" -o json", 600))))
			break
		}
		blocks = append(blocks, section(remedy(i+1, rem)))
	}
	return fallback, blocks
}

// rootCause is the report's root cause, or nil when its verdict has none.
func rootCause(rep *diagnose.Report) *diagnose.Result {
	if rep == nil || rep.Verdict != diagnose.RootCauseFound {
		return nil
	}
	return rep.RootCause
}

// headline sums a report up in one line of mrkdwn, and in fallback text.
func headline(rep *diagnose.Report) (head, fallback mrkdwn) {
	if rc := rootCause(rep); rc != nil {
		return textf(":x: *Root cause* %s: %s", code(string(rc.ID), maxFindingLen), summary(*rc)),
			textf("Root cause %s: %s", oneLine(string(rc.ID)), summary(*rc))
	}
	if rep != nil && rep.Verdict == diagnose.PullsFine {
		return lit(":white_check_mark: *Pulls fine*: the pod pulls its images fine."),
			lit("Pulls fine: the pod pulls its images fine.")
	}
	if rep == nil {
		return lit(":grey_question: *Inconclusive*: the diagnosis produced no report."),
			lit("Inconclusive: the diagnosis produced no report.")
	}
	return textf(":grey_question: *Inconclusive*: no check found the cause; see the :grey_question: checks in the thread%s.", unsure(rep)),
		lit("Inconclusive: no check found the cause; see the ? checks in the thread.")
}

// unsure lists the inconclusive checks of a report, if few enough to read.
func unsure(rep *diagnose.Report) mrkdwn {
	var ids []mrkdwn
	for _, r := range rep.Results {
		if r.Status == diagnose.Inconclusive {
			ids = append(ids, code(string(r.ID), 100))
		}
	}
	if len(ids) == 0 || len(ids) > 10 {
		return lit("")
	}
	return textf(" (%s)", join(ids, ", "))
}

// subject names what was diagnosed: pod, container and image, as known.
func subject(rep *diagnose.Report) mrkdwn {
	var parts []mrkdwn
	if rep.Request.Namespace != "" || rep.Request.Pod != "" {
		parts = append(parts, textf("pod %s", code(rep.Request.String(), 300)))
	}
	if rep.Container != "" {
		parts = append(parts, textf("container %s", code(rep.Container, 300)))
	}
	if rep.Image != "" {
		parts = append(parts, textf("image %s", code(rep.Image, 600)))
	}
	return join(parts, " · ")
}

// remedy renders one fix: title, action and risk, effect, and the manual
// command in a code block. The parts are cut separately so that the whole
// stays within a section.
func remedy(n int, rem diagnose.Remedy) mrkdwn {
	risk := untrusted(oneLine(orElse(string(rem.Risk), "unknown risk")))
	if rem.Risk == diagnose.Disruptive {
		risk = cat(lit(":warning: "), risk)
	}
	s := textf("*Fix %d: %s* (%s, %s)", n, line(orElse(rem.Title, "(untitled)"), maxRemedyTitle),
		code(string(rem.Action), maxRemedyWord), fit(risk, maxRemedyWord))
	if strings.TrimSpace(rem.Effect) != "" {
		s = textf("%s\n%s", s, line(rem.Effect, maxEffect))
	}
	if strings.TrimSpace(rem.Manual) != "" {
		s = textf("%s\n%s", s, codeBlock(rem.Manual, maxManual))
	}
	return s
}

// Root is the root message after a run: the verdict in one line (root cause
// ID and summary), what was diagnosed, how many checks passed, warned,
// failed or could not decide, and a pointer to the thread.
func Root(kind, target string, rep *diagnose.Report) Message {
	head, fallback := headline(rep)
	what := untrusted(oneLine(orElse(kind, "target")))
	about := textf("%s %s", what, code(target, 500))
	if rep != nil {
		if s := subject(rep); !s.blank() && !(kind == "pod" && target == rep.Request.String()) {
			about = textf("%s → %s", about, s)
		} else if !s.blank() {
			about = s
		}
	}
	return message(textf("%s %s: %s", what, line(target, 500), fallback),
		section(head),
		contextLine(about),
		contextLine(textf("%s · details in the thread", counts(rep))))
}

// counts tallies a report's results by status, in legend order; skips are
// left out when there are none.
func counts(rep *diagnose.Report) mrkdwn {
	if rep == nil {
		return lit("no checks ran")
	}
	n := tally(rep.Results)
	var parts []mrkdwn
	for _, s := range statuses {
		if s == diagnose.Skip && n[s] == 0 {
			continue
		}
		label := string(s)
		if s == diagnose.Skip {
			label = "skipped"
		}
		parts = append(parts, textf("%s %d %s", statusEmoji(s), n[s], label))
	}
	return join(parts, "  ")
}
