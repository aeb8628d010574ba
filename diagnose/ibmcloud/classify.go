package ibmcloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/IBM/go-sdk-core/v5/core"
)

// call describes one SDK call so that its failure can be mapped to a typed
// error.
type call struct {
	// api names the service in errors.
	api string
	// base is the service base URL; its host goes into UnreachableError.
	base string
	// perm is the permission pullcheck's key needs; "" when the call is
	// authenticated with someone else's key, so 401/403 is an APIError.
	perm string
	// what names the object for a 404; "" makes a 404 an APIError.
	what string
	// key is the API key the call was authenticated with, scrubbed from
	// server-provided messages.
	key string
}

// authStepPrefix starts the SDK core's message for a failed token exchange
// inside a service call. The core offers no type for this case (the
// container-registry SDK hides the HTTPProblem), so the prefix is taken from
// the core's own format string rather than hard-coded.
var authStepPrefix = strings.TrimSuffix(core.ERRORMSG_AUTHENTICATE_ERROR, "%s")

// fail maps the error of an SDK call to *PermissionError, *NotFoundError,
// *UnreachableError or *APIError. resp is the DetailedResponse the SDK
// returned alongside err, if any.
func (c *Client) fail(ctx context.Context, k call, resp *core.DetailedResponse, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if strings.HasPrefix(err.Error(), authStepPrefix) {
		// The cached token expired between login and the call, and the
		// renewal failed; resp is IAM's answer.
		return c.tokenFailure(k.perm != "", k.key, responseOf(resp, err), err)
	}
	resp = responseOf(resp, err)
	if resp == nil {
		return c.transportFailure(k.api, k.base, k.key, err)
	}
	code, msg := errorFields(resp.Result)
	msg = c.redact(msg, k.key)
	switch s := resp.StatusCode; {
	case (s == http.StatusUnauthorized || s == http.StatusForbidden) && k.perm != "":
		return &PermissionError{API: k.api, Permission: k.perm, Status: s}
	case s == http.StatusNotFound && k.what != "":
		return &NotFoundError{What: k.what}
	default:
		return &APIError{API: k.api, Status: s, Code: code, Message: msg}
	}
}

// tokenFailure maps a failed IAM token exchange. A rejected bot key is a
// *PermissionError (pullcheck's configuration is wrong); any other rejected
// key is a *KeyRejectedError.
func (c *Client) tokenFailure(bot bool, key string, resp *core.DetailedResponse, err error) error {
	if resp == nil {
		var ae *core.AuthenticationError
		if errors.As(err, &ae) {
			resp = ae.Response
		}
	}
	if resp == nil {
		return c.transportFailure(apiIAM, c.ep.IAM, key, err)
	}
	code, msg := errorFields(resp.Result)
	msg = c.redact(msg, key)
	s := resp.StatusCode
	switch {
	case s < 400 || s >= 500 || s == http.StatusTooManyRequests:
		return &APIError{API: apiIAM, Status: s, Code: code, Message: msg}
	case bot:
		return &PermissionError{API: apiIAM, Permission: permValidKey, Status: s, Rejected: true}
	default:
		return &KeyRejectedError{Status: s, Code: code, Message: msg}
	}
}

// transportFailure maps an error that came without any HTTP answer.
func (c *Client) transportFailure(api, base, key string, err error) error {
	host := hostOf(base)
	var ue *url.Error
	if errors.As(err, &ue) {
		// The url.Error's own text repeats the request URL; keep the cause.
		return &UnreachableError{Service: api, Host: host, Err: ue.Err}
	}
	// The core replaces TLS verification errors by plain text.
	if msg := err.Error(); strings.Contains(msg, core.SSL_CERTIFICATION_ERROR) {
		i := strings.Index(msg, core.SSL_CERTIFICATION_ERROR)
		return &UnreachableError{Service: api, Host: host, Err: errors.New(c.redact(msg[i:], key))}
	}
	return &APIError{API: api, Message: c.redact(err.Error(), key)}
}

// responseOf returns the HTTP answer behind an SDK error: the returned
// DetailedResponse when the SDK gave one (container-registry and Kubernetes
// Service SDKs), else the one in an *core.HTTPProblem (platform-services
// SDKs and their pagers).
func responseOf(resp *core.DetailedResponse, err error) *core.DetailedResponse {
	if resp != nil {
		return resp
	}
	var hp *core.HTTPProblem
	if errors.As(err, &hp) && hp.Response != nil {
		return hp.Response
	}
	return nil
}

// maxMessage bounds server-provided text in errors.
const maxMessage = 300

// errorFields extracts an error code and message from the JSON error bodies
// of IAM ({"errorCode","errorMessage"}), IAM policy and access group APIs
// ({"errors":[{"code","message"}]}) and the Kubernetes Service
// ({"code","description"}).
func errorFields(body any) (code, msg string) {
	m, ok := body.(map[string]any)
	if !ok {
		return "", ""
	}
	if errs, ok := m["errors"].([]any); ok && len(errs) > 0 {
		if e, ok := errs[0].(map[string]any); ok {
			code, msg = str(e["code"]), str(e["message"])
		}
	}
	code = firstOf(code, str(m["errorCode"]), str(m["code"]))
	msg = firstOf(msg, str(m["errorMessage"]), str(m["message"]), str(m["description"]), str(m["error"]))
	return code, msg
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// redact removes every API key the Client knows of from server-provided
// text, then bounds its length (in that order, so that a cut cannot leave
// part of a key behind).
func (c *Client) redact(s string, keys ...string) string {
	for _, k := range append(keys, c.botKey) {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	if len(s) <= maxMessage {
		return s
	}
	n := maxMessage
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// hostOf returns the host (and port) of a base URL, or the URL itself when
// it does not parse.
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}

// wrap prefixes err with what was being done, keeping it nil-safe.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
