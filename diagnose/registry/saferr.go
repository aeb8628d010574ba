package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// safeError is Outcome.Err: a redacted one-line message and, for errors.As
// and errors.Is, only the causes a caller may need, rebuilt without
// credentials. The original chain is dropped on purpose: a
// *transport.Error's Request still holds the Authorization header that was
// sent, and its raw body is whatever the registry wrote.
type safeError struct {
	msg    string
	causes []error
}

// Error returns the redacted message.
func (e *safeError) Error() string { return e.msg }

// GoString keeps %#v from printing anything but the message.
func (e *safeError) GoString() string { return fmt.Sprintf("registry.safeError(%q)", e.msg) }

// Unwrap returns the safe causes.
func (e *safeError) Unwrap() []error { return e.causes }

// wrap returns err made safe for an Outcome, nil for nil.
func (s secrets) wrap(err error) error {
	if err == nil {
		return nil
	}
	return &safeError{msg: s.message(err), causes: s.causes(err)}
}

// causes extracts the typed errors that classification and callers use:
// the registry's error (sanitized), the network error, and a context error.
func (s secrets) causes(err error) []error {
	var out []error
	var te *transport.Error
	if errors.As(err, &te) {
		out = append(out, s.transportError(te))
	}
	if cause := networkCause(err); cause != nil {
		out = append(out, cause)
	}
	for _, ctxErr := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, ctxErr) {
			out = append(out, ctxErr)
		}
	}
	return out
}

// networkCause returns the most specific network error in err's chain. These
// carry addresses and certificates, never credentials.
func networkCause(err error) error {
	var (
		dns    *net.DNSError
		verify *tls.CertificateVerificationError
		record tls.RecordHeaderError
		op     *net.OpError
	)
	switch {
	case errors.As(err, &dns):
		return dns
	case errors.As(err, &verify):
		return verify
	case errors.As(err, &record):
		return record
	case errors.As(err, &op):
		return op
	}
	return nil
}

// transportError copies te with redacted diagnostics and a request holding
// only its method and a safe URL.
func (s secrets) transportError(te *transport.Error) *transport.Error {
	c := &transport.Error{StatusCode: te.StatusCode}
	for _, d := range te.Errors {
		safe := transport.Diagnostic{Code: transport.ErrorCode(s.clip(string(d.Code))), Message: s.clip(d.Message)}
		if d.Detail != nil {
			safe.Detail = s.clip(fmt.Sprint(d.Detail))
		}
		c.Errors = append(c.Errors, safe)
	}
	if te.Request != nil && te.Request.URL != nil {
		c.Request = &http.Request{Method: te.Request.Method, URL: safeURL(te.Request.URL), Header: http.Header{}}
	}
	return c
}
