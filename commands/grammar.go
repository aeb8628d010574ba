package commands

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Verb is what a command asks for.
type Verb string

// Verbs of the grammar. Fix and Rerun reach pullcheck through buttons; they
// may be typed too and take the same path.
const (
	Pod        Verb = "pod"
	Deployment Verb = "deployment"
	Namespace  Verb = "namespace"
	Image      Verb = "image"
	Quota      Verb = "quota"
	Help       Verb = "help"
	Fix        Verb = "fix"
)

// Command is one parsed request.
type Command struct {
	Verb Verb
	// Ref is the pod (pod, fix) or deployment.
	Ref ObjectRef
	// Namespace is the namespace of namespace and image commands.
	Namespace string
	// Image is the reference of an image preflight.
	Image string
	// Region is the registry region of a quota command ("" = every region).
	Region string
	// Action is the remedy a fix command applies.
	Action diagnose.Action
	// Steps are the remedies a fixit command applies, in order.
	Steps []diagnose.Action
	// Alert is the alert an ack or mute command is about; For is how long
	// a mute lasts.
	Alert AlertRef
	For   time.Duration
}

// Grammar is the usage text every usage message shows.
const Grammar = "pod <namespace>/<pod> · deployment <namespace>/<name> · namespace <namespace> · image <reference> [in <namespace>] · quota [region] · help"

// Parse reads a typed command, a mention's text (leading <@U…> mentions are
// ignored) or a button's value. Names are validated before any API call.
func Parse(text string) (Command, error) {
	words := strings.Fields(text)
	for len(words) > 0 && strings.HasPrefix(words[0], "<@") && strings.HasSuffix(words[0], ">") {
		words = words[1:]
	}
	if len(words) == 0 {
		return Command{Verb: Help}, nil
	}
	verb, args := strings.ToLower(words[0]), words[1:]
	if strings.Contains(verb, "/") && len(words) == 1 { // "shop/web-1" is a pod
		verb, args = string(Pod), words
	}
	switch Verb(verb) {
	case Pod, Deployment:
		return parseRef(Verb(verb), args)
	case Namespace:
		return parseNamespace(args)
	case Image:
		return parseImage(args)
	case Quota:
		return parseQuota(args)
	case Help:
		return Command{Verb: Help}, nil
	case Fix:
		return parseFix(args)
	case FixIt:
		return parseFixIt(args)
	case Ack, Mute:
		return parseAlert(Verb(verb), args)
	}
	return Command{}, usagef("unknown command %q (example: pod shop/web-7d9f)", clip(words[0]))
}

func parseRef(v Verb, args []string) (Command, error) {
	if len(args) != 1 {
		return Command{}, usagef("%s expects <namespace>/<name> (example: %s shop/web-7d9f)", v, v)
	}
	ref, err := ParseObjectRef(string(v), args[0])
	return Command{Verb: v, Ref: ref}, err
}

func parseNamespace(args []string) (Command, error) {
	if len(args) != 1 {
		return Command{}, usagef("namespace expects one namespace (example: namespace shop)")
	}
	if err := validateNamespace(args[0]); err != nil {
		return Command{}, err
	}
	return Command{Verb: Namespace, Namespace: args[0]}, nil
}

func parseImage(args []string) (Command, error) {
	c := Command{Verb: Image, Namespace: "default"}
	switch {
	case len(args) == 1:
	case len(args) == 3 && strings.EqualFold(args[1], "in"):
		if err := validateNamespace(args[2]); err != nil {
			return Command{}, err
		}
		c.Namespace = args[2]
	default:
		return Command{}, usagef("image expects <reference> [in <namespace>] (example: image us.icr.io/shop/web:1.2 in shop)")
	}
	if _, err := name.ParseReference(args[0]); err != nil {
		return Command{}, usagef("%q is not an image reference (example: image us.icr.io/shop/web:1.2)", clip(args[0]))
	}
	c.Image = args[0]
	return c, nil
}

func parseQuota(args []string) (Command, error) {
	switch len(args) {
	case 0:
		return Command{Verb: Quota}, nil
	case 1:
		d, ok := icr.ByRegion(args[0])
		if !ok {
			return Command{}, usagef("%q is not a registry region (regions: %s)", clip(args[0]), strings.Join(regions(), ", "))
		}
		return Command{Verb: Quota, Region: d.Region}, nil
	}
	return Command{}, usagef("quota expects at most one region (example: quota us-south)")
}

func parseFix(args []string) (Command, error) {
	if len(args) != 2 {
		return Command{}, usagef("fix expects <action> <namespace>/<pod> (example: fix copy-pull-secret shop/web-7d9f)")
	}
	a := diagnose.Action(args[0])
	if !fixable[a] {
		return Command{}, usagef("%q is not a fix (fixes: %s)", clip(args[0]), strings.Join(fixNames(), ", "))
	}
	ref, err := ParseObjectRef("pod", args[1])
	return Command{Verb: Fix, Action: a, Ref: ref}, err
}

// fixable are the actions a fix command may name.
var fixable = map[diagnose.Action]bool{diagnose.CopyPullSecret: true, diagnose.SyncPullSecret: true,
	diagnose.PatchServiceAccount: true, diagnose.RestartPod: true, diagnose.ApplyClusterPullSecret: true}

func fixNames() []string {
	var out []string
	for a := range fixable {
		out = append(out, string(a))
	}
	sort.Strings(out)
	return out
}

func regions() []string {
	var out []string
	for _, d := range icr.Domains {
		out = append(out, d.Region)
	}
	return out
}

func validateNamespace(ns string) error {
	if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
		return usagef("%q is not a valid namespace name: %s (example: namespace shop)", clip(ns), errs[0])
	}
	return nil
}

// String is the canonical text of a command: Parse(c.String()) == c. Button
// values are this text.
func (c Command) String() string {
	switch c.Verb {
	case Pod, Deployment:
		return fmt.Sprintf("%s %s", c.Verb, c.Ref)
	case Namespace:
		return "namespace " + c.Namespace
	case Image:
		return fmt.Sprintf("image %s in %s", c.Image, c.Namespace)
	case Quota:
		return strings.TrimSpace("quota " + c.Region)
	case Fix:
		return fmt.Sprintf("fix %s %s", c.Action, c.Ref)
	case FixIt:
		return c.fixItString()
	case Ack, Mute:
		return c.alertString()
	}
	return "help"
}
