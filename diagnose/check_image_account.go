package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/icr"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// denied reports whether the registry refused the pull itself after a good
// login, for a reason IAM policies or accounts may explain. Registries answer
// an unauthorised manifest request with DENIED or with UNAUTHORIZED.
func denied(rf *registryFacts) bool {
	return !rf.Anonymous && (rf.Problem == registry.ProblemDenied ||
		(rf.Problem == registry.ProblemUnauthorized && rf.Stage != registry.StageLogin && rf.Stage != registry.StagePing))
}

// keyDenial is a pull the registry denied to an IAM API key on icr.io.
type keyDenial struct {
	ns   string
	host icr.Host
}

// denialOfKey returns the denial the IAM checks explain; when there is none,
// done is the check's result instead (allowed is its pass summary).
func (t *Target) denialOfKey(ctx context.Context, allowed string) (kd *keyDenial, done Result, err error) {
	ref, host, err := t.icrImage(ctx)
	if err != nil {
		return nil, Result{}, err
	}
	if _, err := t.apiKey(ctx); err != nil {
		return nil, Result{}, err
	}
	rf, err := t.registryProbe(ctx)
	if err != nil {
		return nil, Result{}, err
	}
	if !denied(rf) {
		done, err = passOrSkipAfterRegistry(rf, allowed)
		return nil, done, err
	}
	// Rows 18, 19 and 21 need both answers; ask side by side.
	go func() { _, _ = t.otherRegions(ctx) }()
	go func() { _, _ = t.pullAccess(ctx) }()
	return &keyDenial{ns: registryNamespace(ref.Context().RepositoryStr()), host: host}, Result{}, nil
}

// checkImageAccount: the key's account must own the registry namespace; no
// policy in the key's account can grant a pull in another account.
func checkImageAccount(ctx context.Context, t *Target) (Result, error) {
	kd, done, err := t.denialOfKey(ctx, "the registry did not deny the key access to the namespace")
	if kd == nil {
		return done, err
	}
	if t.inOtherRegion(ctx) {
		return pass(fmt.Sprintf("registry namespace %s is in the key's account, in another region (see image-in-other-region)", kd.ns))
	}
	oa, err := t.ownerAccount(ctx)
	if err != nil {
		return Result{}, err
	}
	ns := kd.ns
	fix := manualRemedy("Use a key from the account that owns "+ns,
		"Creates a pull secret from a service ID API key of the owning account with Reader on the namespace.",
		fmt.Sprintf("ibmcloud target -c <owning account> && ibmcloud iam service-id-create %s-puller && ibmcloud iam service-policy-create %s-puller --roles Reader --service-name container-registry --region %s --resource-type namespace --resource %s && ibmcloud iam service-api-key-create %s-puller-key %s-puller",
			t.Request.Namespace, t.Request.Namespace, oa.region, ns, t.Request.Namespace, t.Request.Namespace))
	key := fact("key's account", "%s", oa.keyAccount)
	switch {
	case oa.owner != "" && oa.owner != oa.keyAccount:
		return fail(fmt.Sprintf("registry namespace %s belongs to account %s, the key to account %s", ns, oa.owner, oa.keyAccount),
			[]Remedy{fix}, key, fact("namespace owner", "%s", oa.owner))
	case oa.notInKeyAccount:
		return fail(fmt.Sprintf("registry namespace %s is not in the key's account %s", ns, oa.keyAccount), []Remedy{fix}, key,
			fact("region", "%s", oa.region))
	}
	return pass(fmt.Sprintf("registry namespace %s is in the key's account", ns), key)
}

// passOrSkipAfterRegistry passes a registry-side check when the pull got past
// the point where it applies, and skips it when the probe stopped before.
func passOrSkipAfterRegistry(rf *registryFacts, summary string) (Result, error) {
	switch rf.Problem {
	case registry.ProblemUnreachable, registry.ProblemLoginRefused, registry.ProblemUnsupportedAuth, registry.ProblemUnauthorized:
		return Result{}, skip("the registry did not get as far as authorising the pull")
	case registry.ProblemTooManyRequests, registry.ProblemOther:
		return Result{}, fmt.Errorf("the registry answered HTTP %d %s", rf.StatusCode, rf.Code)
	}
	return pass(summary)
}
