package ibmcloud

import (
	"context"

	"github.com/IBM/container-registry-go-sdk/containerregistryv1"
	"github.com/IBM/go-sdk-core/v5/core"
)

// Unlimited is the quota limit value that means "no limit".
const Unlimited int64 = -1

// Quota is an account's registry quota in one region, in bytes.
type Quota struct {
	// StorageLimit and TrafficLimit are Unlimited (-1) when not limited.
	StorageLimit, StorageUsed int64
	// TrafficUsed counts pull traffic in the current month.
	TrafficLimit, TrafficUsed int64
}

// TrafficExceeded reports whether pulls are refused for exhausted pull
// traffic this month.
func (q Quota) TrafficExceeded() bool {
	return q.TrafficLimit != Unlimited && q.TrafficUsed >= q.TrafficLimit
}

// StorageExceeded reports whether the storage quota is used up.
func (q Quota) StorageExceeded() bool {
	return q.StorageLimit != Unlimited && q.StorageUsed >= q.StorageLimit
}

// Namespace is a registry namespace as its account lists it.
type Namespace struct {
	Name      string
	AccountID string
	// ResourceGroup is the ID of the namespace's resource group, "" for
	// namespaces created before resource groups.
	ResourceGroup string
}

// Quota reads an account's registry quota in a region with pullcheck's key
// (needs Reader on Container Registry). accountID "" means pullcheck's own
// account.
func (c *Client) Quota(ctx context.Context, region, accountID string) (*Quota, error) {
	svc, k, err := c.registry(ctx, region, accountID, "")
	if err != nil {
		return nil, wrap(err, "reading registry quota in %s", region)
	}
	q, resp, err := svc.GetQuotaWithContext(ctx, svc.NewGetQuotaOptions())
	if err != nil {
		return nil, wrap(c.fail(ctx, k, resp, err), "reading registry quota of account %s in %s", deref(svc.Account), region)
	}
	var out Quota
	if q.Limit != nil {
		out.StorageLimit, out.TrafficLimit = deref(q.Limit.StorageBytes), deref(q.Limit.TrafficBytes)
	}
	if q.Usage != nil {
		out.StorageUsed, out.TrafficUsed = deref(q.Usage.StorageBytes), deref(q.Usage.TrafficBytes)
	}
	return &out, nil
}

// Namespace looks a namespace up in an account's ListNamespaceDetails in a
// region, authenticated with apiKey ("" = pullcheck's key; accountID "" =
// the account of that key). found is false when the account's list does not
// contain the namespace: it belongs to another account, or does not exist.
func (c *Client) Namespace(ctx context.Context, region, namespace, accountID, apiKey string) (ns *Namespace, found bool, err error) {
	svc, k, err := c.registry(ctx, region, accountID, apiKey)
	if err != nil {
		return nil, false, wrap(err, "listing registry namespaces in %s", region)
	}
	list, resp, err := svc.ListNamespaceDetailsWithContext(ctx, svc.NewListNamespaceDetailsOptions())
	if err != nil {
		return nil, false, wrap(c.fail(ctx, k, resp, err), "listing registry namespaces of account %s in %s", deref(svc.Account), region)
	}
	for _, d := range list {
		if deref(d.Name) == namespace {
			return &Namespace{Name: namespace, AccountID: deref(d.Account), ResourceGroup: deref(d.ResourceGroup)}, true, nil
		}
	}
	return nil, false, nil
}

// registry builds a registry management client for a region and account,
// authenticated with apiKey or, when it is "", pullcheck's key. It also
// returns the call description for error mapping.
func (c *Client) registry(ctx context.Context, region, accountID, apiKey string) (*containerregistryv1.ContainerRegistryV1, call, error) {
	base, err := c.ep.RegistryURL(region)
	if err != nil {
		return nil, call{}, err
	}
	a, key, bot, err := c.keyAuth(ctx, apiKey)
	if err != nil {
		return nil, call{}, err
	}
	k := call{api: apiRegistry, base: base, key: key}
	if bot {
		k.perm = permRegistry
	}
	if accountID == "" {
		if accountID, err = c.accountOf(ctx, apiKey); err != nil {
			return nil, call{}, err
		}
	}
	// The SDK validates its options by reflection; built with a stand-in
	// authenticator, it never walks the shared HTTP transport while other
	// requests use it. The real one is set after.
	svc, err := containerregistryv1.NewContainerRegistryV1(&containerregistryv1.ContainerRegistryV1Options{
		URL: base, Authenticator: &core.NoAuthAuthenticator{}, Account: core.StringPtr(accountID),
	})
	if err != nil {
		return nil, call{}, wrap(err, "configuring the registry client")
	}
	svc.Service.Options.Authenticator = a
	c.useClient(svc.Service)
	return svc, k, nil
}

// accountOf returns the account of apiKey, or of pullcheck's key for "".
func (c *Client) accountOf(ctx context.Context, apiKey string) (string, error) {
	if apiKey == "" {
		return c.BotAccount(ctx)
	}
	d, err := c.KeyDetails(ctx, apiKey)
	if err != nil {
		return "", err
	}
	return d.AccountID, nil
}
