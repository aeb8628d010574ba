package alerts

import (
	"fmt"
	"path"
	"strings"
)

// Routes send a namespace's alerts to a channel: the first pattern (path.Match
// syntax: "shop-*", "team-?") that matches wins, else the default.
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
		r.rules = append(r.rules, rule{p, ch})
	}
	return r, nil
}

// Channel is where a namespace's alerts go.
func (r Routes) Channel(namespace string) string {
	for _, ru := range r.rules {
		if ok, _ := path.Match(ru.pattern, namespace); ok {
			return ru.channel
		}
	}
	return r.Default
}
