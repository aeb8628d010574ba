package diagnose

import "slices"

// SetupFacts is what decides whether a consumer of pull secrets (a pod, or
// a workload's pod template) gets the cluster pull secret through the
// standard setup: default/all-icr-io, copied into each namespace and listed
// by the service account. The caller reads the facts; JudgeSetup judges
// them, the same way for the diagnosis, the namespace command and the
// hygiene sweep.
type SetupFacts struct {
	// Namespace is where the consumer runs.
	Namespace string
	// Original is default/all-icr-io.
	Original SetupSecret
	// Copy is the namespace's all-icr-io; in default, the original itself.
	Copy SetupSecret
	// ConsumerSecrets are the imagePullSecrets the consumer lists itself.
	ConsumerSecrets []string
	// ServiceAccount is the consumer's service account.
	ServiceAccount SetupServiceAccount
}

// SetupSecret is what JudgeSetup needs to know of an all-icr-io secret.
type SetupSecret struct {
	Exists bool
	// Hash is ContentHash of its data.
	Hash string
	// Managed is ManagedCopy of its labels and annotations.
	Managed bool
}

// SetupServiceAccount is what JudgeSetup needs to know of a service account.
type SetupServiceAccount struct {
	Name   string
	Exists bool
	// Secrets are its imagePullSecrets.
	Secrets []string
}

// SetupProblem is one problem of a consumer's pull-secret setup.
type SetupProblem struct {
	// ID is PullSecretNotCopied, ServiceAccountNotPatched or PullSecretStale.
	ID FindingID
	// Remedies fix it, in order. Pods get their service account's pull
	// secrets only when they are created, so after a patch-service-account
	// the caller that knows the pods adds their restart.
	Remedies []Remedy
}

// Remedy returns the problem's remedy with action a.
func (p SetupProblem) Remedy(a Action) (Remedy, bool) {
	i := slices.IndexFunc(p.Remedies, func(r Remedy) bool { return r.Action == a })
	if i < 0 {
		return Remedy{}, false
	}
	return p.Remedies[i], true
}

// ReliesOnStandardSetup reports whether a consumer that lists these
// imagePullSecrets relies on the standard setup: it lists none (and so gets
// its service account's), or lists all-icr-io. One that lists only other
// secrets is judged by those secrets instead.
func ReliesOnStandardSetup(imagePullSecrets []string) bool {
	return len(imagePullSecrets) == 0 || slices.Contains(imagePullSecrets, ClusterPullSecretName)
}

// JudgeSetup returns the problems of the consumer's pull-secret setup, in
// catalogue order; none when it is sound or when the facts cannot say (no
// original to copy or compare with).
func JudgeSetup(f SetupFacts) []SetupProblem {
	var out []SetupProblem
	for _, judge := range []func(SetupFacts) (SetupProblem, bool){judgeCopied, judgePatched, judgeStale} {
		if p, ok := judge(f); ok {
			out = append(out, p)
		}
	}
	return out
}

// judgeCopied: outside default, a consumer relying on the standard setup
// needs the namespace's all-icr-io copy when default has one. One that
// lists no pull secret also needs its service account to list the copy.
func judgeCopied(f SetupFacts) (SetupProblem, bool) {
	if !ReliesOnStandardSetup(f.ConsumerSecrets) || f.Namespace == "default" || f.Copy.Exists || !f.Original.Exists {
		return SetupProblem{}, false
	}
	p := SetupProblem{ID: PullSecretNotCopied, Remedies: []Remedy{copySecretRemedy(f.Namespace, ClusterPullSecretName)}}
	if sa := f.ServiceAccount; len(f.ConsumerSecrets) == 0 && sa.Exists && !slices.Contains(sa.Secrets, ClusterPullSecretName) {
		p.Remedies = append(p.Remedies, patchSARemedy(f.Namespace, sa.Name, ClusterPullSecretName))
	}
	return p, true
}

// judgePatched: a consumer that lists no pull secret gets its service
// account's, so once the namespace has all-icr-io the service account must
// list a pull secret. A missing service account has nothing to patch.
func judgePatched(f SetupFacts) (SetupProblem, bool) {
	sa := f.ServiceAccount
	if len(f.ConsumerSecrets) > 0 || !f.Copy.Exists || !sa.Exists || len(sa.Secrets) > 0 {
		return SetupProblem{}, false
	}
	return SetupProblem{ID: ServiceAccountNotPatched, Remedies: []Remedy{patchSARemedy(f.Namespace, sa.Name, ClusterPullSecretName)}}, true
}

// judgeStale: a namespace's copy whose content differs from default's was
// left behind by a key rotation, whoever uses it. pullcheck refreshes only
// the copies it manages; any other is replaced by hand.
func judgeStale(f SetupFacts) (SetupProblem, bool) {
	if f.Namespace == "default" || !f.Copy.Exists || !f.Original.Exists || f.Copy.Hash == f.Original.Hash {
		return SetupProblem{}, false
	}
	sync := syncSecretRemedy(f.Namespace)
	if f.Copy.Managed {
		return SetupProblem{ID: PullSecretStale, Remedies: []Remedy{sync}}, true
	}
	return SetupProblem{ID: PullSecretStale, Remedies: []Remedy{manualRemedy("Replace the copy with default's",
		"pullcheck only refreshes copies it made; this one was made by hand.", sync.Manual)}}, true
}
