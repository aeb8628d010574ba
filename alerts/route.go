package alerts

import (
	"fmt"
	"path"
	"strings"

	"github.com/pullcheck/pullcheck/commands"
)

// Routes send a namespace's alerts to a channel: the first pattern (path.Match
// syntax: "shop-*", "team-?") that matches wins, else the default. Where
// pullcheck serves several clusters, a pattern may name the cluster before
// the namespace ("prod-eu/shop-*", "*/kube-*"); a pattern without one
// matches the namespace in every cluster. With channel bindings (Bound), a
// channel only gets the alerts of namespaces it is bound for alerts on.
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
		if cl, ns, scoped := strings.Cut(p, "/"); scoped && (cl == "" || ns == "" || strings.Contains(ns, "/")) {
			return Routes{}, fmt.Errorf("route %q is not <cluster pattern>/<namespace pattern>=<channel ID> (example: prod-eu/shop-*=C0123ABCD)", pair)
		}
		r.rules = append(r.rules, rule{p, ch})
	}
	return r, nil
}

// Channel is where a namespace's alerts go (one cluster); "" when nowhere.
func (r Routes) Channel(namespace string) string { return r.ChannelIn("", namespace) }

// ChannelIn is where the alerts of a namespace of a cluster go; "" when
// nowhere.
func (r Routes) ChannelIn(cluster, namespace string) string {
	ch := r.route(cluster, namespace)
	if r.bindings == nil || (ch != "" && r.bindings.Allows(ch, commands.RightAlerts, namespace)) {
		return ch
	}
	return r.bindings.AlertChannel(namespace)
}

func (r Routes) route(cluster, namespace string) string {
	for _, ru := range r.rules {
		subject := namespace
		if strings.Contains(ru.pattern, "/") {
			if cluster == "" {
				continue
			}
			subject = cluster + "/" + namespace
		}
		if ok, _ := path.Match(ru.pattern, subject); ok {
			return ru.channel
		}
	}
	return r.Default
}

// Clusters are the cluster patterns the routes name ("prod-eu", "*"), so
// that a route naming no cluster pullcheck serves can be refused.
func (r Routes) Clusters() []string {
	var out []string
	for _, ru := range r.rules {
		if cl, _, ok := strings.Cut(ru.pattern, "/"); ok {
			out = append(out, cl)
		}
	}
	return out
}
