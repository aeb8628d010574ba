package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// completeCommand is the hidden command the completion scripts call back:
// pullcheck __complete <words before the cursor…> <the word at the cursor>.
// It prints one candidate a line ("value", or "value\tdescription"), then
// ":<directive>": cobra's protocol, which kubectl speaks to complete a
// plugin's arguments (kubectl_complete-pullcheck).
const completeCommand = "__complete"

// Directives of the last line, numbered as cobra numbers them.
const (
	directiveDefault = 0 // the shell may complete file names
	directiveNoSpace = 2 // no space after the candidate (a namespace and its "/")
	directiveNoFiles = 4 // no file names
)

// completionTimeout bounds the API calls of one completion: a shell waits.
const completionTimeout = 3 * time.Second

// completionClient connects __complete to the cluster; tests use a fake.
var completionClient = kubeClient

type candidate struct{ value, desc string }

// argKind is what a positional argument of a command is.
type argKind int

const (
	argPodVerb  argKind = iota + 1 // "pod"
	argPod                         // <namespace>/<pod>, or <pod> with -n
	argAction                      // a fix action
	argShell                       // bash, zsh or fish
	argScenario                    // a sandbox workload of the demo
)

// commandSpec is what completion knows of a command.
type commandSpec struct {
	desc  string
	flags func(*diagnoseFlags) *flag.FlagSet // nil: none
	args  []argKind
}

// commandSpecs are the commands completion offers; a new command adds its
// line.
var commandSpecs = map[string]commandSpec{
	"diagnose":   {"diagnose a pod", func(f *diagnoseFlags) *flag.FlagSet { return newDiagnoseFlagSet("diagnose", f) }, []argKind{argPodVerb, argPod}},
	"preflight":  {"check rendered manifests before deploying", func(*diagnoseFlags) *flag.FlagSet { return newPreflightFlagSet(&preflightFlags{}) }, nil},
	"fix":        {"re-diagnose a pod and apply one of its fixes", func(f *diagnoseFlags) *flag.FlagSet { return newFixFlagSet(f, &fixOptions{}) }, []argKind{argAction, argPod}},
	"serve":      {"the Slack bot", func(f *diagnoseFlags) *flag.FlagSet { return newServeFlagSet(f, &serveOptions{}) }, nil},
	"demo":       {"the diagnosis against a built-in sandbox", nil, []argKind{argScenario}},
	"version":    {"print the version", versionFlagSet, nil},
	"completion": {"print a shell completion script", nil, []argKind{argShell}},
	"help":       {"show the usage", nil, nil},
}

func versionFlagSet(*diagnoseFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.Bool("verbose", false, "with the Go version, platform and user ID")
	return fs
}

// runComplete answers one __complete call; plugin: as kubectl pullcheck.
func runComplete(ctx context.Context, plugin bool, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		args = []string{""}
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	c := completer{plugin: plugin, kube: completionClient}
	cands, directive := c.complete(ctx, args[:len(args)-1], args[len(args)-1])
	var b strings.Builder
	for _, cd := range cands {
		b.WriteString(cd.value)
		if cd.desc != "" {
			b.WriteString("\t" + cd.desc)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, ":%d\n", directive)
	_, err := io.WriteString(stdout, b.String())
	return err
}

// completer completes one command line: commands, verbs, actions and flags
// from what pullcheck knows; namespaces, pods, containers and kubeconfig
// names from the cluster and kubeconfig the line names.
type completer struct {
	plugin bool
	kube   func(diagnoseFlags) (kubernetes.Interface, error)
}

func (c completer) complete(ctx context.Context, before []string, cur string) ([]candidate, int) {
	spec, rest, ok := c.command(before, cur)
	if !ok {
		if len(before) == 0 {
			return matching(c.commands(), cur), directiveNoFiles
		}
		return nil, directiveNoFiles
	}
	f := diagnoseFlags{contextNamespace: c.plugin}
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	if spec.flags != nil {
		fs = spec.flags(&f)
	}
	pos, pending := scanWords(fs, rest)
	switch {
	case pending != "":
		return c.flagValues(ctx, spec, f, pos, pending, cur)
	case strings.HasPrefix(cur, "-"):
		if name, val, ok := strings.Cut(strings.TrimLeft(cur, "-"), "="); ok {
			cands, d := c.flagValues(ctx, spec, f, pos, name, val)
			return prefixed(cands, cur[:len(cur)-len(val)]), d
		}
		return matching(flagCandidates(fs), cur), directiveNoFiles
	case len(pos) < len(spec.args):
		return c.positional(ctx, spec.args[len(pos)], f, cur)
	}
	return nil, directiveNoFiles
}

// command finds the command of the line and the words after it. As
// kubectl's plugin, "pod …" and a line that starts with a flag are diagnose.
func (c completer) command(before []string, cur string) (commandSpec, []string, bool) {
	diagnose := commandSpecs["diagnose"]
	if len(before) == 0 {
		return diagnose, nil, c.plugin && strings.HasPrefix(cur, "-")
	}
	if first := before[0]; c.plugin && (isPodArg(first) || strings.HasPrefix(first, "-")) {
		return diagnose, before, true
	}
	spec, ok := commandSpecs[before[0]]
	return spec, before[1:], ok
}

func (c completer) commands() []candidate {
	var cands []candidate
	if c.plugin {
		cands = append(cands, candidate{"pod", "diagnose a pod"})
	}
	for name, spec := range commandSpecs {
		cands = append(cands, candidate{name, spec.desc})
	}
	sortCandidates(cands)
	return cands
}

// scanWords sets the flags among words and returns the positional
// arguments, and the name of a flag whose value is at the cursor. Bash
// splits "--namespace=shop" into "--namespace", "=", "shop".
func scanWords(fs *flag.FlagSet, words []string) (pos []string, pending string) {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			pos = append(pos, w)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(w, "-"), "=")
		fl := fs.Lookup(name)
		if fl == nil || isBoolFlag(fl) || hasVal {
			if fl != nil && hasVal {
				_ = fs.Set(name, val)
			}
			continue
		}
		if i+1 < len(words) && words[i+1] == "=" {
			i++
		}
		if i+1 == len(words) {
			return pos, name
		}
		i++
		_ = fs.Set(name, words[i])
	}
	return pos, ""
}

func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func (c completer) flagValues(ctx context.Context, spec commandSpec, f diagnoseFlags, pos []string, name, cur string) ([]candidate, int) {
	var cands []candidate
	switch name {
	case "n", "namespace":
		cands = c.namespaces(ctx, f)
	case "context", "cluster", "user":
		cands = kubeconfigNames(f, name)
	case "o":
		cands = []candidate{{"json", "the report as JSON (pullcheck.report/v1)"}, {"text", "each check as it completes, then the verdict"}}
	case "c":
		cands = c.containers(ctx, spec, f, pos)
	case "kubeconfig":
		return nil, directiveDefault
	}
	return matching(cands, cur), directiveNoFiles
}

func (c completer) positional(ctx context.Context, kind argKind, f diagnoseFlags, cur string) ([]candidate, int) {
	var cands []candidate
	switch kind {
	case argPodVerb:
		cands = []candidate{{"pod", "a pod: <namespace>/<pod>, or <pod> with -n"}}
	case argPod:
		return c.pods(ctx, f, cur)
	case argAction:
		for _, a := range fix.Actions() {
			cands = append(cands, candidate{value: string(a)})
		}
	case argShell:
		cands = []candidate{{"bash", ""}, {"fish", ""}, {"zsh", ""}}
	case argScenario:
		for _, s := range sandbox.Scenarios {
			cands = append(cands, candidate{s.Name, s.Title})
		}
	}
	sortCandidates(cands)
	return matching(cands, cur), directiveNoFiles
}

func flagCandidates(fs *flag.FlagSet) []candidate {
	var cands []candidate
	fs.VisitAll(func(fl *flag.Flag) { cands = append(cands, candidate{dashed(fl.Name), fl.Usage}) })
	return cands
}

// matching keeps the candidates that start with prefix.
func matching(cands []candidate, prefix string) []candidate {
	var out []candidate
	for _, c := range cands {
		if strings.HasPrefix(c.value, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func prefixed(cands []candidate, p string) []candidate {
	for i := range cands {
		cands[i].value = p + cands[i].value
	}
	return cands
}

func sortCandidates(cands []candidate) {
	sort.Slice(cands, func(i, j int) bool { return cands[i].value < cands[j].value })
}
