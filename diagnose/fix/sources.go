package fix

import (
	"slices"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
)

// copySources are the secrets of default that may be copied out of it.
type copySources []string

// newCopySources returns names, sorted and without duplicates, or
// all-icr-io alone when names is empty.
func newCopySources(names []string) copySources {
	if len(names) == 0 {
		return copySources{diagnose.ClusterPullSecretName}
	}
	s := slices.Clone(names)
	slices.Sort(s)
	return slices.Compact(s)
}

// check refuses name unless it is a copy source. The refusal lists the
// sources, which are the operator's configuration, not a tenant's secret.
func (c copySources) check(name string) error {
	if slices.Contains(c, name) {
		return nil
	}
	refs := make([]string, len(c))
	for i, n := range c {
		refs[i] = sourceNamespace + "/" + n
	}
	return refuse("%s/%s is not a pull secret pullcheck may copy: it copies only %s, the sources its operator allows",
		sourceNamespace, name, strings.Join(refs, ", "))
}
