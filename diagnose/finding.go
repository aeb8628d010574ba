package diagnose

// FindingID is the stable, kebab-case name of a finding. It appears in JSON
// output, chat messages, metrics and tests; never rename one.
type FindingID string

// The finding catalogue, in causal order (see Catalogue).
const (
	PodNotFound                    FindingID = "pod-not-found"
	ImageAdmissionDenied           FindingID = "image-admission-denied"
	PodPullingOK                   FindingID = "pod-pulling-ok"
	ImageReferenceInvalid          FindingID = "image-reference-invalid"
	ImagePullPolicyNever           FindingID = "image-pull-policy-never"
	RegistryDomainDeprecated       FindingID = "registry-domain-deprecated"
	RegistryUnreachable            FindingID = "registry-unreachable"
	RegistryRateLimited            FindingID = "registry-rate-limited"
	ClusterPullSecretMissing       FindingID = "cluster-pull-secret-missing"
	PullSecretNotCopied            FindingID = "pull-secret-not-copied"
	ServiceAccountNotPatched       FindingID = "service-account-not-patched"
	PodPredatesServiceAccountPatch FindingID = "pod-predates-service-account-patch"
	NoPullSecret                   FindingID = "no-pull-secret"
	PullSecretMissing              FindingID = "pull-secret-missing"
	PullSecretMalformed            FindingID = "pull-secret-malformed"
	PullSecretWrongRegistry        FindingID = "pull-secret-wrong-registry"
	CredentialKind                 FindingID = "credential-kind"
	APIKeyInvalid                  FindingID = "api-key-invalid"
	APIKeyDisabled                 FindingID = "api-key-disabled"
	RegistryLoginFailed            FindingID = "registry-login-failed"
	ImageInOtherAccount            FindingID = "image-in-other-account"
	ServiceIDMissingReaderRole     FindingID = "service-id-missing-reader-role"
	PrivateNetworkOnly             FindingID = "private-network-only"
	RegistryAccessDenied           FindingID = "registry-access-denied"
	ImageInOtherRegion             FindingID = "image-in-other-region"
	ImageRepositoryNotFound        FindingID = "image-repository-not-found"
	ImageTagNotFound               FindingID = "image-tag-not-found"
	ImagePlatformMismatch          FindingID = "image-platform-mismatch"
	NodeDiskPressure               FindingID = "node-disk-pressure"
	PullTrafficQuotaExceeded       FindingID = "pull-traffic-quota-exceeded"
	PullSecretStale                FindingID = "pull-secret-stale"
	StorageQuotaExceeded           FindingID = "storage-quota-exceeded"
	QuotaNearLimit                 FindingID = "quota-near-limit"
	WorkloadMissingPullSecretRef   FindingID = "workload-missing-pull-secret-reference"
	BotPermissionMissing           FindingID = "bot-permission-missing"
)

// Status is the outcome of one check.
type Status string

// Statuses. Inconclusive means the check could not decide (an API was down, a
// permission was missing); it is never a guess.
const (
	Pass         Status = "pass"
	Warn         Status = "warn"
	Fail         Status = "fail"
	Skip         Status = "skip"
	Inconclusive Status = "inconclusive"
)

// Mark is a one-character status symbol for terminals and chat.
func (s Status) Mark() string {
	switch s {
	case Pass:
		return "✓"
	case Warn:
		return "!"
	case Fail:
		return "✗"
	case Inconclusive:
		return "?"
	default:
		return "-"
	}
}
