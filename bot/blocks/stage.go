package blocks

import (
	"github.com/pullcheck/pullcheck/diagnose"
)

// stage is a group of checks in the thread, named for the part of a pull
// it looks at.
type stage struct {
	name  literal
	first diagnose.FindingID
}

// stages are the catalogue's groups, in order: each runs from its first
// finding up to the next stage's first. A finding's stage follows from its
// place in diagnose.Catalogue, so a new finding needs no edit here; only a
// new stage does.
var stages = []stage{
	{"Pod and image", diagnose.PodNotFound},
	{"Registry reach", diagnose.RegistryUnreachable},
	{"Pull secrets", diagnose.ClusterPullSecretMissing},
	{"Credentials and IAM", diagnose.CredentialKind},
	{"Registry", diagnose.ImageRepositoryNotFound},
	{"Quota and hygiene", diagnose.PullTrafficQuotaExceeded},
}

// otherStage names the stage of a finding the catalogue does not know.
const otherStage literal = "Other checks"

// position is each finding's place in the catalogue.
var position = func() map[diagnose.FindingID]int {
	p := make(map[diagnose.FindingID]int, len(diagnose.Catalogue))
	for i, c := range diagnose.Catalogue {
		p[c.ID()] = i
	}
	return p
}()

// stageOf is the index in stages of a finding's stage; len(stages) for a
// finding the catalogue does not know.
func stageOf(id diagnose.FindingID) int {
	at, ok := position[id]
	if !ok {
		return len(stages)
	}
	s := 0
	for i, st := range stages {
		if first, ok := position[st.first]; ok && first <= at {
			s = i
		}
	}
	return s
}

// stageName is the name of stage i of stageOf.
func stageName(i int) mrkdwn {
	if i < len(stages) {
		return lit(stages[i].name)
	}
	return lit(otherStage)
}

// byStage groups results by stage, in stage order, keeping their order
// within a stage; groups[len(stages)] holds findings the catalogue does not
// know.
func byStage(results []diagnose.Result) [][]diagnose.Result {
	groups := make([][]diagnose.Result, len(stages)+1)
	for _, r := range results {
		i := stageOf(r.ID)
		groups[i] = append(groups[i], r)
	}
	return groups
}

// checkLine is one check on one line: status, finding and summary.
func checkLine(r diagnose.Result) mrkdwn {
	return textf("%s %s %s", statusEmoji(r.Status), code(string(r.ID), maxFindingLen), line(orElse(r.Summary, "(no summary)"), maxLineSummary))
}

// maxLineSummary bounds a summary on a check's line: a list is read at a
// glance.
const maxLineSummary = 300

// tally counts results by status; every unknown status counts as a skip.
func tally(results []diagnose.Result) map[diagnose.Status]int {
	n := map[diagnose.Status]int{}
	for _, r := range results {
		s := r.Status
		if skipped(s) {
			s = diagnose.Skip
		}
		n[s]++
	}
	return n
}
