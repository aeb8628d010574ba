package alerts

import (
	"fmt"
	"path"
	"strings"
)

// Routes send a namespace's alerts to a channel: the first pattern (path.Match
// syntax: "shop-*", "team-?") that matches wins, else the default. Where
// pullcheck serves several clusters, a pattern may name the cluster before
// the namespace ("prod-eu/shop-*", "*/kube-*"); a pattern without one
// matches the namespace in every cluster.
type Routes struct {
	Default string
	rules   []rule
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

// Channel is where a namespace's alerts go (one cluster).
func (r Routes) Channel(namespace string) string { return r.ChannelIn("", namespace) }

// ChannelIn is where the alerts of a namespace of a cluster go.
func (r Routes) ChannelIn(cluster, namespace string) string {
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
