package diagnose

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/diagnose/dockercfg"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// setupFacts is the pod's pull-secret setup: what it lists, what its service
// account lists, and which secrets the kubelet would therefore use.
type setupFacts struct {
	podSecrets []string
	sa         *serviceAccountFacts
	// effective are the secrets the pull uses: the pod's, else its service
	// account's (the pod gets those only when it is created).
	effective []*secretFacts
	source    string // "pod", "service account" or ""
	// standard is true when the pod relies on the cluster's standard setup:
	// it lists no pull secret, or lists all-icr-io.
	standard bool
	// nsCopy is the namespace's all-icr-io (in default: the original).
	nsCopy *secretFacts
}

func (t *Target) setup(ctx context.Context) (*setupFacts, error) {
	return t.pullSetup.get(func() (*setupFacts, error) {
		pf, err := t.podFacts(ctx)
		if err != nil {
			return nil, err
		}
		sa, err := t.serviceAccount(ctx)
		if err != nil {
			return nil, err
		}
		s := &setupFacts{podSecrets: refNames(pf.pod.Spec.ImagePullSecrets), sa: sa}
		names := s.podSecrets
		switch {
		case len(names) > 0:
			s.source = "pod"
		case len(sa.secrets) > 0:
			names, s.source = sa.secrets, "service account"
		}
		s.standard = ReliesOnStandardSetup(s.podSecrets)
		for _, n := range names {
			sf, err := t.secret(ctx, t.Request.Namespace, n)
			if err != nil {
				return nil, err
			}
			s.effective = append(s.effective, sf)
		}
		if s.nsCopy, err = t.secret(ctx, t.Request.Namespace, ClusterPullSecretName); err != nil {
			return nil, err
		}
		return s, nil
	})
}

// judgedSetup is the pod's setup, the facts JudgeSetup saw and its verdict.
type judgedSetup struct {
	*setupFacts
	facts    SetupFacts
	problems []SetupProblem
}

// judgeSetup judges the pod's pull-secret setup (see JudgeSetup).
func (t *Target) judgeSetup(ctx context.Context) (*judgedSetup, error) {
	s, err := t.setup(ctx)
	if err != nil {
		return nil, err
	}
	orig, err := t.secret(ctx, "default", ClusterPullSecretName)
	if err != nil {
		return nil, err
	}
	f := SetupFacts{Namespace: t.Request.Namespace, Original: orig.setupSecret(), Copy: s.nsCopy.setupSecret(),
		ConsumerSecrets: s.podSecrets, ServiceAccount: SetupServiceAccount{Name: s.sa.name, Exists: !s.sa.missing, Secrets: s.sa.secrets}}
	return &judgedSetup{setupFacts: s, facts: f, problems: JudgeSetup(f)}, nil
}

// problem returns the problem with the finding ID id, if JudgeSetup found it.
func (j *judgedSetup) problem(id FindingID) (SetupProblem, bool) {
	for _, p := range j.problems {
		if p.ID == id {
			return p, true
		}
	}
	return SetupProblem{}, false
}

func (sf *secretFacts) setupSecret() SetupSecret {
	return SetupSecret{Exists: !sf.missing, Hash: sf.hash, Managed: sf.managed}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// reference parses the container's image the way the kubelet does.
func (t *Target) reference(ctx context.Context) (name.Reference, error) {
	pf, err := t.podFacts(ctx)
	if err != nil {
		return nil, err
	}
	ref, err := name.ParseReference(pf.container.Image)
	if err != nil {
		return nil, skip("image reference %q does not parse", pf.container.Image)
	}
	return ref, nil
}

// icrImage returns the image reference and its registry facts, or a skip
// error when the image is not on IBM Cloud Container Registry.
func (t *Target) icrImage(ctx context.Context) (name.Reference, icr.Host, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return nil, icr.Host{}, err
	}
	h, ok := icr.Lookup(ref.Context().RegistryStr())
	if !ok {
		return nil, icr.Host{}, skip("image is not on IBM Cloud Container Registry (%s)", ref.Context().RegistryStr())
	}
	return ref, h, nil
}

// tryCred is one credential the kubelet tries for the image: an entry of
// one of the pod's pull secrets.
type tryCred struct {
	secret string
	cred   dockercfg.Credential
}

// describe names the credential for evidence: secret, entry, user kind and
// a fingerprint of the password, never the password.
func (c tryCred) describe() string {
	if !c.cred.Usable() {
		return fmt.Sprintf("secret %s, entry %s (empty: no username or password)", c.secret, c.cred.Key)
	}
	return fmt.Sprintf("secret %s, entry %s, user %s, password %s", c.secret, c.cred.Key,
		safeUsername(c.cred.Username), dockercfg.Fingerprint(c.cred.Password))
}

// credentialFacts is the credential the pull goes out with: of every
// credential the kubelet tries (tries, in its order), the one that gets
// furthest with the registry, which is the first when there is only one.
type credentialFacts struct {
	found  bool
	secret string
	cred   dockercfg.Credential
	// hosts are the registries every usable effective secret covers.
	hosts []string
	tries []tryCred
}

// candidates lists the credentials the kubelet tries for the image, in its
// order (dockercfg.Lookup), and the registries the secrets cover.
func (t *Target) candidates(ctx context.Context) ([]tryCred, []string, error) {
	ref, err := t.reference(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := t.setup(ctx)
	if err != nil {
		return nil, nil, err
	}
	var cfgs []*dockercfg.Config
	var hosts []string
	for _, sf := range s.effective {
		cfgs = append(cfgs, sf.config)
		if sf.config != nil {
			for _, e := range sf.config.Entries {
				hosts = append(hosts, e.Key)
			}
		}
	}
	var tries []tryCred
	for _, f := range dockercfg.Lookup(cfgs, ref.Context().RegistryStr(), ref.Context().RepositoryStr()) {
		tries = append(tries, tryCred{secret: s.effective[f.Secret].name, cred: f.Credential})
	}
	return tries, hosts, nil
}

func (t *Target) credential(ctx context.Context) (*credentialFacts, error) {
	return t.cred.get(func() (*credentialFacts, error) {
		tries, hosts, err := t.candidates(ctx)
		if err != nil {
			return nil, err
		}
		cf := &credentialFacts{hosts: hosts, tries: tries}
		if len(tries) == 0 {
			return cf, nil
		}
		chosen := tries[0]
		if len(tries) > 1 {
			// Which credential the pull goes out with is known only once
			// the registry has answered each.
			rf, err := t.registryProbe(ctx)
			if err != nil {
				return nil, err
			}
			chosen = rf.chosen
		}
		cf.found, cf.secret, cf.cred = true, chosen.secret, chosen.cred
		return cf, nil
	})
}
