package ibmcloud

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestExchange(t *testing.T) {
	f := newFake(t)
	f.keys["disabled-"+canary] = keyFixture{name: "disabled", iamID: svcIAMID, account: acct, disabled: true}
	rejected := &KeyRejectedError{Status: 400, Code: "BXNIM0415E", Message: "Provided API key could not be found."}
	tests := []struct {
		name string
		key  string
		want any // nil for success
	}{
		{"valid key", userKey, nil},
		{"unknown key", "unknown-" + canary, rejected},
		{"disabled key", "disabled-" + canary, rejected},
	}
	c := f.client("")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Exchange(context.Background(), tt.key)
			var got any
			if err != nil {
				got = typed(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Exchange error %v (-want +got):\n%s", err, diff)
			}
			noSecrets(t, err)
		})
	}
	if err := c.Exchange(context.Background(), ""); !errors.Is(err, errEmptyKey) {
		t.Errorf("empty key: %v", err)
	}
}

func TestExchangeCachesToken(t *testing.T) {
	f := newFake(t)
	c := f.client("")
	ctx := context.Background()
	for i := range 2 {
		if err := c.Exchange(ctx, userKey); err != nil {
			t.Fatalf("Exchange #%d: %v", i+1, err)
		}
	}
	if n := f.count("POST /identity/token"); n != 1 {
		t.Errorf("two exchanges of one key made %d token requests, want 1", n)
	}
	// The cached token also authenticates later calls with that key.
	if _, err := c.KeyDetails(ctx, userKey); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /identity/token"); n != 1 {
		t.Errorf("KeyDetails after Exchange made %d token requests in all, want 1", n)
	}
	f.keys["second-"+canary] = keyFixture{name: "second", iamID: svcIAMID, account: acct}
	if err := c.Exchange(ctx, "second-"+canary); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /identity/token"); n != 2 {
		t.Errorf("a second key made %d token requests in all, want 2", n)
	}
}

func TestExchangeConcurrent(t *testing.T) {
	f := newFake(t)
	c := f.client("")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = c.Exchange(context.Background(), userKey) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := f.count("POST /identity/token"); n != 1 {
		t.Errorf("concurrent exchanges made %d token requests, want 1", n)
	}
}

// TestErrorsRedactEchoedKeys proves that keys echoed by a server in an error
// message never reach an error string.
func TestErrorsRedactEchoedKeys(t *testing.T) {
	echo := func(key string) string {
		return fmt.Sprintf(`{"errorCode":"BXNIM0415E","errorMessage":"Provided API key %s could not be found."}`, key)
	}
	tests := []struct {
		name  string
		route string
		body  string
		call  func(*Client) error
	}{
		{"user key echoed by IAM", "POST /identity/token", echo(userKey),
			func(c *Client) error { return c.Exchange(context.Background(), userKey) }},
		{"bot key echoed by the registry", "GET /api/v1/namespaces/details", `{"errors":[{"code":"CRG0009E","message":"bad key ` + botKey + `"}]}`,
			func(c *Client) error {
				_, _, err := c.Namespace(context.Background(), "us-south", "team-a", acct, "")
				return err
			}},
		{"user key echoed by IAM identity", "GET /v1/apikeys/details", echo(userKey),
			func(c *Client) error { _, err := c.KeyDetails(context.Background(), userKey); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.fail[tt.route] = failure{500, tt.body}
			err := tt.call(f.client(botKey))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "[redacted]") {
				t.Errorf("error %q does not show the redaction", err)
			}
			noSecrets(t, err)
		})
	}
}

func TestRedactBoundsLength(t *testing.T) {
	c := New(DefaultEndpoints(), nil, botKey)
	tests := []struct{ name, in string }{
		{"key across the cut", strings.Repeat("a", maxMessage-5) + botKey + " trailing"},
		{"multi-byte runes", strings.Repeat("é", maxMessage)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.redact(tt.in)
			if strings.Contains(got, "bot-key") || len(got) > maxMessage+len("…") || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
				t.Errorf("redact() = %q", got)
			}
		})
	}
}
