package preflight

import (
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
)

// ruleText describes each finding of diagnose.Catalogue in one sentence,
// for the rules of SARIF output (RUNBOOK's catalogue, "when").
var ruleText = map[diagnose.FindingID]string{
	diagnose.PodNotFound:                    "The pod, or for a preflight its namespace, does not exist.",
	diagnose.ImageAdmissionDenied:           "An admission webhook refuses the workload's pods because of the image.",
	diagnose.PodPullingOK:                   "No container waits on a failed image pull.",
	diagnose.ImageReferenceInvalid:          "The image reference does not parse.",
	diagnose.ImagePullPolicyNever:           "imagePullPolicy is Never and the image is not on the node.",
	diagnose.RegistryDomainDeprecated:       "The image is on a deprecated registry.<region>.bluemix.net domain.",
	diagnose.RegistryUnreachable:            "DNS, TCP or TLS to the registry fails.",
	diagnose.RegistryRateLimited:            "The registry rate-limits the pull (429 TOOMANYREQUESTS).",
	diagnose.ClusterPullSecretMissing:       "The default namespace has neither all-icr-io nor legacy *-icr-io pull secrets.",
	diagnose.PullSecretNotCopied:            "The namespace has no copy of default/all-icr-io for pods that rely on it.",
	diagnose.ServiceAccountNotPatched:       "The namespace has the all-icr-io copy but the pod's service account does not list it.",
	diagnose.PodPredatesServiceAccountPatch: "The service account lists the pull secret but the pod predates that change.",
	diagnose.NoPullSecret:                   "Neither the pod nor its service account lists a pull secret for a private image.",
	diagnose.PullSecretMissing:              "A pull secret the pod lists does not exist in its namespace.",
	diagnose.PullSecretMalformed:            "A pull secret has the wrong type, or no usable .dockerconfigjson credentials.",
	diagnose.PullSecretWrongRegistry:        "No pull secret has credentials for the image's registry host.",
	diagnose.CredentialKind:                 "The pull secret holds an expiring token or a discontinued registry token.",
	diagnose.APIKeyInvalid:                  "IAM refuses the pull secret's API key (deleted or wrong).",
	diagnose.APIKeyDisabled:                 "The pull secret's API key is disabled or expired.",
	diagnose.RegistryLoginFailed:            "The registry's token endpoint refuses the pull secret's credentials.",
	diagnose.ImageInOtherAccount:            "The image's registry namespace belongs to another IBM Cloud account than the key.",
	diagnose.ServiceIDMissingReaderRole:     "No IAM policy grants the key's identity Reader on the image's registry namespace.",
	diagnose.PrivateNetworkOnly:             "The registry account only allows pulls over the private network.",
	diagnose.RegistryAccessDenied:           "The login works but the registry denies the pull.",
	diagnose.ImageInOtherRegion:             "The registry namespace exists in another region than the image's domain names.",
	diagnose.ImageRepositoryNotFound:        "The repository does not exist (NAME_UNKNOWN).",
	diagnose.ImageTagNotFound:               "The tag or digest does not exist (MANIFEST_UNKNOWN).",
	diagnose.ImagePlatformMismatch:          "The image offers no variant for a platform of the nodes the pod may run on.",
	diagnose.NodeDiskPressure:               "The node's image store is full.",
	diagnose.PullTrafficQuotaExceeded:       "The registry account's monthly pull traffic quota is used up.",
	diagnose.PullSecretStale:                "A copy of all-icr-io differs from default/all-icr-io (the key was rotated).",
	diagnose.StorageQuotaExceeded:           "The registry account's storage quota is used up (blocks pushes, not pulls).",
	diagnose.QuotaNearLimit:                 "Registry quota usage is above the warning threshold.",
	diagnose.WorkloadMissingPullSecretRef:   "The workload's pod template lists no pull secret and relies on the service account.",
	diagnose.BotPermissionMissing:           "pullcheck lacked a permission a check needed.",
}

// ruleLevel is a rule's default SARIF level: what its finding is at worst.
func ruleLevel(id diagnose.FindingID) string {
	switch id {
	case diagnose.PullSecretStale, diagnose.StorageQuotaExceeded, diagnose.QuotaNearLimit, diagnose.WorkloadMissingPullSecretRef:
		return "warning"
	case diagnose.PodPullingOK, diagnose.BotPermissionMissing:
		return "note"
	}
	return "error"
}

// ruleName is a finding ID in PascalCase ("image-tag-not-found" →
// "ImageTagNotFound"), SARIF's convention for rule names.
func ruleName(id diagnose.FindingID) string {
	var b strings.Builder
	for _, w := range strings.Split(string(id), "-") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
