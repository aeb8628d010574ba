package diagnose

// Catalogue is the diagnosis chain in causal order: the order in which a real
// pull meets each problem. It is the only place the order lives; the root
// cause of a report is the first failing finding in this order.
var Catalogue = []Check{
	checkFunc{PodNotFound, checkPodNotFound},
	checkFunc{ImageAdmissionDenied, checkAdmissionDenied},
	checkFunc{PodPullingOK, checkPodPullingOK},
	checkFunc{ImageReferenceInvalid, checkImageReference},
	checkFunc{ImagePullPolicyNever, checkPullPolicyNever},
	checkFunc{RegistryDomainDeprecated, checkDeprecatedDomain},
	checkFunc{RegistryUnreachable, checkRegistryReachable},
	checkFunc{RegistryRateLimited, checkRateLimited},
	checkFunc{ClusterPullSecretMissing, checkClusterPullSecret},
	checkFunc{PullSecretNotCopied, checkSecretCopied},
	checkFunc{ServiceAccountNotPatched, checkServiceAccountPatched},
	checkFunc{PodPredatesServiceAccountPatch, checkPodPredatesPatch},
	checkFunc{NoPullSecret, checkNoPullSecret},
	checkFunc{PullSecretMissing, checkSecretMissing},
	checkFunc{PullSecretMalformed, checkSecretMalformed},
	checkFunc{PullSecretWrongRegistry, checkSecretRegistry},
	checkFunc{CredentialKind, checkCredentialKind},
	checkFunc{APIKeyInvalid, checkAPIKeyInvalid},
	checkFunc{APIKeyDisabled, checkAPIKeyDisabled},
	checkFunc{RegistryLoginFailed, checkRegistryLogin},
	checkFunc{ImageInOtherAccount, checkImageAccount},
	checkFunc{ServiceIDMissingReaderRole, checkReaderRole},
	checkFunc{PrivateNetworkOnly, checkPrivateNetwork},
	checkFunc{RegistryAccessDenied, checkAccessDenied},
	checkFunc{ImageInOtherRegion, checkOtherRegion},
	checkFunc{ImageRepositoryNotFound, checkRepositoryFound},
	checkFunc{ImageTagNotFound, checkTagFound},
	checkFunc{ImagePlatformMismatch, checkPlatform},
	checkFunc{NodeDiskPressure, checkDiskPressure},
	checkFunc{PullTrafficQuotaExceeded, checkTrafficQuota},
	checkFunc{PullSecretStale, checkSecretStale},
	checkFunc{StorageQuotaExceeded, checkStorageQuota},
	checkFunc{QuotaNearLimit, checkQuotaNearLimit},
	checkFunc{WorkloadMissingPullSecretRef, checkWorkloadReference},
	// Last: it reports the permissions every other check missed.
	checkFunc{BotPermissionMissing, checkBotPermissions},
}
