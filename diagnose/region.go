package diagnose

import (
	"context"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/diagnose/icr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// regionFacts says where else the key's account keeps the image's registry
// namespace. icr.io answers a pull from a namespace missing in the image's
// region like an authorisation failure (403 DENIED), so the account's
// namespaces in every region are listed before the account or IAM is
// blamed.
type regionFacts struct {
	// others are the other regions holding the namespace, in icr.Domains order.
	others []otherRegion
	// inHome is true when the image's own region holds it too.
	inHome bool
}

// otherRegion is one region holding the namespace, and what its registry
// answered to a pull of the same repository and tag with the same
// credential.
type otherRegion struct {
	region, host string
	image        string
	out          *registry.Outcome
}

// found says whether the image itself is in that region.
func (o otherRegion) found() string {
	switch {
	case o.out == nil:
		return "not probed"
	case o.out.Stage == registry.StageDone || o.out.Problem == registry.ProblemPlatformMismatch:
		return "the image exists there"
	case o.out.Problem == registry.ProblemManifestUnknown:
		return "the repository exists there, the tag does not"
	case o.out.Problem == registry.ProblemNameUnknown:
		return "the repository does not exist there either"
	}
	return "the registry answered " + outcomeText(o.out)
}

func (t *Target) otherRegions(ctx context.Context) (*regionFacts, error) {
	return t.regions.get(func() (*regionFacts, error) {
		ref, host, key, kf, err := t.knownKey(ctx)
		if err != nil {
			return nil, err
		}
		if oa, err := t.ownerAccount(ctx); err == nil && oa.namespace != nil {
			// Listed in the image's own region: no other region to search.
			return &regionFacts{inHome: true}, nil
		}
		ns := registryNamespace(ref.Context().RepositoryStr())
		regions, err := t.e.opts.IBM.NamespaceRegions(ctx, ns, kf.AccountID, key)
		if len(regions) == 0 && err != nil {
			// The pull secret's key may not list namespaces (no Reader);
			// pullcheck's own key can, in its own account.
			if bot, berr := t.e.opts.IBM.BotAccount(ctx); berr == nil && bot == kf.AccountID {
				regions, err = t.e.opts.IBM.NamespaceRegions(ctx, ns, kf.AccountID, "")
			}
		}
		rf := &regionFacts{}
		for _, r := range regions {
			d, ok := icr.ByRegion(r)
			switch {
			case ok && d.Region == host.Region:
				rf.inHome = true
			case ok:
				rf.others = append(rf.others, otherRegion{region: d.Region, host: d.Host})
			}
		}
		if len(rf.others) == 0 && !rf.inHome && err != nil {
			return nil, t.ibmError(err, "list the account's registry namespaces in every region")
		}
		t.probeOtherRegions(ctx, ref, rf.others)
		return rf, nil
	})
}

// probeOtherRegions pulls the same repository and tag from each region
// with the credential the pull goes out with, side by side.
func (t *Target) probeOtherRegions(ctx context.Context, ref name.Reference, others []otherRegion) {
	cf, err := t.credential(ctx)
	if err != nil {
		return
	}
	plat, _ := t.platform(ctx)
	var wg sync.WaitGroup
	for i := range others {
		o := &others[i]
		r, err := name.ParseReference(strings.Replace(ref.Name(), ref.Context().RegistryStr(), o.host, 1))
		if err != nil {
			continue
		}
		o.image = r.Name()
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.out = t.e.opts.Registry.Probe(ctx, registry.Request{Ref: r, Auth: cf.cred.Authenticator(), Platform: plat.Platform})
		}()
	}
	wg.Wait()
}

// inOtherRegion reports, on a denied pull, that the namespace is missing
// from the image's region and kept in another one of the key's account: the
// denial is image-in-other-region's to explain, not the account's or IAM's.
func (t *Target) inOtherRegion(ctx context.Context) bool {
	rf, err := t.registryProbe(ctx)
	if err != nil || !denied(rf) {
		return false
	}
	regions, err := t.otherRegions(ctx)
	return err == nil && !regions.inHome && len(regions.others) > 0
}
