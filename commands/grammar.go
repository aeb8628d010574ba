package commands

import (
	"fmt"
	"slices"
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
	// Clusters lists the clusters pullcheck serves and the account's
	// clusters it does not.
	Clusters Verb = "clusters"
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
	// Finding is the finding the remedy of a fix command answers; "" when
	// a typed fix names none.
	Finding diagnose.FindingID
	// Args are the arguments of the remedy a fix command names, its
	// namespace (Ref's) left out; nil when it names none.
	Args map[string]string
	// Confirmed is a fix command's --yes: a disruptive remedy is applied
	// only when it is confirmed.
	Confirmed bool
	// Cluster is the cluster named as the optional first argument ("pod
	// prod-eu shop/web"); "" when none is.
	Cluster string
	// Steps are the remedies a fixit command applies, in order.
	Steps []diagnose.Action
	// Alert is the alert an ack or mute command is about; For is how long
	// a mute lasts.
	Alert AlertRef
	For   time.Duration
}

// Grammar is the usage text every usage message shows.
const Grammar = "pod <namespace>/<pod> · deployment <namespace>/<name> · namespace <namespace> · image <reference> [in <namespace>] · quota [region] · help"

// MaxText bounds the text of a command: Slack's limit on a button's value.
// Every command pullcheck makes fits in it, by construction of its parts.
const MaxText = 2000

// ClusterGrammar is how a command names its cluster, where pullcheck
// serves several.
const ClusterGrammar = "name the cluster first: pod <cluster> <namespace>/<pod> (and so for deployment, namespace, image and fix) · clusters lists them"

// Parse reads a typed command, a mention's text (leading <@U…> mentions are
// ignored) or a button's value. Names are validated before any API call.
func Parse(text string) (Command, error) {
	if len(text) > MaxText {
		return Command{}, usagef("a command is at most %d characters (example: pod shop/web-7d9f)", MaxText)
	}
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
	cluster, args := splitCluster(Verb(verb), args)
	c, err := parseVerb(verb, args, words[0])
	c.Cluster = cluster
	return c, err
}

func parseVerb(verb string, args []string, word string) (Command, error) {
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
	case Clusters:
		if len(args) > 0 {
			return Command{}, usagef("clusters takes no argument")
		}
		return Command{Verb: Clusters}, nil
	case FixIt:
		return parseFixIt(args)
	case Ack, Mute:
		return parseAlert(Verb(verb), args)
	}
	return Command{}, usagef("unknown command %q (example: pod shop/web-7d9f)", clip(word))
}

// arity is how many arguments each verb that acts in a cluster takes.
var arity = map[Verb][]int{Pod: {1}, Deployment: {1}, Namespace: {1}, Image: {1, 3}, Fix: {2}, FixIt: {2}}

// splitCluster takes the optional cluster off a command's arguments. The
// first argument is a cluster only when the command has one argument more
// than its verb takes and it is a cluster name (a DNS label), so a
// namespace or pod that shares a cluster's name is never read as the
// cluster ("namespace prod-eu" is the namespace). Whether the cluster
// exists is the Router's to say.
func splitCluster(v Verb, args []string) (string, []string) {
	if v == Fix { // fix [<cluster>] <action> …: the action's place tells
		if len(args) >= 3 && !fixable[diagnose.Action(args[0])] && fixable[diagnose.Action(args[1])] && len(validation.IsDNS1123Label(args[0])) == 0 {
			return args[0], args[1:]
		}
		return "", args
	}
	if len(args) < 2 || !slices.Contains(arity[v], len(args)-1) || len(validation.IsDNS1123Label(args[0])) > 0 {
		return "", args
	}
	return args[0], args[1:]
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
	if len(args) < 2 {
		return Command{}, usagef("fix expects %s (example: fix copy-pull-secret shop/web-7d9f)", fixSyntax)
	}
	a := diagnose.Action(args[0])
	if !fixable[a] {
		return Command{}, usagef("%q is not a fix (fixes: %s)", clip(args[0]), strings.Join(fixNames(), ", "))
	}
	ref, err := ParseObjectRef("pod", args[1])
	if err != nil {
		return Command{}, err
	}
	c := Command{Verb: Fix, Action: a, Ref: ref}
	return c, c.parseRemedy(args[2:])
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
	if c.Cluster != "" && arity[c.Verb] != nil {
		bare := c
		bare.Cluster = ""
		verb, rest, _ := strings.Cut(bare.String(), " ")
		return verb + " " + c.Cluster + " " + rest
	}
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
		return c.fixString()
	case Clusters:
		return "clusters"
	case FixIt:
		return c.fixItString()
	case Ack, Mute:
		return c.alertString()
	}
	return "help"
}
