package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// privates records the private answers of a request.
type privates []Private

func (p *privates) Private(_ context.Context, m Private) error {
	*p = append(*p, m)
	return nil
}

func (p *privates) Open(context.Context, string, string) (Conversation, error) {
	return nil, errors.New("no conversations here")
}

func (p *privates) Resume(context.Context) (Conversation, bool) { return nil, false }

// quotaExceeded is a user error commands has never heard of.
type quotaExceeded struct{}

func (quotaExceeded) Error() string       { return "quota check: pull traffic 100% of 5 GiB (account 7f3c)" }
func (quotaExceeded) UserMessage() string { return "the registry's pull traffic quota is used up" }

// TestUserErrors: every error users may see shows its message, also when
// wrapped, and without the wrapping's text; any other error shows a
// reference only, and the log line with that reference holds the error.
func TestUserErrors(t *testing.T) {
	const secret = "canary-wrapped-0123456789"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"usage", &UsageError{Msg: `"web" is not <namespace>/<pod name> (example: shop/web-7d9f)`},
			`"web" is not <namespace>/<pod name> (example: shop/web-7d9f)`},
		{"precondition", &fix.PreconditionError{Msg: "secret team-a/all-icr-io exists and is not managed by pullcheck"},
			"secret team-a/all-icr-io exists and is not managed by pullcheck"},
		{"permission", &ibmcloud.PermissionError{API: "IAM policy management", Permission: "Viewer on IAM Access Management", Status: 403},
			"IAM policy management: pullcheck's API key lacks Viewer on IAM Access Management (HTTP 403)"},
		{"key rejected", &ibmcloud.KeyRejectedError{Status: 400, Code: "BXNIM0415E", Message: "Provided API key could not be found."},
			"IAM rejected the API key: BXNIM0415E Provided API key could not be found. (HTTP 400)"},
		{"unreachable", &ibmcloud.UnreachableError{Service: "IAM", Host: "iam.cloud.ibm.com", Err: errors.New("connection refused")},
			"cannot reach IAM at iam.cloud.ibm.com: connection refused"},
		{"not found", &ibmcloud.NotFoundError{What: "cluster shop-prod"}, "cluster shop-prod not found"},
		{"api", &ibmcloud.APIError{API: "Container Registry", Status: 500, Code: "CRG0001E", Message: "internal"},
			"Container Registry: CRG0001E internal (HTTP 500)"},
		{"no bot key", ibmcloud.ErrNoBotKey, "no IBM Cloud API key configured for pullcheck (IBMCLOUD_API_KEY)"},
		{"deadline", context.DeadlineExceeded, "the request took too long and was stopped"},
		{"a new user error", quotaExceeded{}, "the registry's pull traffic quota is used up"},
	}
	for _, tt := range tests {
		for _, wrapped := range []bool{false, true} {
			err := tt.err
			name := tt.name
			if wrapped {
				err, name = fmt.Errorf("reading with key %s: %w", secret, err), name+" wrapped"
			}
			t.Run(name, func(t *testing.T) {
				got, logs := failWith(t, err)
				if diff := cmp.Diff([]Private{{Kind: FailureReply, Text: tt.want}}, got); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
				if strings.Contains(fmt.Sprint(got), secret) {
					t.Errorf("the wrapping's text reached the user: %v", got)
				}
				if logs != "" {
					t.Errorf("a user error was logged as a failure: %s", logs)
				}
			})
		}
	}
}

func TestInternalErrorsShowAReference(t *testing.T) {
	for _, err := range []error{
		errors.New("listing pods: Unauthorized (token canary-kube-token)"),
		fmt.Errorf("posting the verdict: %w", errors.New("invalid_blocks")),
	} {
		got, logs := failWith(t, err)
		if len(got) != 1 || got[0].Ref == "" || got[0].Text != "pullcheck hit an internal error" {
			t.Fatalf("answer %+v, want the internal error with a reference", got)
		}
		if !strings.Contains(logs, `"ref":"`+got[0].Ref+`"`) || !strings.Contains(logs, err.Error()) {
			t.Errorf("the log line lacks the reference %s or the error: %s", got[0].Ref, logs)
		}
	}
}

// failWith answers err as a request would, and returns the answers and
// the logs.
func failWith(t *testing.T, err error) ([]Private, string) {
	t.Helper()
	var logs bytes.Buffer
	s := New(Options{Diagnose: diagnose.Options{Kube: sandbox.NewClientset()}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	var out privates
	if got := s.fail(context.Background(), &out, err); got == nil {
		t.Error("fail returned no error")
	}
	return out, logs.String()
}
