package commands

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// UsageError is a mistake in a request. Its message is safe to show and
// says what is wrong, with an example.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// ObjectRef is a namespaced Kubernetes object name.
type ObjectRef struct{ Namespace, Name string }

func (r ObjectRef) String() string { return r.Namespace + "/" + r.Name }

// ParseObjectRef parses "<namespace>/<name>" and validates both parts as
// Kubernetes names before any API call is made. kind names the object in
// messages ("pod").
func ParseObjectRef(kind, s string) (ObjectRef, error) {
	ns, name, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return ObjectRef{}, usagef("%q is not <namespace>/<%s name> (example: shop/web-7d9f)", clip(s), kind)
	}
	if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
		return ObjectRef{}, usagef("%q is not a valid namespace name: %s (example: shop/web-7d9f)", clip(ns), errs[0])
	}
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return ObjectRef{}, usagef("%q is not a valid %s name: %s (example: shop/web-7d9f)", clip(name), kind, errs[0])
	}
	return ObjectRef{Namespace: ns, Name: name}, nil
}

// ValidateContainerName checks a container name (a DNS-1123 label).
func ValidateContainerName(s string) error {
	if errs := validation.IsDNS1123Label(s); len(errs) > 0 {
		return usagef("%q is not a valid container name: %s (example: -c web)", clip(s), errs[0])
	}
	return nil
}

// clip keeps echoed input short.
func clip(s string) string {
	const max = 80
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
