package ibmcloud

import (
	"context"
	"slices"
	"strings"

	"github.com/IBM/container-registry-go-sdk/containerregistryv1"
)

// RepoUsage is the storage one registry repository takes in a region.
type RepoUsage struct {
	// Repository is the full repository name: "us.icr.io/shop/web".
	Repository string
	// Bytes sums the Size of the repository's images as ListImages reports
	// them. Layers shared between images are counted once per image, so
	// Bytes can exceed what the repository adds to the storage quota.
	Bytes int64
	// Images counts the repository's images (manifests, not tags).
	Images int
}

// Repositories lists the repositories of an account in a region with the
// storage their images take, largest first (ties by name), read with
// pullcheck's key (needs Reader on Container Registry). accountID "" means
// pullcheck's own account. Manifest lists are left out: their platform
// images are listed on their own, and counting both would count twice.
func (c *Client) Repositories(ctx context.Context, region, accountID string) ([]RepoUsage, error) {
	svc, k, err := c.registry(ctx, region, accountID, "")
	if err != nil {
		return nil, wrap(err, "listing registry images in %s", region)
	}
	// Vulnerability data is not needed and makes the call much slower.
	opts := svc.NewListImagesOptions().SetIncludeManifestLists(false).SetVulnerabilities(false)
	imgs, resp, err := svc.ListImagesWithContext(ctx, opts)
	if err != nil {
		return nil, wrap(c.fail(ctx, k, resp, err), "listing registry images of account %s in %s", deref(svc.Account), region)
	}
	return repoUsage(imgs), nil
}

// repoUsage sums image sizes per repository. An image tagged in several
// repositories counts in each of them, once.
func repoUsage(imgs []containerregistryv1.RemoteAPIImage) []RepoUsage {
	byRepo := map[string]*RepoUsage{}
	for _, img := range imgs {
		seen := map[string]bool{}
		for _, ref := range slices.Concat(img.RepoTags, img.RepoDigests) {
			repo := repositoryOf(ref)
			if repo == "" || seen[repo] {
				continue
			}
			seen[repo] = true
			u, ok := byRepo[repo]
			if !ok {
				u = &RepoUsage{Repository: repo}
				byRepo[repo] = u
			}
			u.Bytes += deref(img.Size)
			u.Images++
		}
	}
	out := make([]RepoUsage, 0, len(byRepo))
	for _, u := range byRepo {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b RepoUsage) int {
		if a.Bytes != b.Bytes {
			if a.Bytes > b.Bytes {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Repository, b.Repository)
	})
	return out
}

// repositoryOf strips the tag or digest from a full image reference:
// "us.icr.io/ns/repo:1.0" and "us.icr.io/ns/repo@sha256:…" both give
// "us.icr.io/ns/repo". A port in the host ("host:5000/ns/repo") is kept.
// References without a namespace part ("<none>:<none>") give "".
func repositoryOf(ref string) string {
	if at := strings.IndexByte(ref, '@'); at >= 0 {
		ref = ref[:at]
	}
	slash := strings.LastIndexByte(ref, '/')
	if slash < 0 {
		return ""
	}
	if colon := strings.LastIndexByte(ref, ':'); colon > slash {
		ref = ref[:colon]
	}
	return ref
}
