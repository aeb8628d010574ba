package config

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/pullcheck/pullcheck/internal/egress"
)

// Access keys: what a chat request may reach, and through what.
const (
	KeyCopySources     = "PULLCHECK_COPY_SOURCES"
	KeyChannelBindings = "PULLCHECK_CHANNEL_BINDINGS"
	KeyUnbound         = "PULLCHECK_UNBOUND_CHANNELS"
	KeyImageRegistries = "PULLCHECK_IMAGE_REGISTRIES"
)

// defaultCopySource is the cluster pull secret IBM Cloud Kubernetes Service
// keeps in default.
const defaultCopySource = "default/all-icr-io"

// loadAccess reads the settings that bound what requests may reach.
func (c *Config) loadAccess(getenv func(string) string) []error {
	var errs []error
	var err error
	if c.CopySources, err = copySources(getenv(KeyCopySources)); err != nil {
		errs = append(errs, err)
	}
	c.Bindings, err = parseBindings(getenv(KeyChannelBindings))
	errs = appendErr(errs, err)
	c.Unbound, err = unbound(getenv(KeyUnbound), len(c.Bindings) > 0)
	errs = appendErr(errs, err)
	c.ImageRegistries, err = imageRegistries(getenv(KeyImageRegistries))
	return appendErr(errs, err)
}

// imageRegistries reads "host[:port],host[:port]".
func imageRegistries(v string) ([]string, error) {
	var hosts []string
	for _, f := range listFields(v) {
		if !egress.ValidRegistry(f) {
			return nil, fmt.Errorf("%s: %q is not a registry host or host:port (example: quay.io,registry.example.com:5000)", KeyImageRegistries, clipValue(f))
		}
		hosts = append(hosts, f)
	}
	return hosts, nil
}

// copySources reads "default/<secret>,default/<secret>" into secret names;
// empty means default/all-icr-io alone.
func copySources(v string) ([]string, error) {
	var names []string
	for _, f := range listFields(v) {
		ns, name, ok := strings.Cut(f, "/")
		switch {
		case !ok || name == "":
			return nil, fmt.Errorf("%s: %q is not <namespace>/<secret> (example: %s,default/partner-pull)", KeyCopySources, clipValue(f), defaultCopySource)
		case ns != "default":
			return nil, fmt.Errorf("%s: %q is not in default: pullcheck copies pull secrets only out of default (example: %s)", KeyCopySources, clipValue(f), defaultCopySource)
		case len(validation.IsDNS1123Subdomain(name)) > 0:
			return nil, fmt.Errorf("%s: %q is not a valid secret name (example: %s)", KeyCopySources, clipValue(name), defaultCopySource)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return []string{strings.TrimPrefix(defaultCopySource, "default/")}, nil
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// listFields splits a comma- or space-separated list.
func listFields(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
}
