package diagnose

import (
	"context"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// preflightNodes is the source of a preflight's node platforms, in evidence.
const preflightNodes = "the nodes it may run on"

// checkPlatform: the image must offer the node's OS and architecture; a
// preflight's image must offer every platform of the nodes it may run on.
func checkPlatform(ctx context.Context, t *Target) (Result, error) {
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	if want := t.Request.nodePlatforms(); len(want) > 1 {
		return checkPlatforms(rf, want)
	}
	plat, _ := t.platform(ctx)
	node := fact("node platform", "%s (%s)", rf.Platform, plat.source)
	switch {
	case rf.Problem == registry.ProblemPlatformMismatch:
		return fail(fmt.Sprintf("the image has no variant for %s", rf.Platform), []Remedy{buildFor(rf.Platform, rf.ref)}, node,
			fact("image platforms", "%s", joinOrNone(rf.Platforms)))
	case rf.Stage != registry.StageDone && rf.Stage != registry.StageConfig:
		return Result{}, skip("the registry did not get as far as the image's platforms")
	}
	if len(rf.Platforms) > 0 {
		return pass("the image offers "+rf.Platform, node, fact("image platforms", "%s", strings.Join(rf.Platforms, ", ")))
	}
	return pass("the image matches "+rf.Platform, node)
}

// checkPlatforms judges a preflight whose pod may run on nodes of several
// platforms: the image must offer each. The probe pulled for the first.
func checkPlatforms(rf *registryFacts, want []v1.Platform) (Result, error) {
	if rf.Problem != registry.ProblemPlatformMismatch && rf.Stage != registry.StageDone && rf.Stage != registry.StageConfig {
		return Result{}, skip("the registry did not get as far as the image's platforms")
	}
	offered := rf.Platforms
	if len(offered) == 0 && rf.ImagePlatform != "" {
		offered = []string{rf.ImagePlatform}
	}
	var names, missing []string
	for _, p := range want {
		names = append(names, p.String())
		if !offers(offered, p) {
			missing = append(missing, p.String())
		}
	}
	nodes := fact("node platforms", "%s (%s)", strings.Join(names, ", "), preflightNodes)
	image := fact("image platforms", "%s", joinOrNone(offered))
	if len(missing) > 0 {
		return fail("the image has no variant for "+strings.Join(missing, ", "),
			[]Remedy{buildFor(strings.Join(missing, ","), rf.ref)}, nodes, image)
	}
	return pass("the image offers every node platform", nodes, image)
}

// offers reports whether an image offering platforms runs on want; an
// image whose platform is unknown is given the benefit of the doubt, as
// the probe does.
func offers(platforms []string, want v1.Platform) bool {
	if len(platforms) == 0 {
		return true
	}
	for _, s := range platforms {
		if p, err := v1.ParsePlatform(s); err == nil && registry.Runs(want, *p) {
			return true
		}
	}
	return false
}

// buildFor is the remedy of a missing platform: build for it beside amd64.
func buildFor(platforms, ref string) Remedy {
	all := platforms
	if !strings.Contains(all, "linux/amd64") {
		all += ",linux/amd64"
	}
	return manualRemedy("Build the image for "+platforms, "Publishes a multi-platform image that includes the node's platform.",
		fmt.Sprintf("docker buildx build --platform %s -t %s --push .", all, ref))
}
