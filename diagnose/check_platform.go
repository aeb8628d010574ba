package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkPlatform: the image must offer the node's OS and architecture.
func checkPlatform(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	plat, _ := t.platform(ctx)
	node := fact("node platform", "%s (%s)", rf.Platform, plat.source)
	switch {
	case rf.Problem == registry.ProblemPlatformMismatch:
		build := manualRemedy("Build the image for "+rf.Platform, "Publishes a multi-platform image that includes the node's platform.",
			fmt.Sprintf("docker buildx build --platform %s,linux/amd64 -t %s --push .", rf.Platform, rf.ref))
		return fail(fmt.Sprintf("the image has no variant for %s", rf.Platform), []Remedy{build}, node,
			fact("image platforms", "%s", joinOrNone(rf.Platforms)))
	case rf.Stage != registry.StageDone && rf.Stage != registry.StageConfig:
		return Result{}, skip("the registry did not get as far as the image's platforms")
	}
	if len(rf.Platforms) > 0 {
		return pass("the image offers "+rf.Platform, node, fact("image platforms", "%s", strings.Join(rf.Platforms, ", ")))
	}
	return pass("the image matches "+rf.Platform, node)
}
