package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

func TestNetworkKind(t *testing.T) {
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://us.icr.io/v2/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	tests := []struct {
		name  string
		err   error
		want  string
		isNet bool
	}{
		{"dns", dial(&net.DNSError{Err: "no such host", Name: "x.icr.io", IsNotFound: true}), NetworkDNS, true},
		{"dns timeout is dns", dial(&net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}), NetworkDNS, true},
		{"unknown authority", &url.Error{Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, NetworkTLS, true},
		{"hostname", fmt.Errorf("x: %w", x509.HostnameError{Host: "us.icr.io"}), NetworkTLS, true},
		{"plain http answer", fmt.Errorf("x: %w", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), NetworkTLS, true},
		{"handshake alert", fmt.Errorf("x: %w", tls.AlertError(40)), NetworkTLS, true},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), NetworkTimeout, true},
		{"i/o timeout", dial(os.ErrDeadlineExceeded), NetworkTimeout, true},
		{"refused", dial(syscall.ECONNREFUSED), NetworkTCP, true},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), NetworkTCP, true},
		{"truncated body", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), NetworkTCP, true},
		{"cancelled", dial(context.Canceled), "", false},
		{"registry error", &transport.Error{StatusCode: 500}, "", false},
		{"other", errors.New("boom"), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, isNet := networkKind(tt.err)
			if got != tt.want || isNet != tt.isNet {
				t.Errorf("networkKind() = %q, %v; want %q, %v", got, isNet, tt.want, tt.isNet)
			}
		})
	}
}

// diag builds a registry error with one diagnostic.
func diag(status int, code transport.ErrorCode, msg string) *transport.Error {
	te := &transport.Error{StatusCode: status}
	if code != "" || msg != "" {
		te.Errors = []transport.Diagnostic{{Code: code, Message: msg}}
	}
	return te
}

func TestRegistryProblem(t *testing.T) {
	tests := []struct {
		name      string
		stage     Stage
		anonymous bool
		err       *transport.Error
		want      Problem
	}{
		{"ping 429", StagePing, false, diag(429, "", ""), ProblemTooManyRequests},
		{"ping 500", StagePing, false, diag(500, "UNKNOWN", "x"), ProblemOther},
		{"ping private-only", StagePing, false, diag(403, "DENIED", msgPrivateOnly), ProblemPrivateOnly},
		{"login 401", StageLogin, false, diag(401, "UNAUTHORIZED", msgAuthRequired), ProblemLoginRefused},
		{"login 403 without body", StageLogin, false, diag(403, "", ""), ProblemLoginRefused},
		{"login anonymous 401", StageLogin, true, diag(401, "UNAUTHORIZED", msgAuthRequired), ProblemUnauthorized},
		{"login unsupported", StageLogin, false, diag(401, "UNSUPPORTED", msgUnsupported), ProblemUnsupportedAuth},
		{"login quota", StageLogin, false, diag(403, "DENIED", msgQuota), ProblemQuotaExceeded},
		{"login 500", StageLogin, false, diag(500, "", ""), ProblemOther},
		{"manifest 401", StageManifest, false, diag(401, "UNAUTHORIZED", msgAuthRequired), ProblemUnauthorized},
		{"manifest 401 without body", StageManifest, false, diag(401, "", ""), ProblemUnauthorized},
		{"manifest denied", StageManifest, false, diag(403, "DENIED", msgNotAuthzd), ProblemDenied},
		{"manifest 403 without body", StageManifest, false, diag(403, "", ""), ProblemDenied},
		{"denied code wins over 401", StageManifest, false, diag(401, "DENIED", msgNotAuthzd), ProblemDenied},
		{"quota, any case", StageConfig, false, diag(403, "DENIED", "Your account has EXCEEDED ITS PULL TRAFFIC QUOTA for the current month."), ProblemQuotaExceeded},
		{"private-only", StageManifest, false, diag(403, "DENIED", msgPrivateOnly), ProblemPrivateOnly},
		{"quota text under another code is not quota", StageConfig, false, diag(403, "UNKNOWN", msgQuota), ProblemOther},
		{"name unknown", StageManifest, false, diag(404, "NAME_UNKNOWN", "repository name not known to registry"), ProblemNameUnknown},
		{"manifest unknown", StageManifest, false, diag(404, "MANIFEST_UNKNOWN", "manifest unknown"), ProblemManifestUnknown},
		{"manifest 404 without body", StageManifest, false, diag(404, "", ""), ProblemManifestUnknown},
		{"config 404 without body", StageConfig, false, diag(404, "", ""), ProblemOther},
		{"blob unknown", StageConfig, false, diag(404, "BLOB_UNKNOWN", "blob unknown"), ProblemOther},
		{"too many", StageManifest, false, diag(429, "TOOMANYREQUESTS", msgTooMany), ProblemTooManyRequests},
		{"too many code under 503", StageConfig, false, diag(503, "TOOMANYREQUESTS", msgTooMany), ProblemTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registryProblem(tt.stage, tt.anonymous, tt.err); got != tt.want {
				t.Errorf("registryProblem() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHandshakeStage(t *testing.T) {
	request := func(rawURL string) *http.Request {
		u, _ := url.Parse(rawURL)
		return &http.Request{Method: http.MethodGet, URL: u}
	}
	tests := []struct {
		name string
		err  error
		want Stage
	}{
		{"ping answered", &transport.Error{StatusCode: 500, Request: request("https://us.icr.io/v2/")}, StagePing},
		{"ping failed", &url.Error{Op: "Get", URL: "https://us.icr.io/v2/", Err: syscall.ECONNREFUSED}, StagePing},
		{"token answered", &transport.Error{StatusCode: 401, Request: request("https://us.icr.io/oauth/token?scope=x")}, StageLogin},
		{"token failed", &url.Error{Op: "Get", URL: "https://iam.example/token", Err: syscall.ECONNREFUSED}, StageLogin},
		{"bad realm", errors.New("invalid realm in www-authenticate"), StageLogin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := handshakeStage(fmt.Errorf("x: %w", tt.err)); got != tt.want {
				t.Errorf("handshakeStage() = %q, want %q", got, tt.want)
			}
		})
	}
}
