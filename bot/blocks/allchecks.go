package blocks

import (
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/diagnose"
)

// maxListedFacts bounds the evidence under each check of the full list;
// the thread's message shows all of a failing check's.
const maxListedFacts = 5

// AllChecks lists every check of a report, passed and skipped ones too,
// grouped by stage, each with its evidence: what "Show all checks" shows
// only to the person who clicked. fresh says the list comes from a new run
// of the diagnosis, not from the run the thread shows.
func AllChecks(rep *diagnose.Report, fresh bool) Message {
	if rep == nil {
		return message(lit("No checks ran."), section(lit(":clipboard: No checks ran.")))
	}
	when := textf("diagnosed at %s UTC", rep.Started.UTC().Format("15:04:05"))
	if fresh {
		when = lit("diagnosed again just now, as the run in the thread was not at hand")
	}
	bl := []slack.Block{section(textf(":clipboard: *All %d checks*, %s", len(rep.Results), when))}
	if about := subject(rep); !about.blank() {
		bl = append(bl, contextLine(about))
	}
	var texts []mrkdwn
	for i, group := range byStage(rep.Results) {
		if len(group) == 0 {
			continue
		}
		lines := []mrkdwn{textf("*%s*", stageName(i))}
		for _, r := range group {
			lines = append(append(lines, checkLine(r)), factLines(r.Evidence)...)
		}
		texts = append(texts, chunks(lines, maxSectionText)...)
	}
	for i, t := range texts {
		if len(bl) == maxBlocks-1 {
			bl = append(bl, contextLine(textf("… %d more sections left out; %s lists everything.", len(texts)-i,
				code("pullcheck diagnose pod "+rep.Request.String()+" -o json", 600))))
			break
		}
		bl = append(bl, section(t))
	}
	return message(textf("All %d checks, %s", len(rep.Results), when), bl...)
}

// factLines renders evidence indented under its check, a few facts at most.
func factLines(facts []diagnose.Fact) []mrkdwn {
	var out []mrkdwn
	for i, f := range facts {
		if i == maxListedFacts {
			out = append(out, textf("\u2003%s", moreFacts(len(facts)-i)))
			break
		}
		out = append(out, textf("\u2003%s", fact(f)))
	}
	return out
}
