package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkTagFound: the tag (or digest) must exist; the evidence names the
// nearest existing tags.
func checkTagFound(ctx context.Context, t *Target) (Result, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	switch {
	case rf.Problem == registry.ProblemNameUnknown:
		return Result{}, skip("the repository does not exist")
	case rf.Problem != registry.ProblemManifestUnknown && !reachedManifest(rf):
		return Result{}, skip("the registry did not get as far as the manifest")
	case rf.Problem != registry.ProblemManifestUnknown:
		return pass(fmt.Sprintf("%s exists", ref.Identifier()), fact("digest", "%s", rf.Digest), fact("media type", "%s", rf.MediaType))
	}
	facts := []Fact{fact("registry", "HTTP %d %s", rf.StatusCode, rf.Code)}
	if rf.route != "" {
		facts = append(facts, fact("route", "%s", rf.route))
	}
	switch {
	case len(rf.NearestTags) > 0:
		facts = append(facts, fact("nearest tags", "%s", strings.Join(rf.NearestTags, ", ")))
	case rf.TagsErr != "":
		facts = append(facts, fact("tags", "could not be listed: %s", rf.TagsErr))
	default:
		facts = append(facts, fact("tags", "the repository has none"))
	}
	repo := ref.Context().RepositoryStr()
	list := manualRemedy("List the repository's tags", "Shows which tags exist, to fix the workload's image.",
		fmt.Sprintf("ibmcloud cr images --restrict %s", repo))
	return fail(fmt.Sprintf("%s %s not found in %s", kindOf(ref.Identifier()), ref.Identifier(), repo), []Remedy{list}, facts...)
}

func kindOf(identifier string) string {
	if strings.HasPrefix(identifier, "sha256:") {
		return "digest"
	}
	return "tag"
}
