package sandbox

import (
	"fmt"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

// Scenario is one workload of the sandbox and the verdict it must get.
type Scenario struct {
	// Name is also the workload's namespace.
	Name  string
	Title string
	// Expect is the root cause; "" means the pod pulls fine.
	Expect d.FindingID
	// Fresh scenarios need a cluster whose pull secret was never applied.
	Fresh bool
	// PrivateCluster scenarios need a cluster with only the private cloud
	// service endpoint (WithPrivateOnlyCluster).
	PrivateCluster bool
	// Build creates the scenario in w and returns the pod's name.
	Build func(w *World) string
}

// Kubelet error texts, as containerd reports them.
const (
	kubeletUnauthorized = "rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://%s/oauth/token?scope=repository%%3A%s%%3Apull&service=registry: 401 Unauthorized"
	kubeletDenied       = "rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
	kubeletNotFound     = "rpc error: code = NotFound desc = failed to pull and unpack image: failed to resolve reference %q: %s: not found"
	kubeletForbidden    = "rpc error: code = Unknown desc = failed to pull and unpack image: failed to copy: httpReadSeeker: failed open: unexpected status code https://%s/v2/%s/blobs/sha256:6b1f…: 403 Forbidden"
)

func unauthorized(host, repo string) string { return fmt.Sprintf(kubeletUnauthorized, host, repo) }

// Scenarios lists every sandbox workload: healthy ones and one per root cause.
var Scenarios = []Scenario{
	{Name: "storefront", Title: "healthy: the namespace's all-icr-io copy, listed by the pod", Build: func(w *World) string {
		w.Namespace("storefront", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "storefront", Name: "web", Image: "us.icr.io/shop/web:1.0", PodOnlySecrets: []string{AllICRIO}})
	}},
	{Name: "checkout", Title: "healthy until `pullcheck serve --sandbox` breaks its rollout (a tag that was never pushed)", Build: func(w *World) string {
		w.Namespace("checkout", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "checkout", Name: "web", Image: "us.icr.io/shop/web:1.2", PodOnlySecrets: []string{AllICRIO}})
	}},
	{Name: "billing", Title: "healthy, with a stale all-icr-io copy (key rotated; the old key still works)", Build: func(w *World) string {
		old, iam := w.ServiceIDKey(ClusterAccount, "cluster-"+ClusterID+"-previous")
		w.Grant(ClusterAccount, iam, ReaderRole, "container-registry")
		w.Namespace("billing", NamespaceSetup{SASecrets: []string{AllICRIO}})
		w.PullSecret("billing", AllICRIO, DockerConfig("iamapikey", old, ICRHosts()...))
		return w.Deploy(Workload{Namespace: "billing", Name: "invoices", Image: "us.icr.io/shop/api:3.1", PodOnlySecrets: []string{AllICRIO}})
	}},
	{Name: "steady", Title: "healthy, on a node under disk pressure (a warning, not a cause)", Build: steady},
	{Name: "ghost", Title: "a pod that does not exist", Expect: d.PodNotFound, Build: func(w *World) string {
		w.Namespace("ghost", NamespaceSetup{})
		return "web-5f7c9d-abcde"
	}},
	{Name: "signed", Title: "an admission webhook (Portieris) refuses the image: no pod is created", Expect: d.ImageAdmissionDenied, Build: signed},
	{Name: "typo", Title: "an image name with capitals", Expect: d.ImageReferenceInvalid, Build: func(w *World) string {
		w.Namespace("typo", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		img := "us.icr.io/shop/Web:1.0"
		return w.Deploy(Workload{Namespace: "typo", Name: "web", Image: img, PodOnlySecrets: []string{AllICRIO}, Reason: "InvalidImageName",
			Kubelet: fmt.Sprintf("Failed to apply default image tag %q: couldn't parse image name %q: invalid reference format: repository name (shop/Web) must be lowercase", img, img)})
	}},
	{Name: "never", Title: "imagePullPolicy: Never and the image is not on the node", Expect: d.ImagePullPolicyNever, Build: neverPull},
	{Name: "legacy", Title: "an image on registry.ng.bluemix.net", Expect: d.RegistryDomainDeprecated, Build: func(w *World) string {
		w.Namespace("legacy", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "legacy", Name: "web", Image: "registry.ng.bluemix.net/shop/web:1.0", PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("registry.ng.bluemix.net", "shop%2Fweb")})
	}},
	{Name: "onprem", Title: "a registry host that does not resolve", Expect: d.RegistryUnreachable, Build: func(w *World) string {
		w.Namespace("onprem", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "onprem", Name: "agent", Image: UnreachableHost + "/tools/agent:2.4", PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(`failed to do request: Head "https://%s/v2/tools/agent/manifests/2.4": dial tcp: lookup %s on 172.21.0.10:53: no such host`, UnreachableHost, UnreachableHost)})
	}},
	{Name: "edge", Title: "the node cannot reach us.icr.io (i/o timeout) while pullcheck can", Expect: d.RegistryUnreachable, Build: edge},
	{Name: "hub", Title: "Docker Hub's anonymous pull rate limit is used up", Expect: d.RegistryRateLimited, Build: hub},
	{Name: "fresh", Fresh: true, Title: "a cluster whose pull secret was never applied", Expect: d.ClusterPullSecretMissing, Build: func(w *World) string {
		w.Namespace("fresh", NamespaceSetup{})
		return w.Deploy(Workload{Namespace: "fresh", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff",
			Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "team-a", Title: "a namespace without its all-icr-io copy", Expect: d.PullSecretNotCopied, Build: func(w *World) string {
		w.Namespace("team-a", NamespaceSetup{})
		return w.Deploy(Workload{Namespace: "team-a", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "team-b", Title: "the copy exists but the service account does not list it", Expect: d.ServiceAccountNotPatched, Build: func(w *World) string {
		w.Namespace("team-b", NamespaceSetup{Copy: true})
		return w.Deploy(Workload{Namespace: "team-b", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "team-c", Title: "the service account was patched after the pod was created", Expect: d.PodPredatesServiceAccountPatch, Build: func(w *World) string {
		w.Namespace("team-c", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "team-c", Name: "web", Image: "us.icr.io/shop/web:1.0", Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "ci", Title: "a pod whose service account was deleted", Expect: d.NoPullSecret, Build: func(w *World) string {
		w.Namespace("ci", NamespaceSetup{Copy: true, NoServiceAccount: true})
		return w.Deploy(Workload{Namespace: "ci", Name: "runner", Image: "us.icr.io/shop/api:3.1", ServiceAccount: "builder", Reason: "ImagePullBackOff",
			Kubelet: unauthorized("us.icr.io", "shop%2Fapi")})
	}},
	{Name: "team-d", Title: "the pod lists a secret that does not exist", Expect: d.PullSecretMissing, Build: func(w *World) string {
		w.Namespace("team-d", NamespaceSetup{Copy: true})
		return w.Deploy(Workload{Namespace: "team-d", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"regcred"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "team-e", Title: "a pull secret with broken JSON", Expect: d.PullSecretMalformed, Build: func(w *World) string {
		w.Namespace("team-e", NamespaceSetup{Copy: true})
		w.PullSecret("team-e", "icr-creds", []byte(`{"auths":{"us.icr.io":{"username":"iamapikey","password":"sbx-broken`))
		return w.Deploy(Workload{Namespace: "team-e", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"icr-creds"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "laptop", Title: "a pull secret from a docker config with a credential store: no credentials", Expect: d.PullSecretMalformed, Build: laptop},
	{Name: "team-f", Title: "a de.icr.io secret for a us.icr.io image", Expect: d.PullSecretWrongRegistry, Build: func(w *World) string {
		w.Namespace("team-f", NamespaceSetup{})
		w.PullSecret("team-f", "de-icr-creds", DockerConfig("iamapikey", w.ClusterKey, "de.icr.io"))
		return w.Deploy(Workload{Namespace: "team-f", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"de-icr-creds"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "old-app", Title: "a pull secret holding a registry token", Expect: d.CredentialKind, Build: func(w *World) string {
		w.Namespace("old-app", NamespaceSetup{})
		w.PullSecret("old-app", "registry-token", DockerConfig("token", "sbx-registry-token-"+suffix("old", 20), "us.icr.io"))
		return w.Deploy(Workload{Namespace: "old-app", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"registry-token"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "rotated", Title: "a pull secret whose API key was deleted", Expect: d.APIKeyInvalid, Build: func(w *World) string {
		w.Namespace("rotated", NamespaceSetup{})
		w.PullSecret("rotated", "icr-key", DockerConfig("iamapikey", keyValue("deleted-key"), "us.icr.io"))
		return w.Deploy(Workload{Namespace: "rotated", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"icr-key"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "fallback", Title: "a dead key first, a working all-icr-io second; the tag was never pushed", Expect: d.ImageTagNotFound, Build: fallback},
	{Name: "all-dead", Title: "two pull secrets, both holding deleted API keys", Expect: d.APIKeyInvalid, Build: allDead},
	{Name: "frozen", Title: "a pull secret whose API key is disabled", Expect: d.APIKeyDisabled, Build: func(w *World) string {
		key, iam := w.ServiceIDKey(ClusterAccount, "frozen-puller", func(k *cloud.APIKey) { k.Disabled = true })
		w.Grant(ClusterAccount, iam, ReaderRole, "container-registry")
		w.Namespace("frozen", NamespaceSetup{})
		w.PullSecret("frozen", "icr-key", DockerConfig("iamapikey", key, "us.icr.io"))
		return w.Deploy(Workload{Namespace: "frozen", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"icr-key"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "tokens", Title: "a pull secret holding an expired IAM bearer token", Expect: d.RegistryLoginFailed, Build: func(w *World) string {
		w.Namespace("tokens", NamespaceSetup{})
		w.PullSecret("tokens", "icr-bearer", DockerConfig("iambearer", "sbx-expired-bearer-"+suffix("bearer", 24), "us.icr.io"))
		return w.Deploy(Workload{Namespace: "tokens", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"icr-bearer"},
			Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
	}},
	{Name: "partner", Title: "an image in another account's registry namespace", Expect: d.ImageInOtherAccount, Build: func(w *World) string {
		w.Namespace("partner", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "partner", Name: "agent", Image: "us.icr.io/partner-tools/agent:1.0", PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: kubeletDenied})
	}},
	{Name: "analytics", Title: "a service ID without a Reader policy", Expect: d.ServiceIDMissingReaderRole, Build: func(w *World) string {
		key, _ := w.ServiceIDKey(ClusterAccount, "analytics-puller")
		w.Namespace("analytics", NamespaceSetup{})
		w.PullSecret("analytics", "icr-key", DockerConfig("iamapikey", key, "us.icr.io"))
		return w.Deploy(Workload{Namespace: "analytics", Name: "etl", Image: "us.icr.io/shop/api:3.1", PodSecrets: []string{"icr-key"},
			Reason: "ImagePullBackOff", Kubelet: kubeletDenied})
	}},
	{Name: "vault", Title: "a private-only registry account pulled over the public network", Expect: d.PrivateNetworkOnly, Build: func(w *World) string {
		key, iam := w.ServiceIDKey(PrivateAccount, "vault-puller")
		w.Grant(PrivateAccount, iam, ReaderRole, "container-registry")
		w.Namespace("vault", NamespaceSetup{})
		w.PullSecret("vault", "vault-key", DockerConfig("iamapikey", key, "us.icr.io"))
		return w.Deploy(Workload{Namespace: "vault", Name: "app", Image: "us.icr.io/vault/app:1.0", PodSecrets: []string{"vault-key"},
			Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletForbidden, "us.icr.io", "vault/app")})
	}},
	{Name: "restricted", Title: "a namespace behind a context-based restriction", Expect: d.RegistryAccessDenied, Build: func(w *World) string {
		w.Namespace("restricted", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "restricted", Name: "app", Image: "us.icr.io/restricted/app:1.0", PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: kubeletDenied})
	}},
	{Name: "euro", Title: "a us.icr.io image whose registry namespace exists only in eu-de", Expect: d.ImageInOtherRegion, Build: euro},
	{Name: "shop-typo", Title: "a repository that does not exist", Expect: d.ImageRepositoryNotFound, Build: func(w *World) string {
		w.Namespace("shop-typo", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		img := "us.icr.io/shop/wbe:1.0"
		return w.Deploy(Workload{Namespace: "shop-typo", Name: "web", Image: img, PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletNotFound, img, img)})
	}},
	{Name: "shop", Title: "a tag that was never pushed", Expect: d.ImageTagNotFound, Build: func(w *World) string {
		w.Namespace("shop", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		img := "us.icr.io/shop/web:1.1"
		return w.Deploy(Workload{Namespace: "shop", Name: "web", Image: img, PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletNotFound, img, img)})
	}},
	{Name: "private-cluster", PrivateCluster: true, Title: "a private-only cluster (pulls go to private.us.icr.io); a tag never pushed", Expect: d.ImageTagNotFound, Build: privateCluster},
	{Name: "batch", Title: "an amd64/s390x image on an arm64 node", Expect: d.ImagePlatformMismatch, Build: func(w *World) string {
		w.Namespace("batch", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "batch", Name: "jobs", Image: "us.icr.io/shop/batch:1.0", PodOnlySecrets: []string{AllICRIO},
			Node: ARM64Node, Reason: "ImagePullBackOff", Kubelet: "rpc error: code = NotFound desc = failed to pull and unpack image: no match for platform in manifest: not found"})
	}},
	{Name: "full-disk", Title: "unpacking the image fills the node's disk", Expect: d.NodeDiskPressure, Build: fullDisk},
	{Name: "tokyo", Title: "the jp-tok registry's pull traffic quota is used up", Expect: d.PullTrafficQuotaExceeded, Build: func(w *World) string {
		w.Namespace("tokyo", NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
		return w.Deploy(Workload{Namespace: "tokyo", Name: "web", Image: "jp.icr.io/shop-jp/web:1.0", PodOnlySecrets: []string{AllICRIO},
			Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletForbidden, "jp.icr.io", "shop-jp/web")})
	}},
	{Name: "osaka", Title: "the jp-osa registry's pull traffic quota is used up (another wording)", Expect: d.PullTrafficQuotaExceeded, Build: osaka},
}

// Named returns the scenario called name.
func Named(name string) (Scenario, bool) {
	for _, s := range Scenarios {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}
