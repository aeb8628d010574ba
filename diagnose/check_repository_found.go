package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// reachedManifest reports whether the probe got an answer for the manifest.
func reachedManifest(rf *registryFacts) bool {
	return rf.Stage != registry.StagePing && rf.Stage != registry.StageLogin &&
		!(rf.Stage == registry.StageManifest && rf.Problem != registry.ProblemNameUnknown && rf.Problem != registry.ProblemManifestUnknown)
}

// checkRepositoryFound: the repository must exist (NAME_UNKNOWN otherwise).
func checkRepositoryFound(ctx context.Context, t *Target) (Result, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	repo := ref.Context().RepositoryStr()
	if rf.Problem == registry.ProblemNameUnknown {
		list := manualRemedy("List the namespace's repositories", "Shows which repositories exist.",
			fmt.Sprintf("ibmcloud cr images --restrict %s", registryNamespace(repo)))
		return fail(fmt.Sprintf("repository %s does not exist in %s", repo, rf.ref), []Remedy{list},
			fact("registry", "HTTP %d %s", rf.StatusCode, rf.Code))
	}
	if !reachedManifest(rf) {
		return Result{}, skip("the registry did not get as far as the manifest")
	}
	return pass(fmt.Sprintf("repository %s exists", repo))
}
