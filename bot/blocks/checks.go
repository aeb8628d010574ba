package blocks

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/diagnose"
)

// checksBlockID names the actions block of a checks message.
const checksBlockID = "pullcheck-checks"

// LiveChecks is the thread's one checks message while a diagnosis runs:
// every check done so far, grouped by stage, one line each, with a count
// of the skipped. The bot edits it in place as checks complete. total is
// how many checks the diagnosis runs, 0 (or too few) when unknown.
func LiveChecks(results []diagnose.Result, total int) Message {
	done := textf("%d", len(results))
	if total >= len(results) && total > 0 {
		done = textf("%d of %d", len(results), total)
	}
	bl := []slack.Block{section(textf(":hourglass_flowing_sand: *Checks*: %s done", done))}
	for i, group := range byStage(results) {
		if len(group) > 0 {
			bl = append(bl, section(stageLines(i, group)))
		}
	}
	return message(textf("Checks: %s done", done), bl...)
}

// stageLines is a stage's heading and the line of each check that was not
// skipped; the heading counts the skipped.
func stageLines(stage int, group []diagnose.Result) mrkdwn {
	head := textf("*%s*", stageName(stage))
	if n := tally(group)[diagnose.Skip]; n > 0 {
		head = textf("%s  _%d skipped_", head, n)
	}
	lines := []mrkdwn{head}
	for _, r := range group {
		if !skipped(r.Status) {
			lines = append(lines, checkLine(r))
		}
	}
	return join(lines, "\n")
}

// Checks is the checks message once the diagnosis is done: the counts, then
// every check that failed, warned or could not decide with its evidence,
// grouped by stage; passed and skipped checks fold into their count.
// showAll, when set, is the button that lists every check.
func Checks(rep *diagnose.Report, showAll *Button) Message {
	var results []diagnose.Result
	if rep != nil {
		results = rep.Results
	}
	bl := []slack.Block{section(textf(":clipboard: *%d checks*%s · %s", len(results), took(rep), counts(rep)))}
	room, left := maxBlocks-3, 0 // the fold line, the button and its note
	for i, group := range byStage(results) {
		heading := textf("*%s*\n", stageName(i))
		for _, r := range group {
			if r.Status == diagnose.Pass || skipped(r.Status) {
				continue
			}
			step := stepBlocks(r, heading)
			if left > 0 || len(bl)+len(step) > room {
				left++
				continue
			}
			bl, heading = append(bl, step...), lit("")
		}
	}
	bl = append(bl, folded(tally(results), left, showAll != nil)...)
	if showAll != nil {
		a, notes := actions([]Button{*showAll})
		if a != nil {
			a.BlockID = checksBlockID
			bl = append(bl, a)
		}
		for _, n := range notes {
			bl = append(bl, contextLine(n))
		}
	}
	n := tally(results)
	return message(textf("%d checks: %d failed, %d warned, %d inconclusive, %d passed, %d skipped", len(results),
		n[diagnose.Fail], n[diagnose.Warn], n[diagnose.Inconclusive], n[diagnose.Pass], n[diagnose.Skip]), bl...)
}

// stepBlocks renders one check: the status, finding and summary after
// heading, then its evidence in a context block.
func stepBlocks(r diagnose.Result, heading mrkdwn) []slack.Block {
	bl := []slack.Block{section(textf("%s%s %s %s", heading, statusEmoji(r.Status), code(string(r.ID), maxFindingLen), summary(r)))}
	if len(r.Evidence) > 0 {
		bl = append(bl, contextLine(evidence(r.Evidence)))
	}
	return bl
}

// folded says what the checks message leaves out: checks that did not pass
// but did not fit, and the passed and skipped ones.
func folded(n map[diagnose.Status]int, left int, button bool) []slack.Block {
	var parts []mrkdwn
	if left > 0 {
		parts = append(parts, textf("%d more checks that did not pass are not shown here.", left))
	}
	if n[diagnose.Pass]+n[diagnose.Skip] > 0 {
		parts = append(parts, textf("%s %d passed and %s %d skipped are folded.",
			statusEmoji(diagnose.Pass), n[diagnose.Pass], statusEmoji(diagnose.Skip), n[diagnose.Skip]))
	}
	if len(parts) == 0 {
		return nil
	}
	if button {
		parts = append(parts, lit("*Show all checks* lists every one, only to you."))
	}
	return []slack.Block{contextLine(join(parts, " "))}
}

// took is " in 1.234s", or nothing without a report.
func took(rep *diagnose.Report) mrkdwn {
	if rep == nil {
		return lit("")
	}
	return textf(" in %s", rep.Duration.Round(time.Millisecond))
}
