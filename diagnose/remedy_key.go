package diagnose

import (
	"context"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// keyRemedies fixes a credential the registry or IAM refuses, in the
// context it was found in:
//   - a registry other than icr.io wants its own credentials (cp.icr.io: the
//     entitlement key), never IBM Cloud API-key advice;
//   - a namespace's all-icr-io copy whose default original differs and still
//     works was copied before a key rotation: refresh the copy;
//   - the cluster's own secrets (all-icr-io, legacy *-icr-io): re-apply the
//     cluster pull secret;
//   - any other secret: put a valid API key in it.
func keyRemedies(ctx context.Context, t *Target, cf *credentialFacts) []Remedy {
	ns := t.Request.Namespace
	name := "<secret>"
	if cf != nil && cf.secret != "" {
		name = cf.secret
	}
	host := ""
	if ref, err := t.reference(ctx); err == nil {
		host = ref.Context().RegistryStr()
	}
	switch {
	case host != "" && !icr.IsRegistry(host):
		return []Remedy{foreignRegistryRemedy(ns, name, host)}
	case name == ClusterPullSecretName && ns != "default":
		if r, ok := t.refreshCopyRemedy(ctx); ok {
			return []Remedy{r}
		}
		return []Remedy{applyClusterSecretRemedy(t.clusterID(ctx))}
	case name == ClusterPullSecretName || strings.HasSuffix(name, "-icr-io"):
		return []Remedy{applyClusterSecretRemedy(t.clusterID(ctx))}
	}
	return []Remedy{manualRemedy("Put a valid API key in "+name, "Re-creates the pull secret with a new service ID API key.",
		fmt.Sprintf("ibmcloud iam service-api-key-create pull-key <service-id> && kubectl create secret docker-registry %s -n %s --docker-server=%s --docker-username=iamapikey --docker-password=<new key> --dry-run=client -o yaml | kubectl apply -f -",
			name, ns, orDefault(host, "<region>.icr.io")))}
}

// refreshCopyRemedy offers sync-pull-secret when the namespace's copy of
// all-icr-io differs from default's and default's key still works: the key
// was rotated after the copy was made, and re-applying the cluster pull
// secret would rotate it once more for nothing.
func (t *Target) refreshCopyRemedy(ctx context.Context) (Remedy, bool) {
	s, err := t.setup(ctx)
	if err != nil || s.nsCopy.missing {
		return Remedy{}, false
	}
	d, err := t.defaultSecrets(ctx)
	if err != nil || d.all.missing || d.all.hash == s.nsCopy.hash || !t.defaultKeyWorks(ctx, d.all) {
		return Remedy{}, false
	}
	r := syncSecretRemedy(t.Request.Namespace)
	if !s.nsCopy.managed {
		// pullcheck refreshes only the copies it made.
		r = manualRemedy(r.Title, "The copy was made by hand: replace it with default's.", r.Manual)
	}
	return r, true
}

// defaultKeyWorks reports whether IAM accepts the API key that
// default/all-icr-io holds for the image's registry.
func (t *Target) defaultKeyWorks(ctx context.Context, orig *secretFacts) bool {
	ref, err := t.reference(ctx)
	if err != nil || orig.config == nil {
		return false
	}
	c, ok := orig.config.Match(ref.Context().RegistryStr(), ref.Context().RepositoryStr())
	if !ok || c.Username != "iamapikey" {
		return false
	}
	return t.e.opts.IBM.Exchange(ctx, c.Password) == nil
}

// foreignRegistryRemedy replaces the credentials of a registry that is not
// IBM Cloud Container Registry: IAM API keys mean nothing there.
func foreignRegistryRemedy(ns, secret, host string) Remedy {
	if strings.EqualFold(icrHostOnly(host), "cp.icr.io") {
		return manualRemedy("Put a current entitlement key in "+secret,
			"cp.icr.io (IBM's entitled software) takes the user cp and an entitlement key from the container software library, not an IAM API key.",
			fmt.Sprintf("kubectl create secret docker-registry %s -n %s --docker-server=cp.icr.io --docker-username=cp --docker-password=<entitlement key> --dry-run=client -o yaml | kubectl apply -f -", secret, ns))
	}
	return manualRemedy("Put valid credentials for "+host+" in "+secret,
		"Re-creates the pull secret with a current login for that registry (its own user and password or access token).",
		fmt.Sprintf("kubectl create secret docker-registry %s -n %s --docker-server=%s --docker-username=<user> --docker-password=<password or token> --dry-run=client -o yaml | kubectl apply -f -", secret, ns, host))
}

func icrHostOnly(host string) string {
	h, _, _ := strings.Cut(host, ":")
	return h
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
