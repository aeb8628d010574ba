package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkOtherRegion: registry namespaces are per region. An image whose
// domain names a region where the account has no such namespace (us.icr.io
// for a namespace made in eu-de) is denied as if unauthorised; a repository
// pushed to another region's namespace of the same name is not found.
func checkOtherRegion(ctx context.Context, t *Target) (Result, error) {
	ref, host, err := t.icrImage(ctx)
	if err != nil {
		return Result{}, err
	}
	if _, err := t.apiKey(ctx); err != nil {
		return Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return Result{}, err
	}
	if !denied(rf) && rf.Problem != registry.ProblemNameUnknown {
		return passOrSkipAfterRegistry(rf, "the image's region holds its registry namespace")
	}
	regions, err := t.otherRegions(ctx)
	if err != nil {
		return Result{}, err
	}
	ns := registryNamespace(ref.Context().RepositoryStr())
	var facts []Fact
	var best *otherRegion
	for i, o := range regions.others {
		facts = append(facts, fact("namespace "+ns+" in "+o.region, "%s: %s", o.image, o.found()))
		if best == nil || o.found() == "the image exists there" {
			best = &regions.others[i]
		}
	}
	switch {
	case best == nil:
		return pass(fmt.Sprintf("no other region of the account holds registry namespace %s", ns))
	case denied(rf) && regions.inHome:
		return pass(fmt.Sprintf("registry namespace %s is in %s: the denial is not about the region", ns, host.Region), facts...)
	}
	if !denied(rf) && best.found() != "the image exists there" {
		return pass(fmt.Sprintf("repository %s is in no other region either", ref.Context().RepositoryStr()), facts...)
	}
	facts = append([]Fact{fact("registry "+host.Host, "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 120))}, facts...)
	fix := manualRemedy("Pull from "+best.host, "Points the container at the region that holds the namespace.",
		fmt.Sprintf("kubectl set image -n %s deployment/<name> <container>=%s", t.Request.Namespace, best.image))
	where := make([]string, 0, len(regions.others))
	for _, o := range regions.others {
		where = append(where, o.region)
	}
	return fail(fmt.Sprintf("registry namespace %s is not in %s (%s) but in %s: the image's domain names the wrong region",
		ns, host.Region, host.Host, strings.Join(where, ", ")), []Remedy{fix}, facts...)
}
