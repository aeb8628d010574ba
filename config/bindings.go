package config

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Binding gives a chat channel rights in the namespaces its patterns match
// (path.Match syntax: "shop-*", "team-?"). A namespace pullcheck protects
// (kube-system, its own) is matched only by a pattern that is its name.
type Binding struct {
	Channel    string
	Namespaces []string
	// Rights are RightDiagnose, RightAlerts and RightFix, or some of them.
	Rights []string
}

// Rights a binding grants.
const (
	RightDiagnose = "diagnose" // pod, deployment, namespace, image and quota commands
	RightAlerts   = "alerts"   // alerts and sweep findings posted into the channel
	RightFix      = "fix"      // fix buttons and typed fixes (on-call still decides who)
)

// Values of KeyUnbound.
const (
	UnboundAll  = "all"
	UnboundNone = "none"
)

// bindingsExample is shown with every binding error.
const bindingsExample = "C0SHOP:shop-*,checkout;C0PLATFORM:*:diagnose+alerts"

// allRights are every right, in the order they are written.
var allRights = []string{RightDiagnose, RightAlerts, RightFix}

// namespacePattern is a namespace name with path.Match wildcards.
var namespacePattern = regexp.MustCompile(`^[a-z0-9*?\[\]^!-]{1,63}$`)

// parseBindings reads "<channel>:<pattern>,<pattern>[:<right>+<right>];…".
func parseBindings(v string) ([]Binding, error) {
	var out []Binding
	var errs []error
	for _, spec := range strings.Split(v, ";") {
		if spec = strings.TrimSpace(spec); spec == "" {
			continue
		}
		b, err := parseBinding(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: binding %q: %w (example: %s)", KeyChannelBindings, clipValue(spec), err, bindingsExample))
			continue
		}
		out = append(out, b)
	}
	return out, errors.Join(errs...)
}

func parseBinding(spec string) (Binding, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return Binding{}, errors.New("it is not <channel ID>:<namespace patterns>[:<rights>]")
	}
	b := Binding{Channel: strings.TrimSpace(parts[0]), Rights: allRights}
	if !slackID.MatchString(b.Channel) {
		return Binding{}, fmt.Errorf("%q is not a Slack channel ID", clipValue(b.Channel))
	}
	for _, p := range listFields(parts[1]) {
		if _, err := path.Match(p, ""); err != nil || !namespacePattern.MatchString(p) {
			return Binding{}, fmt.Errorf("%q is not a namespace or namespace pattern", clipValue(p))
		}
		b.Namespaces = append(b.Namespaces, p)
	}
	if len(b.Namespaces) == 0 {
		return Binding{}, errors.New("it names no namespace")
	}
	if len(parts) == 3 {
		rights, err := parseRights(parts[2])
		if err != nil {
			return Binding{}, err
		}
		b.Rights = rights
	}
	return b, nil
}

// parseRights reads "diagnose+alerts+fix" (commas work too).
func parseRights(v string) ([]string, error) {
	var rights []string
	for _, r := range strings.FieldsFunc(v, func(c rune) bool { return c == '+' || c == ',' || c == ' ' }) {
		if !slices.Contains(allRights, r) {
			return nil, fmt.Errorf("%q is not a right (rights: %s)", clipValue(r), strings.Join(allRights, ", "))
		}
		if !slices.Contains(rights, r) {
			rights = append(rights, r)
		}
	}
	if len(rights) == 0 {
		return nil, errors.New("it grants no right")
	}
	return rights, nil
}

// unbound reads KeyUnbound; its default is UnboundAll without bindings, so
// that pullcheck works wherever it is invited until an operator binds
// channels, and UnboundNone once there are bindings.
func unbound(v string, bound bool) (string, error) {
	switch v = strings.ToLower(strings.TrimSpace(v)); v {
	case UnboundAll, UnboundNone:
		return v, nil
	case "":
		if bound {
			return UnboundNone, nil
		}
		return UnboundAll, nil
	}
	return "", fmt.Errorf("%s: %q is not none or all (example: none)", KeyUnbound, clipValue(v))
}
