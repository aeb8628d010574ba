package commands

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
)

// pick finds, in a fresh report, the one remedy a fix command names: of its
// action, answering its finding (when it names one) with exactly its
// arguments (when it names a finding or arguments), in a finding that still
// fails or warns. A typed fix that names neither gets the remedy of its
// action only when there is one; it is refused when several differ (two
// secrets to copy), never applied to one of them by chance. A disruptive
// remedy needs the command's --yes. The error is a *notNeeded when nothing
// calls for the remedy any more, or a refusal.
func pick(rep *diagnose.Report, cmd Command) (diagnose.Remedy, error) {
	found := candidates(rep, cmd)
	switch {
	case len(found) == 0 && cmd.Finding != "":
		moved := cmd
		moved.Finding = ""
		if moved.Args == nil {
			moved.Args = map[string]string{}
		}
		gone := &notNeeded{cmd: cmd}
		if now := candidates(rep, moved); len(now) > 0 {
			gone.now = now[0].command(cmd.Ref)
		}
		return diagnose.Remedy{}, gone
	case len(found) == 0:
		return diagnose.Remedy{}, &notNeeded{cmd: cmd}
	case len(found) > 1:
		var alts []string
		for _, c := range found {
			alts = append(alts, "`"+c.command(cmd.Ref).String()+"`")
		}
		return diagnose.Remedy{}, refusef("%d different %s fixes apply to %s; send the one you mean: %s",
			len(found), cmd.Action, cmd.Ref, strings.Join(alts, " or "))
	}
	c := found[0]
	if c.remedy.Risk == diagnose.Disruptive && !cmd.Confirmed {
		return diagnose.Remedy{}, refusef("%s disturbs running workloads: %s To apply it, send `%s`",
			cmd.Action, strings.TrimSpace(c.remedy.Effect), c.command(cmd.Ref))
	}
	return c.remedy, nil
}

// candidate is a remedy a report calls for, with the finding it answers.
type candidate struct {
	finding diagnose.FindingID
	remedy  diagnose.Remedy
	args    map[string]string
}

// command is the fix command naming c, as a button would carry it.
func (c candidate) command(ref ObjectRef) Command {
	return Command{Verb: Fix, Action: c.remedy.Action, Ref: ref, Finding: c.finding, Args: c.args,
		Confirmed: c.remedy.Risk == diagnose.Disruptive}
}

// candidates are the remedies of rep that cmd may name, one per distinct
// set of arguments, in catalogue order.
func candidates(rep *diagnose.Report, cmd Command) []candidate {
	exact := cmd.Finding != "" || cmd.Args != nil
	var out []candidate
	for _, res := range rep.Results {
		if (res.Status != diagnose.Fail && res.Status != diagnose.Warn) || (cmd.Finding != "" && res.ID != cmd.Finding) {
			continue
		}
		for _, r := range res.Remedies {
			args, ok := remedyArgs(cmd.Ref.Namespace, r)
			if r.Action != cmd.Action || !ok || (exact && !maps.Equal(args, cmd.Args)) || seen(out, args) {
				continue
			}
			out = append(out, candidate{finding: res.ID, remedy: r, args: args})
		}
	}
	return out
}

func seen(cs []candidate, args map[string]string) bool {
	for _, c := range cs {
		if maps.Equal(c.args, args) {
			return true
		}
	}
	return false
}

// notNeeded says that a fresh diagnosis no longer calls for the remedy a
// fix command names: the pod was fixed meanwhile, or its cause changed.
// now, when set, names the same remedy for the finding that calls for it
// today: it is not applied on the old finding's word.
type notNeeded struct {
	cmd Command
	now Command
}

func (e *notNeeded) Error() string { return e.note("") }

// note tells the thread, after the fresh diagnosis's headline.
func (e *notNeeded) note(headline string) string {
	what := string(e.cmd.Action)
	for _, k := range slices.Sorted(maps.Keys(e.cmd.Args)) {
		what += " " + k + "=" + e.cmd.Args[k]
	}
	if e.cmd.Finding != "" {
		what += " for " + string(e.cmd.Finding)
	}
	if e.now.Verb == Fix {
		return fmt.Sprintf("%s is no longer needed, and was not applied: now %s calls for it; use the newest verdict's button or send `%s`",
			what, e.now.Finding, e.now)
	}
	return fmt.Sprintf("%s is no longer needed: %s", what, headline)
}
