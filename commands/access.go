package commands

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// Right is what a chat channel may do in a namespace.
type Right string

// Rights a channel binding grants.
const (
	// RightDiagnose: pod, deployment, namespace, image and quota commands.
	RightDiagnose Right = "diagnose"
	// RightAlerts: alerts and sweep findings are posted into the channel.
	RightAlerts Right = "alerts"
	// RightFix: fix buttons and typed fixes (on-call still decides who).
	RightFix Right = "fix"
)

// AllRights are every right.
var AllRights = []Right{RightDiagnose, RightAlerts, RightFix}

// Binding gives a chat channel rights in the namespaces its patterns match
// (path.Match syntax: "shop-*", "team-?").
type Binding struct {
	Channel    string
	Namespaces []string
	Rights     []Right
}

// Access decides which namespaces each chat channel may diagnose, alert
// into and fix in, after the model of Botkube's channel bindings: a
// channel with bindings has the rights they grant, and only in the
// namespaces they match; a channel without any has the rights unbound
// channels get. A protected namespace (kube-system, pullcheck's own) is
// reached only through a pattern that is its very name: "*" does not
// include it, whatever the channel.
type Access struct {
	bindings  []Binding
	unbound   []Right
	protected []string
}

// NewAccess returns the Access of bindings, unbound rights for channels
// without bindings, and the protected namespaces.
func NewAccess(bindings []Binding, unbound []Right, protected ...string) *Access {
	return &Access{bindings: bindings, unbound: unbound, protected: protected}
}

// defaultAccess lets every channel do everything outside kube-system.
func defaultAccess() *Access { return NewAccess(nil, AllRights, "kube-system") }

// Allows reports whether channel may use right r in namespace ns.
func (a *Access) Allows(channel string, r Right, ns string) bool {
	if !a.bound(channel) {
		return slices.Contains(a.unbound, r) && !slices.Contains(a.protected, ns)
	}
	for _, b := range a.bindings {
		if b.Channel == channel && slices.Contains(b.Rights, r) && a.matches(b, ns) {
			return true
		}
	}
	return false
}

// AllowsAny reports whether channel may use right r in some namespace (the
// quota command, which concerns the account, not a namespace).
func (a *Access) AllowsAny(channel string, r Right) bool {
	if !a.bound(channel) {
		return slices.Contains(a.unbound, r)
	}
	for _, b := range a.bindings {
		if b.Channel == channel && slices.Contains(b.Rights, r) {
			return true
		}
	}
	return false
}

// AlertChannel is the first channel, in binding order, bound for alerts on
// ns; "" when there is none.
func (a *Access) AlertChannel(ns string) string {
	for _, b := range a.bindings {
		if slices.Contains(b.Rights, RightAlerts) && a.matches(b, ns) {
			return b.Channel
		}
	}
	return ""
}

func (a *Access) bound(channel string) bool {
	return slices.ContainsFunc(a.bindings, func(b Binding) bool { return b.Channel == channel })
}

// matches reports whether one of b's patterns matches ns; a protected
// namespace only by its name.
func (a *Access) matches(b Binding, ns string) bool {
	for _, p := range b.Namespaces {
		if p == ns {
			return true
		}
		if ok, _ := path.Match(p, ns); ok && !slices.Contains(a.protected, ns) {
			return true
		}
	}
	return false
}

// refusal says why channel may not use r in ns, and what would allow it.
func (a *Access) refusal(channel string, r Right, ns string) error {
	what := map[Right]string{RightDiagnose: "diagnose", RightFix: "apply fixes", RightAlerts: "receive alerts"}[r]
	where := "in namespace " + ns
	if ns == "" {
		where = "here"
	}
	switch {
	case !a.bound(channel) && len(a.unbound) == 0:
		return refusef("pullcheck may not %s %s: this channel is not bound to any namespace; an operator can bind it in PULLCHECK_CHANNEL_BINDINGS", what, where)
	case slices.Contains(a.protected, ns):
		return refusef("pullcheck may not %s in namespace %s from this channel: %s is reached only from a channel bound to it by name in PULLCHECK_CHANNEL_BINDINGS", what, ns, ns)
	case !a.bound(channel):
		return refusef("pullcheck may not %s %s from channels without bindings; an operator can bind this channel in PULLCHECK_CHANNEL_BINDINGS", what, where)
	}
	return refusef("pullcheck may not %s %s from this channel: its bindings grant %s; an operator can change them in PULLCHECK_CHANNEL_BINDINGS",
		what, where, a.describe(channel))
}

// describe lists a channel's bindings ("shop-*, checkout: diagnose+fix").
func (a *Access) describe(channel string) string {
	var parts []string
	for _, b := range a.bindings {
		if b.Channel != channel {
			continue
		}
		rights := make([]string, len(b.Rights))
		for i, r := range b.Rights {
			rights[i] = string(r)
		}
		parts = append(parts, fmt.Sprintf("%s in %s", strings.Join(rights, "+"), strings.Join(b.Namespaces, ", ")))
	}
	return strings.Join(parts, "; ")
}
