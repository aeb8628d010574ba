package ibmcloud

import (
	"context"
	"crypto/sha256"
	"errors"

	"github.com/IBM/go-sdk-core/v5/core"
)

// maxAuthenticators bounds the per-key token cache; when it is full the
// cache starts over, which costs one token exchange per key.
const maxAuthenticators = 512

// errEmptyKey is returned for an empty API key; IAM would reject it anyway.
var errEmptyKey = errors.New("empty API key")

// Exchange exchanges apiKey for an IAM token, which proves that IAM accepts
// the key. Tokens are cached per key, so a second call for the same key makes
// no request until the token nears expiry.
//
// Errors: *KeyRejectedError when IAM answers 4xx (for example 400 BXNIM0415E
// "Provided API key could not be found."), *UnreachableError when IAM cannot
// be reached, *APIError otherwise.
func (c *Client) Exchange(ctx context.Context, apiKey string) error {
	_, err := c.login(ctx, apiKey, false)
	return wrap(err, "exchanging API key for an IAM token")
}

// botAuth returns the authenticator of pullcheck's own key, holding a valid
// token.
func (c *Client) botAuth(ctx context.Context) (*core.IamAuthenticator, error) {
	if c.botKey == "" {
		return nil, ErrNoBotKey
	}
	return c.login(ctx, c.botKey, true)
}

// keyAuth returns the authenticator of apiKey, or of the bot key when apiKey
// is "", together with the key used and whether it is the bot key.
func (c *Client) keyAuth(ctx context.Context, apiKey string) (a *core.IamAuthenticator, key string, bot bool, err error) {
	if apiKey == "" {
		a, err = c.botAuth(ctx)
		return a, c.botKey, true, err
	}
	a, err = c.login(ctx, apiKey, false)
	return a, apiKey, false, err
}

// login returns the cached authenticator of key after making sure it holds a
// valid token. Fetching the token before a service call lets a failed
// exchange be reported as such rather than as a failure of the call; the
// SDK core folds the two together.
//
// The core's token request takes no context, so it runs in a goroutine that
// the caller's *http.Client timeout bounds, and login returns as soon as ctx
// is done.
func (c *Client) login(ctx context.Context, key string, bot bool) (*core.IamAuthenticator, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if key == "" {
		return nil, errEmptyKey
	}
	a := c.authenticator(key)
	if err := a.Validate(); err != nil {
		// The core refuses keys that start or end with {, } or ".
		return nil, c.malformedKey(bot)
	}
	done := make(chan error, 1)
	go func() {
		_, err := a.GetToken()
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			return nil, c.tokenFailure(bot, key, nil, err)
		}
		return a, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// malformedKey reports a key the SDK core refuses to send.
func (c *Client) malformedKey(bot bool) error {
	const msg = "the API key starts or ends with {, } or a quote"
	if bot {
		return &PermissionError{API: apiIAM, Permission: permValidKey, Rejected: true}
	}
	return &KeyRejectedError{Message: msg}
}

// authenticator returns the cached authenticator of apiKey, creating it on
// first use. Keeping one per key lets the SDK core cache each key's token, so
// repeated lookups with the same key make no further token requests. The map
// is keyed by the key's SHA-256, so map keys are fixed-size and not secrets.
func (c *Client) authenticator(apiKey string) *core.IamAuthenticator {
	h := sha256.Sum256([]byte(apiKey))
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.auths[h]; ok {
		return a
	}
	if len(c.auths) >= maxAuthenticators {
		clear(c.auths)
	}
	a := &core.IamAuthenticator{ApiKey: apiKey, URL: c.ep.IAM, Client: c.hc}
	c.auths[h] = a
	return a
}
