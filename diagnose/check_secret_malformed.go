package diagnose

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// checkSecretMalformed: every existing listed secret must be a readable
// docker config (type, key, base64 and JSON), and the entries that match the
// image must carry credentials: a secret made from a laptop's docker config
// that keeps them in a credential store ("credsStore", "credHelpers") parses
// but holds only {"us.icr.io":{}}, and the kubelet then pulls anonymously.
func checkSecretMalformed(ctx context.Context, t *Target) (Result, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return Result{}, err
	}
	var facts []Fact
	var bad *secretFacts
	for _, sf := range s.effective {
		if sf.missing {
			continue
		}
		if sf.malformed != nil {
			facts = append(facts, fact(sf.name, "%s (type %s)", sf.malformed.Reason, sf.typ))
			if bad == nil {
				bad = sf
			}
			continue
		}
		facts = append(facts, fact(sf.name, "valid %s", sf.typ))
	}
	switch {
	case len(facts) == 0:
		return Result{}, skip("no listed pull secret exists")
	case bad == nil:
		return checkEntriesUsable(ctx, t, facts)
	}
	ns := t.Request.Namespace
	recreate := manualRemedy("Re-create secret "+bad.name, "Replaces the secret with a valid kubernetes.io/dockerconfigjson secret.",
		fmt.Sprintf("kubectl delete secret -n %s %s && kubectl create secret docker-registry %s -n %s --docker-server=<region>.icr.io --docker-username=iamapikey --docker-password=<api key>", ns, bad.name, bad.name, ns))
	return fail(fmt.Sprintf("pull secret %s is malformed: %s", bad.name, bad.malformed.Reason), []Remedy{recreate}, facts...)
}

// checkEntriesUsable fails when every entry that matches the image is empty.
func checkEntriesUsable(ctx context.Context, t *Target, facts []Fact) (Result, error) {
	tries, _, err := t.candidates(ctx)
	if err != nil {
		return Result{}, err
	}
	var empty *tryCred
	for i, c := range tries {
		if c.cred.Usable() {
			return pass("the pull secrets are well-formed", facts...)
		}
		if empty == nil {
			empty = &tries[i]
		}
	}
	if empty == nil {
		return pass("the pull secrets are well-formed", facts...)
	}
	ref, err := t.reference(ctx)
	if err != nil {
		return Result{}, err
	}
	ns, host := t.Request.Namespace, ref.Context().RegistryStr()
	facts = append(facts, fact(empty.secret, "entry %s has no username, password or token (a docker config whose credentials live in a credential store?)", empty.cred.Key))
	user, password := "<user>", "<password>"
	if icr.IsRegistry(host) {
		user, password = "iamapikey", "<api key>"
	}
	recreate := manualRemedy("Re-create "+empty.secret+" with the credentials inline",
		"Replaces the secret with one whose entry holds the username and password, not a reference to a credential store.",
		fmt.Sprintf("kubectl create secret docker-registry %s -n %s --docker-server=%s --docker-username=%s --docker-password=%s --dry-run=client -o yaml | kubectl apply -f -", empty.secret, ns, host, user, password))
	return fail(fmt.Sprintf("pull secret %s has no credentials for %s: its entry is empty", empty.secret, host), []Remedy{recreate}, facts...)
}
