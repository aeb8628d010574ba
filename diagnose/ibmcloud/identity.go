package ibmcloud

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/iamidentityv1"
)

// serviceIDPrefix starts the iam_id of every service ID.
const serviceIDPrefix = "iam-ServiceId-"

// KeyDetails describes an API key as IAM Identity reports it.
type KeyDetails struct {
	// ID is the key's own ID ("ApiKey-…"), not its secret value.
	ID   string
	Name string
	// IAMID is the identity the key authenticates ("iam-ServiceId-…", "IBMid-…").
	IAMID string
	// AccountID is the account the key belongs to.
	AccountID string
	// CreatedBy is the iam_id that created the key.
	CreatedBy string
	// Disabled keys cannot be used to log in.
	Disabled bool
	// Locked keys cannot be changed or deleted.
	Locked bool
	// ExpiresAt is nil when the key does not expire (or IAM sent a date
	// this package cannot read).
	ExpiresAt *time.Time
}

// ServiceID describes an IAM service ID.
type ServiceID struct {
	// ID is the service ID's ID ("ServiceId-…"); IAMID adds the "iam-" prefix.
	ID          string
	IAMID       string
	Name        string
	Description string
	AccountID   string
	Locked      bool
}

// KeyDetails describes apiKey (GET /v1/apikeys/details with header
// IAM-ApiKey). It asks with pullcheck's own key when there is one, so that
// disabled keys, which cannot log in, can still be described. When that key
// lacks the permission or cannot see apiKey (a key of another account),
// apiKey describes itself. Errors: *NotFoundError when IAM does not know the
// key, *KeyRejectedError when apiKey had to describe itself and IAM rejected
// it.
func (c *Client) KeyDetails(ctx context.Context, apiKey string) (*KeyDetails, error) {
	if !c.HasBotKey() {
		d, err := c.keyDetails(ctx, apiKey, false)
		return d, wrap(err, "looking up API key details")
	}
	d, err := c.keyDetails(ctx, apiKey, true)
	var pe *PermissionError
	var nf *NotFoundError
	if err == nil || !(errors.As(err, &pe) || errors.As(err, &nf)) {
		return d, wrap(err, "looking up API key details")
	}
	d, selfErr := c.keyDetails(ctx, apiKey, false)
	var kr *KeyRejectedError
	if selfErr == nil || pe != nil && errors.As(selfErr, &kr) {
		return d, wrap(selfErr, "looking up API key details")
	}
	return nil, wrap(err, "looking up API key details")
}

// BotAccount returns the account of pullcheck's own key, cached after the
// first successful lookup.
func (c *Client) BotAccount(ctx context.Context) (string, error) {
	if !c.HasBotKey() {
		return "", ErrNoBotKey
	}
	c.mu.Lock()
	acct := c.botAccount
	c.mu.Unlock()
	if acct != "" {
		return acct, nil
	}
	d, err := c.keyDetails(ctx, c.botKey, true)
	if err != nil {
		return "", wrap(err, "looking up pullcheck's own account")
	}
	c.mu.Lock()
	c.botAccount = d.AccountID
	c.mu.Unlock()
	return d.AccountID, nil
}

// ServiceID looks up the service ID behind an iam_id with pullcheck's key.
// It returns ErrNotServiceID for iam_ids that do not start with
// "iam-ServiceId-" and *NotFoundError for deleted service IDs.
func (c *Client) ServiceID(ctx context.Context, iamID string) (*ServiceID, error) {
	if !strings.HasPrefix(iamID, serviceIDPrefix) {
		return nil, wrap(ErrNotServiceID, "looking up service ID of %s", iamID)
	}
	id := strings.TrimPrefix(iamID, "iam-")
	a, err := c.botAuth(ctx)
	if err != nil {
		return nil, wrap(err, "looking up service ID %s", id)
	}
	svc, err := c.identity(a)
	if err != nil {
		return nil, err
	}
	s, resp, err := svc.GetServiceIDWithContext(ctx, svc.NewGetServiceIDOptions(id))
	if err != nil {
		k := call{api: apiIdentity, base: c.ep.IAMIdentity, perm: permIdentity, what: "service ID " + id}
		return nil, wrap(c.fail(ctx, k, resp, err), "looking up service ID %s", id)
	}
	return &ServiceID{
		ID: deref(s.ID), IAMID: deref(s.IamID), Name: deref(s.Name),
		Description: deref(s.Description), AccountID: deref(s.AccountID), Locked: deref(s.Locked),
	}, nil
}

// keyDetails asks IAM Identity about apiKey, authenticated with the bot key
// or with apiKey itself.
func (c *Client) keyDetails(ctx context.Context, apiKey string, asBot bool) (*KeyDetails, error) {
	if apiKey == "" {
		return nil, errEmptyKey
	}
	k := call{api: apiIdentity, base: c.ep.IAMIdentity, what: "API key", key: apiKey}
	var a *core.IamAuthenticator
	var err error
	if asBot {
		a, err = c.botAuth(ctx)
		k.perm = permIdentity
	} else {
		a, err = c.login(ctx, apiKey, false)
	}
	if err != nil {
		return nil, err
	}
	svc, err := c.identity(a)
	if err != nil {
		return nil, err
	}
	key, resp, err := svc.GetAPIKeysDetailsWithContext(ctx, svc.NewGetAPIKeysDetailsOptions().SetIamAPIKey(apiKey))
	if err != nil {
		return nil, c.fail(ctx, k, resp, err)
	}
	return &KeyDetails{
		ID: deref(key.ID), Name: deref(key.Name), IAMID: deref(key.IamID), AccountID: deref(key.AccountID),
		CreatedBy: deref(key.CreatedBy), Disabled: deref(key.Disabled), Locked: deref(key.Locked),
		ExpiresAt: parseIAMTime(deref(key.ExpiresAt)),
	}, nil
}

// identity builds an IAM Identity client for one authenticator.
func (c *Client) identity(a core.Authenticator) (*iamidentityv1.IamIdentityV1, error) {
	svc, err := iamidentityv1.NewIamIdentityV1(&iamidentityv1.IamIdentityV1Options{URL: c.ep.IAMIdentity, Authenticator: a})
	if err != nil {
		return nil, wrap(err, "configuring the IAM identity client")
	}
	c.useClient(svc.Service)
	return svc, nil
}

// parseIAMTime reads IAM's dates ("2026-12-31T23:59+0000") with the SDK
// core's parser, which knows IAM's layouts; nil for "" and unreadable dates.
func parseIAMTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	dt, err := core.ParseDateTime(s)
	if err != nil {
		return nil
	}
	t := time.Time(dt)
	return &t
}

// deref returns the value p points to, or the zero value for nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
