package commands

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
)

// FixIt applies a plan: "fixit <namespace>/<pod> <action>,<action>…" is
// the value of a verdict's Fix it button. The actions are the steps the
// clicker confirmed; the click applies the plan a fresh diagnosis makes,
// only when it asks for none but these.
const FixIt Verb = "fixit"

// PlanAction is the action of the Fix it offer: the whole plan, next to
// the buttons of its single steps.
const PlanAction diagnose.Action = "plan"

// parseFixIt reads the arguments of a fixit command: the pod, and its
// distinct steps, each an action with a fixer.
func parseFixIt(args []string) (Command, error) {
	if len(args) != 2 {
		return Command{}, usagef("fixit expects <namespace>/<pod> <action>,<action>… (example: fixit shop/web-7d9f copy-pull-secret,restart-pod)")
	}
	ref, err := ParseObjectRef("pod", args[0])
	if err != nil {
		return Command{}, err
	}
	var steps []diagnose.Action
	for _, word := range strings.Split(args[1], ",") {
		a := diagnose.Action(word)
		switch {
		case !fixable[a]:
			return Command{}, usagef("%q is not a fix (fixes: %s)", clip(word), strings.Join(fixNames(), ", "))
		case slices.Contains(steps, a):
			return Command{}, usagef("fixit names %s twice", a)
		}
		steps = append(steps, a)
	}
	return Command{Verb: FixIt, Ref: ref, Steps: steps}, nil
}

// fixItString is the canonical text of a fixit command.
func (c Command) fixItString() string {
	words := make([]string, len(c.Steps))
	for i, a := range c.Steps {
		words[i] = string(a)
	}
	return fmt.Sprintf("fixit %s %s", c.Ref, strings.Join(words, ","))
}
