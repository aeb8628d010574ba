package diagnose

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// botKeyPermission names pullcheck's own IBM Cloud key in missing-permission notes.
const botKeyPermission = "IBM Cloud API key for pullcheck (IBMCLOUD_API_KEY)"

// ibmError records a missing permission and returns a user-safe error.
func (t *Target) ibmError(err error, neededFor string) error {
	var pe *ibmcloud.PermissionError
	switch {
	case errors.Is(err, ibmcloud.ErrNoBotKey):
		t.noteMissing(botKeyPermission, neededFor)
		return errors.New("pullcheck has no IBM Cloud API key of its own (set IBMCLOUD_API_KEY)")
	case errors.As(err, &pe):
		t.noteMissing("IBM Cloud: "+pe.Permission, neededFor)
	}
	return err
}

// apiKey returns the IAM API key the pod's credential holds, or a skip error.
func (t *Target) apiKey(ctx context.Context) (string, error) {
	if _, _, err := t.icrImage(ctx); err != nil {
		return "", err
	}
	cf, err := t.credential(ctx)
	if err != nil {
		return "", err
	}
	if !cf.found {
		return "", skip("no pull secret holds a credential for this registry")
	}
	if cf.cred.Username != "iamapikey" {
		return "", skip("the credential is not an IAM API key (username %q)", safeUsername(cf.cred.Username))
	}
	return cf.cred.Password, nil
}

// safeUsername shows a registry username only when it is one of IBM's fixed names.
func safeUsername(u string) string {
	switch u {
	case "iamapikey", "iambearer", "iamrefresh", "token":
		return u
	}
	return "custom"
}

// keyExchange is IAM's answer to exchanging the pod's API key for a token.
func (t *Target) keyExchange(ctx context.Context) error {
	key, err := t.apiKey(ctx)
	if err != nil {
		return err
	}
	return t.exchangeOf(ctx, key)
}

func (t *Target) exchangeOf(ctx context.Context, key string) error {
	_, err := t.forKey(key).exchange.get(func() (struct{}, error) {
		return struct{}{}, t.e.opts.IBM.Exchange(ctx, key)
	})
	return err
}

// keyLookups are the IAM and registry lookups of one API key. They are kept
// per key: when a pod's secrets hold several, each is looked up beside the
// registry probes that decide which one the pull goes out with.
type keyLookups struct {
	exchange lazy[struct{}]
	details  lazy[*keyFacts]
	listing  lazy[lookup] // the key's account's namespace in the image's region
}

func (t *Target) forKey(key string) *keyLookups {
	t.secretsMu.Lock()
	defer t.secretsMu.Unlock()
	k, ok := t.keys[key]
	if !ok {
		k = &keyLookups{}
		t.keys[key] = k
	}
	return k
}

// prefetchKeys looks every candidate API key up while the registry probes
// run, so that the one chosen needs no round trip more than a single key.
func (t *Target) prefetchKeys(ctx context.Context, tries []tryCred) {
	if _, _, err := t.icrImage(ctx); err != nil || len(tries) < 2 {
		return
	}
	if ref, host, err := t.icrImage(ctx); err == nil {
		go t.botNamespaceListing(ctx, host, registryNamespace(ref.Context().RepositoryStr()))
	}
	for _, c := range tries {
		if c.cred.Username != "iamapikey" || c.cred.Password == "" {
			continue
		}
		go func() {
			if kf, err := t.detailsOf(ctx, c.cred.Password); err == nil && !kf.notFound {
				_ = t.namespaceListing(ctx, kf.AccountID, c.cred.Password)
			}
		}()
	}
}

// keyFacts is what IAM knows about the pod's API key; notFound when IAM has no such key.
type keyFacts struct {
	*ibmcloud.KeyDetails
	notFound bool
}

func (t *Target) keyDetails(ctx context.Context) (*keyFacts, error) {
	key, err := t.apiKey(ctx)
	if err != nil {
		return nil, err
	}
	return t.detailsOf(ctx, key)
}

func (t *Target) detailsOf(ctx context.Context, key string) (*keyFacts, error) {
	return t.forKey(key).details.get(func() (*keyFacts, error) {
		d, err := t.e.opts.IBM.KeyDetails(ctx, key)
		var nf *ibmcloud.NotFoundError
		switch {
		case errors.As(err, &nf):
			return &keyFacts{notFound: true}, nil
		case err != nil:
			return nil, t.ibmError(err, "read the API key's details")
		}
		return &keyFacts{KeyDetails: d}, nil
	})
}

// ownerAccount says which account owns the image's registry namespace.
type ownerAccount struct {
	keyAccount string
	owner      string // "" when unknown
	// notInKeyAccount is true when the key's account was listed and lacks the namespace.
	notInKeyAccount bool
	namespace       *ibmcloud.Namespace
	region          string
}

// knownKey returns the icr.io image and the API key it is pulled with, when
// IAM knows the key; else the reason as a skip or an error.
func (t *Target) knownKey(ctx context.Context) (name.Reference, icr.Host, string, *keyFacts, error) {
	ref, host, err := t.icrImage(ctx)
	if err != nil {
		return nil, icr.Host{}, "", nil, err
	}
	key, err := t.apiKey(ctx)
	if err != nil {
		return nil, icr.Host{}, "", nil, err
	}
	kf, err := t.keyDetails(ctx)
	if err != nil {
		return nil, icr.Host{}, "", nil, err
	}
	if kf.notFound {
		return nil, icr.Host{}, "", nil, skip("IAM does not know the API key")
	}
	return ref, host, key, kf, nil
}

func (t *Target) ownerAccount(ctx context.Context) (*ownerAccount, error) {
	return t.owning.get(func() (*ownerAccount, error) {
		ref, host, key, kf, err := t.knownKey(ctx)
		if err != nil {
			return nil, err
		}
		ns := registryNamespace(ref.Context().RepositoryStr())
		oa := &ownerAccount{keyAccount: kf.AccountID, region: host.Region}
		var wg sync.WaitGroup
		var keyList, botList lookup
		wg.Add(2)
		go func() { defer wg.Done(); keyList = t.namespaceListing(ctx, kf.AccountID, key) }()
		go func() { defer wg.Done(); botList = t.botNamespaceListing(ctx, host, ns) }()
		wg.Wait()
		switch {
		case keyList.found:
			oa.owner, oa.namespace = kf.AccountID, keyList.ns
		case botList.found:
			oa.owner, oa.namespace = botList.account, botList.ns
		}
		oa.notInKeyAccount = oa.owner != kf.AccountID &&
			((keyList.err == nil && !keyList.found) || (botList.account == kf.AccountID && botList.err == nil && !botList.found))
		if oa.owner == "" && !oa.notInKeyAccount {
			return oa, listingError(keyList.err, botList.err)
		}
		return oa, nil
	})
}

type lookup struct {
	account string
	ns      *ibmcloud.Namespace
	found   bool
	err     error
}

func (t *Target) lookupNamespace(ctx context.Context, host icr.Host, ns, account, key string) lookup {
	n, found, err := t.e.opts.IBM.Namespace(ctx, host.Region, ns, account, key)
	return lookup{account: account, ns: n, found: found, err: err}
}

// namespaceListing looks the image's registry namespace up in the key's
// account, once per key.
func (t *Target) namespaceListing(ctx context.Context, account, key string) lookup {
	l, _ := t.forKey(key).listing.get(func() (lookup, error) {
		ref, host, err := t.icrImage(ctx)
		if err != nil {
			return lookup{err: err}, nil
		}
		return t.lookupNamespace(ctx, host, registryNamespace(ref.Context().RepositoryStr()), account, key), nil
	})
	return l
}

// botNamespaceListing looks the image's registry namespace up in
// pullcheck's own account, once per diagnosis.
func (t *Target) botNamespaceListing(ctx context.Context, host icr.Host, ns string) lookup {
	l, _ := t.botListing.get(func() (lookup, error) { return t.lookupBotNamespace(ctx, host, ns), nil })
	return l
}

func (t *Target) lookupBotNamespace(ctx context.Context, host icr.Host, ns string) lookup {
	acct, err := t.e.opts.IBM.BotAccount(ctx)
	if err != nil {
		return lookup{err: t.ibmError(err, "find the account that owns the registry namespace")}
	}
	l := t.lookupNamespace(ctx, host, ns, acct, "")
	l.err = t.ibmErrorOrNil(l.err, "find the account that owns the registry namespace")
	return l
}

func (t *Target) ibmErrorOrNil(err error, neededFor string) error {
	if err == nil {
		return nil
	}
	return t.ibmError(err, neededFor)
}

// listingError explains why neither key could list the namespace's account.
func listingError(keyErr, botErr error) error {
	switch {
	case keyErr != nil && botErr != nil:
		return fmt.Errorf("%v; with the pull secret's key: %v", botErr, keyErr)
	case botErr != nil:
		return botErr
	case keyErr != nil:
		return keyErr
	}
	return errors.New("the registry namespace's account could not be listed")
}

// registryNamespace is the first path component of a repository ("ns/app" -> "ns").
func registryNamespace(repo string) string {
	ns, _, _ := strings.Cut(repo, "/")
	return ns
}
