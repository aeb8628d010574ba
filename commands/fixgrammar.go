package commands

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/pullcheck/pullcheck/diagnose"
)

// fixSyntax is the grammar of a fix command. A button names one remedy
// with all of it: its action, the pod whose diagnosis calls for it, the
// finding it answers and its arguments, and --yes when its confirm dialog
// was shown. A typed fix may leave out the finding and the arguments.
const fixSyntax = "<action> <namespace>/<pod> [<finding>] [<argument>=<value> …] [--yes]"

// confirmWord confirms a disruptive fix.
const confirmWord = "--yes"

// fixArgs are the remedy arguments a fix command may carry, each with the
// check of its value (diagnose.Remedy.Args; the namespace is the pod's).
var fixArgs = map[string]func(string) bool{
	"secret":         isName,
	"serviceAccount": isName,
	"pod":            isName,
	"uid":            regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,63}$`).MatchString,
	"cluster":        regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`).MatchString,
}

// findingID matches a finding's kebab-case ID.
var findingID = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+){0,9}$`)

func isName(v string) bool { return len(validation.IsDNS1123Subdomain(v)) == 0 }

func validFinding(v string) bool { return len(v) <= 63 && findingID.MatchString(v) }

// parseRemedy reads what follows a fix command's pod: the finding, the
// arguments (each once) and --yes, in that order.
func (c *Command) parseRemedy(words []string) error {
	if n := len(words); n > 0 && words[n-1] == confirmWord {
		c.Confirmed, words = true, words[:n-1]
	}
	if len(words) > 0 && !strings.Contains(words[0], "=") {
		if !validFinding(words[0]) {
			return usagef("%q is not a finding ID (example: fix copy-pull-secret shop/web-7d9f pull-secret-not-copied secret=all-icr-io)", clip(words[0]))
		}
		c.Finding, words = diagnose.FindingID(words[0]), words[1:]
	}
	for _, w := range words {
		k, v, _ := strings.Cut(w, "=")
		valid, known := fixArgs[k]
		switch {
		case !known:
			return usagef("%q is not a fix argument (arguments: %s)", clip(w), strings.Join(slices.Sorted(maps.Keys(fixArgs)), ", "))
		case c.Args[k] != "":
			return usagef("fix argument %s is given twice", k)
		case !valid(v):
			return usagef("%q is not a valid value of fix argument %s", clip(v), k)
		}
		if c.Args == nil {
			c.Args = map[string]string{}
		}
		c.Args[k] = v
	}
	return nil
}

// fixString is a fix command's canonical text: arguments sorted by name.
func (c Command) fixString() string {
	parts := []string{"fix", string(c.Action), c.Ref.String()}
	if c.Finding != "" {
		parts = append(parts, string(c.Finding))
	}
	for _, k := range slices.Sorted(maps.Keys(c.Args)) {
		parts = append(parts, k+"="+c.Args[k])
	}
	if c.Confirmed {
		parts = append(parts, confirmWord)
	}
	return strings.Join(parts, " ")
}

// FixCommand is the fix command that names remedy r of the pod ref: its
// action, its arguments and the finding it answers ("" when the caller
// does not know which). It is confirmed when r is disruptive, for the
// button that carries it shows a confirm dialog. ok is false when r cannot
// be named so: no fix applies its action, or an argument is unknown,
// invalid or names another namespace.
func FixCommand(ref ObjectRef, finding diagnose.FindingID, r diagnose.Remedy) (Command, bool) {
	args, ok := remedyArgs(ref.Namespace, r)
	if !ok || !fixable[r.Action] || (finding != "" && !validFinding(string(finding))) {
		return Command{}, false
	}
	return Command{Verb: Fix, Action: r.Action, Ref: ref, Finding: finding, Args: args, Confirmed: r.Risk == diagnose.Disruptive}, true
}

// remedyArgs are r's arguments as a fix command carries them: without its
// namespace, which must be ns, and without empty values; nil when none is
// left. ok is false when an argument cannot travel in a fix command.
func remedyArgs(ns string, r diagnose.Remedy) (map[string]string, bool) {
	var args map[string]string
	for k, v := range r.Args {
		if k == "namespace" {
			if v != ns {
				return nil, false
			}
			continue
		}
		if v == "" {
			continue
		}
		if valid, known := fixArgs[k]; !known || !valid(v) {
			return nil, false
		}
		if args == nil {
			args = map[string]string{}
		}
		args[k] = v
	}
	return args, true
}
