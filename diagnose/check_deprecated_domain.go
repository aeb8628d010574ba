package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// checkDeprecatedDomain: images on registry.<region>.bluemix.net should move
// to icr.io. It is the cause when the pod's secrets cover the icr.io domain
// but not the deprecated one.
func checkDeprecatedDomain(ctx context.Context, t *Target) (Result, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	host := ref.Context().RegistryStr()
	h, ok := icr.Lookup(host)
	if !ok || !h.IsDeprecated {
		return pass("registry domain is current", fact("registry", "%s", host))
	}
	newImage := strings.Replace(ref.Name(), host, h.Host, 1)
	fix := manualRemedy("Move the image to "+h.Host, "Points the container at the same image on the icr.io domain.",
		fmt.Sprintf("kubectl set image -n %s <deployment>/<name> <container>=%s", t.Request.Namespace, newImage))
	cf, err := t.credential(ctx)
	if err != nil {
		return Result{}, err
	}
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	coversNew := false
	for _, sf := range s.effective {
		if sf.config != nil {
			if _, ok := sf.config.Match(h.Host, ref.Context().RepositoryStr()); ok {
				coversNew = true
			}
		}
	}
	facts := []Fact{fact("image", "%s", ref.Name()), fact("current domain", "%s", h.Host)}
	if coversNew && !cf.found {
		return fail(fmt.Sprintf("image uses the deprecated domain %s; the pull secrets cover %s but not %s", host, h.Host, host),
			[]Remedy{fix}, facts...)
	}
	res, _ := warn(fmt.Sprintf("image uses the deprecated domain %s; use %s", host, h.Host), facts...)
	res.Remedies = []Remedy{fix}
	return res, nil
}
