package alerts

import (
	"fmt"
	"path"
	"strings"

	"github.com/pullcheck/pullcheck/commands"
)

// Routes send a namespace's alerts to a channel: the first pattern (path.Match
// syntax: "shop-*", "team-?") that matches wins, else the default. With
// channel bindings (Bound), a channel only gets the alerts of namespaces it
// is bound for alerts on.
type Routes struct {
	Default  string
	rules    []rule
	bindings AlertBindings
}

// AlertBindings say which channels may receive a namespace's alerts
// (commands.Access satisfies it).
type AlertBindings interface {
	Allows(channel string, r commands.Right, namespace string) bool
	// AlertChannel is the first channel bound for alerts on namespace, ""
	// when none is.
	AlertChannel(namespace string) string
}

// Bound returns r whose channels are vetted by b: when the route (or the
// default) picks a channel not bound for alerts on the namespace, the
// alert goes to the first channel that is, in the order of the bindings,
// or nowhere ("") when none is. Bindings say who may see a namespace;
// routes only choose among those who may.
func (r Routes) Bound(b AlertBindings) Routes {
	r.bindings = b
	return r
}

type rule struct{ pattern, channel string }

// ParseRoutes reads "pattern=channel,pattern=channel".
func ParseRoutes(def, spec string) (Routes, error) {
	r := Routes{Default: def}
	for _, pair := range strings.FieldsFunc(spec, func(c rune) bool { return c == ',' || c == ' ' }) {
		p, ch, ok := strings.Cut(pair, "=")
		if !ok || p == "" || ch == "" {
			return Routes{}, fmt.Errorf("route %q is not <namespace pattern>=<channel ID> (example: shop-*=C0123ABCD)", pair)
		}
		if _, err := path.Match(p, ""); err != nil {
			return Routes{}, fmt.Errorf("route %q: bad pattern: %w", pair, err)
		}
		r.rules = append(r.rules, rule{p, ch})
	}
	return r, nil
}

// Channel is where a namespace's alerts go; "" when nowhere.
func (r Routes) Channel(namespace string) string {
	ch := r.route(namespace)
	if r.bindings == nil || (ch != "" && r.bindings.Allows(ch, commands.RightAlerts, namespace)) {
		return ch
	}
	return r.bindings.AlertChannel(namespace)
}

func (r Routes) route(namespace string) string {
	for _, ru := range r.rules {
		if ok, _ := path.Match(ru.pattern, namespace); ok {
			return ru.channel
		}
	}
	return r.Default
}
