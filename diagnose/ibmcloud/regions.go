package ibmcloud

import (
	"context"
	"errors"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// regionConcurrency bounds the parallel namespace listings of
// NamespaceRegions.
const regionConcurrency = 6

// NamespaceRegions lists an account's registry namespaces in every region
// of icr.Domains, global included, and returns the regions ("eu-de") whose
// list contains namespace, in icr.Domains order. It authenticates like
// Namespace: apiKey "" means pullcheck's key, accountID "" the account of
// the key used.
//
// icr.io answers a pull from a region where the namespace does not exist
// like an authorisation failure (403 DENIED), so a diagnosis looks in every
// region before blaming the account. A region that cannot be listed is
// reported in err (errors.Join of the failures), and the regions found
// elsewhere are still returned.
func (c *Client) NamespaceRegions(ctx context.Context, namespace, accountID, apiKey string) (found []string, err error) {
	// One login and one account lookup up front: a rejected key is one
	// error, not one per region.
	if _, _, _, err := c.keyAuth(ctx, apiKey); err != nil {
		return nil, wrap(err, "finding registry namespace %s", namespace)
	}
	if accountID == "" {
		if accountID, err = c.accountOf(ctx, apiKey); err != nil {
			return nil, wrap(err, "finding registry namespace %s", namespace)
		}
	}
	in := make([]bool, len(icr.Domains))
	errs := make([]error, len(icr.Domains))
	sem := make(chan struct{}, regionConcurrency)
	var wg sync.WaitGroup
	for i, d := range icr.Domains {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, in[i], errs[i] = c.Namespace(ctx, d.Region, namespace, accountID, apiKey)
		})
	}
	wg.Wait()
	for i, d := range icr.Domains {
		if in[i] {
			found = append(found, d.Region)
		}
	}
	return found, errors.Join(errs...)
}
