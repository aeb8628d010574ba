package blocks

import (
	"fmt"
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
		blocks = append(blocks, contextLine(":information_source: "+strings.Join(notes, " ")))
	}
	return message(fallback, blocks...)
}

// ButtonsDone is the Verdict message with its actions block replaced by a
// context line (note, e.g. ":lock: fix applied by <@U1> — buttons
// removed"). Sent with chat.update, it leaves a second click nothing to
// press. User mentions <@U…> in note are kept; all else is escaped.
func ButtonsDone(rep *diagnose.Report, note string) Message {
	fallback, blocks := verdictBlocks(rep)
	n := fit(escapeKeepUsers(oneLine(orElse(note, ":lock: buttons removed"))), 1000)
	return message(fallback, append(blocks, contextLine(n))...)
}

// verdictBlocks is the part of the verdict that outlives its buttons.
func verdictBlocks(rep *diagnose.Report) (string, []slack.Block) {
	line, fallback := headline(rep)
	blocks := []slack.Block{section(line)}
	if rep == nil {
		return fallback, blocks
	}
	about := subject(rep)
	if about != "" {
		about += " · "
	}
	blocks = append(blocks, contextLine(about+fmt.Sprintf("%d checks in %s", len(rep.Results), rep.Duration.Round(time.Millisecond))))
	if rootCause(rep) == nil {
		return fallback, blocks
	}
	rems := rep.RootCause.Remedies
	for i, rem := range rems {
		if i == maxRemedies {
			blocks = append(blocks, contextLine(fmt.Sprintf("… and %d more fixes; see %s.", len(rems)-i,
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
func headline(rep *diagnose.Report) (line, fallback string) {
	if rc := rootCause(rep); rc != nil {
		id := code(string(rc.ID), maxFindingLen)
		return ":x: *Root cause* " + id + ": " + summary(*rc),
			"Root cause " + escape(oneLine(string(rc.ID))) + ": " + summary(*rc)
	}
	if rep != nil && rep.Verdict == diagnose.PullsFine {
		return ":white_check_mark: *Pulls fine*: the pod pulls its images fine.",
			"Pulls fine: the pod pulls its images fine."
	}
	if rep == nil {
		return ":grey_question: *Inconclusive*: the diagnosis produced no report.",
			"Inconclusive: the diagnosis produced no report."
	}
	return ":grey_question: *Inconclusive*: no check found the cause; see the :grey_question: steps in the thread" +
			unsure(rep) + ".",
		"Inconclusive: no check found the cause; see the ? steps in the thread."
}

// unsure lists the inconclusive checks of a report, if few enough to read.
func unsure(rep *diagnose.Report) string {
	var ids []string
	for _, r := range rep.Results {
		if r.Status == diagnose.Inconclusive {
			ids = append(ids, code(string(r.ID), 100))
		}
	}
	if len(ids) == 0 || len(ids) > 10 {
		return ""
	}
	return " (" + strings.Join(ids, ", ") + ")"
}

// subject names what was diagnosed: pod, container and image, as known.
func subject(rep *diagnose.Report) string {
	var parts []string
	if rep.Request.Namespace != "" || rep.Request.Pod != "" {
		parts = append(parts, "pod "+code(rep.Request.String(), 300))
	}
	if rep.Container != "" {
		parts = append(parts, "container "+code(rep.Container, 300))
	}
	if rep.Image != "" {
		parts = append(parts, "image "+code(rep.Image, 600))
	}
	return strings.Join(parts, " · ")
}

// remedy renders one fix: title, action and risk, effect, and the manual
// command in a code block. The parts are cut separately so that the whole
// stays within a section.
func remedy(n int, rem diagnose.Remedy) string {
	risk := escape(oneLine(orElse(string(rem.Risk), "unknown risk")))
	if rem.Risk == diagnose.Disruptive {
		risk = ":warning: " + risk
	}
	s := fmt.Sprintf("*Fix %d: %s* (%s, %s)", n,
		fit(escape(oneLine(orElse(rem.Title, "(untitled)"))), maxRemedyTitle),
		code(string(rem.Action), maxRemedyWord), fit(risk, maxRemedyWord))
	if strings.TrimSpace(rem.Effect) != "" {
		s += "\n" + fit(escape(oneLine(rem.Effect)), maxEffect)
	}
	if strings.TrimSpace(rem.Manual) != "" {
		s += "\n" + codeBlock(rem.Manual, maxManual)
	}
	return s
}

// Root is the root message after a run: the verdict in one line (root cause
// ID and summary), what was diagnosed, how many checks passed, warned,
// failed or could not decide, and a pointer to the thread.
func Root(kind, target string, rep *diagnose.Report) Message {
	line, fallback := headline(rep)
	what := escape(oneLine(orElse(kind, "target")))
	about := what + " " + code(target, 500)
	if rep != nil {
		if s := subject(rep); s != "" && !(kind == "pod" && target == rep.Request.String()) {
			about += " → " + s
		} else if s != "" {
			about = s
		}
	}
	return message(what+" "+fit(escape(oneLine(target)), 500)+": "+fallback,
		section(line),
		contextLine(about),
		contextLine(counts(rep)+" · details in the thread"))
}

// counts tallies a report's results by status, in legend order; skips are
// left out when there are none.
func counts(rep *diagnose.Report) string {
	if rep == nil {
		return "no checks ran"
	}
	n := map[diagnose.Status]int{}
	for _, r := range rep.Results {
		s := r.Status
		if skipped(s) {
			s = diagnose.Skip
		}
		n[s]++
	}
	var parts []string
	for _, s := range statuses {
		if s == diagnose.Skip && n[s] == 0 {
			continue
		}
		label := string(s)
		if s == diagnose.Skip {
			label = "skipped"
		}
		parts = append(parts, fmt.Sprintf("%s %d %s", statusEmoji(s), n[s], label))
	}
	return strings.Join(parts, "  ")
}
