package ibmcloud

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// userDetails is what the fake IAM reports for userKey.
func userDetails(disabled bool) *KeyDetails {
	exp := time.Date(2027, 6, 30, 23, 59, 0, 0, time.UTC)
	return &KeyDetails{ID: "ApiKey-user", Name: "user key", IAMID: svcIAMID, AccountID: acct,
		CreatedBy: "IBMid-270000ABCD", Disabled: disabled, Locked: true, ExpiresAt: &exp}
}

func TestKeyDetails(t *testing.T) {
	rejected := &KeyRejectedError{Status: 400, Code: "BXNIM0415E", Message: "Provided API key could not be found."}
	tests := []struct {
		name      string
		bot       string
		disabled  bool
		forbidBot bool
		key       string
		want      any // *KeyDetails or an error type
		wantReqs  []string
	}{
		{name: "asked with the bot key", bot: botKey, key: userKey, want: userDetails(false),
			wantReqs: []string{"GET /v1/apikeys/details as=bot", "POST /identity/token"}},
		{name: "disabled key described by the bot", bot: botKey, key: userKey, disabled: true, want: userDetails(true),
			wantReqs: []string{"GET /v1/apikeys/details as=bot", "POST /identity/token"}},
		{name: "no bot key: the key describes itself", key: userKey, want: userDetails(false),
			wantReqs: []string{"GET /v1/apikeys/details as=user", "POST /identity/token"}},
		{name: "bot refused: the key describes itself", bot: botKey, forbidBot: true, key: userKey, want: userDetails(false),
			wantReqs: []string{"GET /v1/apikeys/details as=bot", "GET /v1/apikeys/details as=user", "POST /identity/token", "POST /identity/token"}},
		{name: "bot refused, disabled key", bot: botKey, forbidBot: true, disabled: true, key: userKey, want: rejected},
		{name: "unknown key", bot: botKey, key: "unknown-" + canary, want: &NotFoundError{What: "API key"}},
		{name: "no bot key, unknown key", key: "unknown-" + canary, want: rejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			k := f.keys[userKey]
			k.disabled = tt.disabled
			f.keys[userKey] = k
			if tt.forbidBot {
				f.forbid["GET /v1/apikeys/details"] = "bot"
			}
			got, err := f.client(tt.bot).KeyDetails(context.Background(), tt.key)
			noSecrets(t, err)
			var gotAny any = got
			if err != nil {
				gotAny = typed(err)
			}
			if diff := cmp.Diff(tt.want, gotAny); diff != "" {
				t.Errorf("KeyDetails = %v (-want +got):\n%s", err, diff)
			}
			if tt.wantReqs != nil {
				if diff := cmp.Diff(tt.wantReqs, f.requests()); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBotAccount(t *testing.T) {
	f := newFake(t)
	c := f.client(botKey)
	for range 2 {
		got, err := c.BotAccount(context.Background())
		if err != nil || got != acct {
			t.Fatalf("BotAccount = %q, %v; want %q", got, err, acct)
		}
	}
	if n := f.count("GET /v1/apikeys/details"); n != 1 {
		t.Errorf("two BotAccount calls made %d lookups, want 1", n)
	}
	if _, err := f.client("").BotAccount(context.Background()); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
}

func TestServiceID(t *testing.T) {
	f := newFake(t)
	got, err := f.client(botKey).ServiceID(context.Background(), svcIAMID)
	if err != nil {
		t.Fatal(err)
	}
	want := &ServiceID{ID: "ServiceId-1111-2222", IAMID: svcIAMID, Name: "cluster-c1abc", Description: "ID for mycluster", AccountID: acct}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ServiceID (-want +got):\n%s", diff)
	}
	for _, id := range []string{"IBMid-270000ABCD", "iam-Profile-1234", "ServiceId-1111-2222"} {
		if _, err := f.client(botKey).ServiceID(context.Background(), id); !errors.Is(err, ErrNotServiceID) {
			t.Errorf("ServiceID(%q) = %v, want ErrNotServiceID", id, err)
		}
	}
	if _, err := f.client("").ServiceID(context.Background(), svcIAMID); !errors.Is(err, ErrNoBotKey) {
		t.Errorf("without bot key: %v, want ErrNoBotKey", err)
	}
}
