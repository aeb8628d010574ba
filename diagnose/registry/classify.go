package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// fail records a failed stage: it classifies err and stores it redacted.
func (pr *probe) fail(stage Stage, err error) {
	o := pr.out
	o.Stage, o.Err = stage, pr.secrets.wrap(err)
	var te *transport.Error
	isRegistry := errors.As(err, &te)
	network, isNet := networkKind(err)
	if isNet && isRegistry && plainHTTP(err) {
		isNet = false // the http half of a parallel ping answered: trust it
	}
	switch {
	case isNet:
		o.Problem, o.Network = ProblemUnreachable, network
	case isRegistry:
		o.Problem = registryProblem(stage, o.Anonymous, te)
		o.StatusCode = te.StatusCode
		if len(te.Errors) > 0 {
			o.Code = pr.secrets.clip(string(te.Errors[0].Code))
			o.Message = pr.secrets.clip(te.Errors[0].Message)
		}
	default:
		o.Problem = ProblemOther
	}
}

// handshakeStage tells a failed ping of /v2/ from a failed token request: both
// happen inside transport.NewWithContext.
func handshakeStage(err error) Stage {
	var te *transport.Error
	if errors.As(err, &te) && te.Request != nil {
		return stageOfURL(te.Request.URL)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return stageOfURL(u)
		}
	}
	return StageLogin
}

// stageOfURL is StagePing for the registry's /v2/ endpoint, else StageLogin.
func stageOfURL(u *url.URL) Stage {
	if u.Path == "/v2/" {
		return StagePing
	}
	return StageLogin
}

// networkKind classifies err as a network failure, if it is one.
func networkKind(err error) (string, bool) {
	var dns *net.DNSError
	var op *net.OpError
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "", false // the caller gave up: not the network's fault
	case errors.As(err, &dns):
		return NetworkDNS, true
	case isTLS(err):
		return NetworkTLS, true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return NetworkTimeout, true
	case errors.As(err, &op), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return NetworkTCP, true
	}
	return "", false
}

// isTLS reports a failed TLS handshake or certificate check.
func isTLS(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		record    tls.RecordHeaderError
		alert     tls.AlertError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		roots     x509.SystemRootsError
	)
	return errors.As(err, &verify) || errors.As(err, &record) || errors.As(err, &alert) ||
		errors.As(err, &authority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &roots)
}

// plainHTTP reports that the server answered TLS with plain HTTP. ggcr pings
// loopback and private-IP registries over https and http at once; when the
// https attempt fails this way, the http answer is the one that counts.
func plainHTTP(err error) bool {
	var record tls.RecordHeaderError
	return errors.As(err, &record)
}

// registryProblem classifies a registry's error response at a stage. Codes
// are trusted before status codes; DENIED is subdivided by deniedProblem.
func registryProblem(stage Stage, anonymous bool, te *transport.Error) Problem {
	code := firstCode(te)
	denied := deniedProblem(te)
	switch {
	case code == transport.TooManyRequestsErrorCode || te.StatusCode == http.StatusTooManyRequests:
		return ProblemTooManyRequests
	case denied == ProblemQuotaExceeded || denied == ProblemPrivateOnly || denied == ProblemStorageQuota:
		return denied
	case stage == StagePing:
		return ProblemOther
	case stage == StageLogin:
		return loginProblem(code, anonymous, te.StatusCode)
	case code == transport.DeniedErrorCode || (code == "" && te.StatusCode == http.StatusForbidden):
		return ProblemDenied
	case code == transport.UnauthorizedErrorCode || (code == "" && te.StatusCode == http.StatusUnauthorized):
		return ProblemUnauthorized
	case code == transport.NameUnknownErrorCode:
		return ProblemNameUnknown
	case code == transport.ManifestUnknownErrorCode,
		code == "" && stage == StageManifest && te.StatusCode == http.StatusNotFound:
		return ProblemManifestUnknown
	}
	return ProblemOther
}

// loginProblem classifies a token endpoint's refusal.
func loginProblem(code transport.ErrorCode, anonymous bool, status int) Problem {
	switch {
	case code == transport.UnsupportedErrorCode:
		return ProblemUnsupportedAuth
	case status != http.StatusUnauthorized && status != http.StatusForbidden:
		return ProblemOther
	case anonymous:
		return ProblemUnauthorized
	}
	return ProblemLoginRefused
}

// firstCode is the code of the registry's first diagnostic, "" if none.
func firstCode(te *transport.Error) transport.ErrorCode {
	if len(te.Errors) == 0 {
		return ""
	}
	return te.Errors[0].Code
}

// deniedProblem subdivides icr.io's DENIED code, the one place where the
// message decides: the same code means "no IAM access", "pull-traffic quota
// exceeded" and "private-only account reached over the public network". IBM
// words the quota sentences differently across pages and over time ("Your
// account has exceeded its …", "You have exceeded your …"), so the phrase
// decides, not the sentence.
func deniedProblem(te *transport.Error) Problem {
	for _, d := range te.Errors {
		if d.Code != transport.DeniedErrorCode {
			continue
		}
		msg := strings.ToLower(d.Message)
		switch {
		case strings.Contains(msg, "pull traffic quota"):
			return ProblemQuotaExceeded
		case strings.Contains(msg, "storage quota"):
			return ProblemStorageQuota
		case strings.Contains(msg, "private network"), strings.Contains(msg, "private-only"):
			return ProblemPrivateOnly
		}
		return ProblemDenied
	}
	return ProblemNone
}
