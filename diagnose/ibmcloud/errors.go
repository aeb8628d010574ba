package ibmcloud

import (
	"errors"
	"fmt"
)

// ErrNoBotKey is returned by lookups that need pullcheck's own API key when
// none is configured.
var ErrNoBotKey error = noBotKey{}

// noBotKey is ErrNoBotKey's type, so that it can say what users may see.
type noBotKey struct{}

func (noBotKey) Error() string {
	return "no IBM Cloud API key configured for pullcheck (IBMCLOUD_API_KEY)"
}

// UserMessage is the error's text: it names a setting, nothing secret.
func (e noBotKey) UserMessage() string { return e.Error() }

// ErrNotServiceID is returned by ServiceID for iam_ids of users, trusted
// profiles and anything else that is not an "iam-ServiceId-" identity.
var ErrNotServiceID = errors.New("iam_id is not a service ID")

// API names used in errors; they name the IBM Cloud service that answered.
const (
	apiIAM          = "IAM"
	apiIdentity     = "IAM identity"
	apiPolicy       = "IAM policy management"
	apiAccessGroups = "IAM access groups"
	apiRegistry     = "Container Registry"
	apiKubernetes   = "Kubernetes Service"
)

// IBM permissions pullcheck's own key needs, named as in the IBM Cloud console.
const (
	permValidKey     = "a valid API key in IBMCLOUD_API_KEY"
	permIdentity     = "Viewer on IAM Identity Service"
	permPolicy       = "Viewer on IAM Access Management"
	permAccessGroups = "Viewer on IAM Access Groups Service"
	permRegistry     = "Reader on Container Registry"
	permGetCluster   = "Viewer on Kubernetes Service"
	permPullSecret   = "Operator on Kubernetes Service and Administrator on Container Registry"
)

// KeyRejectedError reports that IAM refused to exchange an API key for a
// token, for example 400 BXNIM0415E "Provided API key could not be found."
type KeyRejectedError struct {
	// Status is IAM's HTTP status (4xx).
	Status int
	// Code is IAM's errorCode ("BXNIM0415E"), empty when IAM sent none.
	Code string
	// Message is IAM's errorMessage, scrubbed of secrets.
	Message string
}

// Error renders "IAM rejected the API key: CODE message (HTTP n)".
func (e *KeyRejectedError) Error() string {
	return "IAM rejected the API key: " + detail(e.Code, e.Message, e.Status)
}

// UserMessage is Error: IAM's message is scrubbed of secrets.
func (e *KeyRejectedError) UserMessage() string { return e.Error() }

// UnreachableError reports that an IBM Cloud endpoint could not be reached:
// DNS, TCP, TLS or timeout failures, before any HTTP answer.
type UnreachableError struct {
	// Service is the API that was called ("IAM", "Container Registry").
	Service string
	// Host is the host name (and port, if any) that was dialled.
	Host string
	// Err is the network error, without the request URL.
	Err error
}

// Error names the service, the host and the network failure.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach %s at %s: %v", e.Service, e.Host, e.Err)
}

// Unwrap returns the network error, for errors.Is and errors.As.
func (e *UnreachableError) Unwrap() error { return e.Err }

// UserMessage is Error: the network error carries no request URL.
func (e *UnreachableError) UserMessage() string { return e.Error() }

// PermissionError reports that pullcheck's own API key was rejected or lacks
// an IBM Cloud permission. It is a problem with pullcheck's configuration, not
// with the workload being diagnosed.
type PermissionError struct {
	// API is the IBM Cloud API that refused ("IAM policy management").
	API string
	// Permission is what to grant pullcheck's key, or, when Rejected is set,
	// "a valid API key in IBMCLOUD_API_KEY".
	Permission string
	// Status is the HTTP status of the refusal.
	Status int
	// Rejected is true when IAM refused pullcheck's key itself.
	Rejected bool
}

// Error says what pullcheck's key lacks, or that IAM rejected it.
func (e *PermissionError) Error() string {
	status := ""
	if e.Status != 0 {
		status = fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Rejected {
		return fmt.Sprintf("%s: pullcheck's own API key was rejected%s; configure %s", e.API, status, e.Permission)
	}
	return fmt.Sprintf("%s: pullcheck's API key lacks %s%s", e.API, e.Permission, status)
}

// UserMessage is Error: it names an API and a permission.
func (e *PermissionError) UserMessage() string { return e.Error() }

// NotFoundError reports that the looked-up object does not exist (or is
// invisible to the key that asked).
type NotFoundError struct {
	// What names the object ("API key", "service ID ServiceId-…", "cluster x").
	What string
}

// Error renders "<what> not found".
func (e *NotFoundError) Error() string { return e.What + " not found" }

// UserMessage is Error: What names the object, never a key.
func (e *NotFoundError) UserMessage() string { return e.Error() }

// APIError is any other failure reported by an IBM Cloud API.
type APIError struct {
	// API is the IBM Cloud API that answered.
	API string
	// Status is the HTTP status; 0 when the answer could not be understood.
	Status int
	// Code is the API's error code, when it sent one.
	Code string
	// Message is the API's error message, scrubbed of secrets.
	Message string
}

// Error renders "<api>: CODE message (HTTP n)".
func (e *APIError) Error() string {
	return e.API + ": " + detail(e.Code, e.Message, e.Status)
}

// UserMessage is Error: the API's message is scrubbed of secrets.
func (e *APIError) UserMessage() string { return e.Error() }

// detail renders "CODE message (HTTP n)", leaving out what is missing.
func detail(code, msg string, status int) string {
	s := code
	if msg != "" {
		if s != "" {
			s += " "
		}
		s += msg
	}
	if status != 0 {
		if s != "" {
			s += " "
		}
		s += fmt.Sprintf("(HTTP %d)", status)
	}
	if s == "" {
		return "unknown error"
	}
	return s
}
