package sandbox

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The workloads of the field cases (RUNBOOK "catalogue v2"); Scenarios
// lists them in causal order.

// Kubelet texts of the field cases, as the kubelet and containerd word them.
const (
	kubeletNeverPull  = "Container image %q is not present with pull policy of Never"
	kubeletTimeout    = `failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to do request: Head "https://us.icr.io/v2/shop/web/manifests/1.0": dial tcp 166.9.22.35:443: i/o timeout`
	kubeletHubLimited = "failed to pull and unpack image %q: failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/%s: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit"
	kubeletDiskFull   = `failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to extract layer sha256:4a1e…: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/412/fs/usr/lib/libc.so: no space left on device: unknown`
	portierisDenied   = `Error creating: admission webhook "trust.hooks.securityenforcement.admission.cloud.ibm.com" denied the request: Deny "us.icr.io/shop/web:1.0", no valid ImagePolicy rule found`
)

// standardSetup sets ns up the standard way: the all-icr-io copy, listed by
// the default service account.
func standardSetup(w *World, ns string) {
	w.Namespace(ns, NamespaceSetup{Copy: true, SASecrets: []string{AllICRIO}})
}

// everyCredentialFailed is the kubelet's message when it tried several
// credentials and each failed: the failures joined, in order.
func everyCredentialFailed(msgs ...string) string { return "[" + strings.Join(msgs, ", ") + "]" }

// webWorkload is shop/web:1.0 in ns, listing the namespace's all-icr-io.
func webWorkload(ns string) Workload {
	return Workload{Namespace: ns, Name: "web", Image: "us.icr.io/shop/web:1.0", PodOnlySecrets: []string{AllICRIO}}
}

// steady: a healthy pod on the node under disk pressure.
func steady(w *World) string {
	standardSetup(w, "steady")
	wl := webWorkload("steady")
	wl.Node = DiskFullNode
	return w.Deploy(wl)
}

// signed: Portieris refuses the image, so the ReplicaSet creates no pod.
func signed(w *World) string {
	standardSetup(w, "signed")
	return w.AdmissionDenied("signed", "web", "us.icr.io/shop/web:1.0", portierisDenied)
}

// neverPull: imagePullPolicy Never and the image is not on the node.
func neverPull(w *World) string {
	standardSetup(w, "never")
	wl := webWorkload("never")
	wl.PullPolicy, wl.Reason, wl.EventReason = corev1.PullNever, "ErrImageNeverPull", "ErrImageNeverPull"
	wl.Kubelet = fmt.Sprintf(kubeletNeverPull, wl.Image)
	return w.Deploy(wl)
}

// edge: the node cannot reach us.icr.io, pullcheck can.
func edge(w *World) string {
	standardSetup(w, "edge")
	wl := webWorkload("edge")
	wl.Reason, wl.Kubelet = "ImagePullBackOff", kubeletTimeout
	return w.Deploy(wl)
}

// hub: Docker Hub's anonymous pull limit is used up (a NAT address shared
// by every node). The image is public, so no pull secret is needed.
func hub(w *World) string {
	w.Namespace("hub", NamespaceSetup{})
	w.Cloud.SetDockerHubRateLimit(100, 0)
	digest := "sha256:…"
	if idx, err := nginx(); err == nil {
		if m, err := idx.IndexManifest(); err == nil {
			digest = m.Manifests[0].Digest.String() // the amd64 image
		}
	}
	return w.Deploy(Workload{Namespace: "hub", Name: "proxy", Image: nginxImage, Reason: "ImagePullBackOff",
		Kubelet: fmt.Sprintf(kubeletHubLimited, nginxImage, digest)})
}

// laptop: a pull secret made from a docker config whose credentials live
// in a credential store, so the secret holds none.
func laptop(w *World) string {
	w.Namespace("laptop", NamespaceSetup{})
	w.PullSecret("laptop", "regcred", []byte(`{"auths":{"us.icr.io":{}},"credsStore":"desktop"}`))
	return w.Deploy(Workload{Namespace: "laptop", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"regcred"},
		Reason: "ImagePullBackOff", Kubelet: unauthorized("us.icr.io", "shop%2Fweb")})
}

// fallback: the first secret's key was deleted, the second works; the
// kubelet falls through to it and meets the missing tag.
func fallback(w *World) string {
	w.Namespace("fallback", NamespaceSetup{Copy: true})
	w.PullSecret("fallback", "old-key", DockerConfig("iamapikey", keyValue("deleted-key"), "us.icr.io"))
	img := "us.icr.io/shop/web:1.1"
	return w.Deploy(Workload{Namespace: "fallback", Name: "web", Image: img, PodSecrets: []string{"old-key", AllICRIO},
		Reason: "ImagePullBackOff", Kubelet: everyCredentialFailed(unauthorized("us.icr.io", "shop%2Fweb"), fmt.Sprintf(kubeletNotFound, img, img))})
}

// allDead: both secrets hold deleted keys.
func allDead(w *World) string {
	w.Namespace("all-dead", NamespaceSetup{})
	w.PullSecret("all-dead", "old-key", DockerConfig("iamapikey", keyValue("deleted-key"), "us.icr.io"))
	w.PullSecret("all-dead", "older-key", DockerConfig("iamapikey", keyValue("deleted-key-2019"), "us.icr.io"))
	u := unauthorized("us.icr.io", "shop%2Fweb")
	return w.Deploy(Workload{Namespace: "all-dead", Name: "web", Image: "us.icr.io/shop/web:1.0", PodSecrets: []string{"old-key", "older-key"},
		Reason: "ImagePullBackOff", Kubelet: everyCredentialFailed(u, u)})
}

// euro: registry namespace shop-eu exists only in eu-de, the image names us.icr.io.
func euro(w *World) string {
	standardSetup(w, "euro")
	return w.Deploy(Workload{Namespace: "euro", Name: "web", Image: "us.icr.io/shop-eu/web:1.0", PodOnlySecrets: []string{AllICRIO},
		Reason: "ImagePullBackOff", Kubelet: kubeletDenied})
}

// privateCluster: a private-only cluster's nodes pull from
// private.us.icr.io, where the private-only account is reachable; the tag
// was never pushed.
func privateCluster(w *World) string {
	key, iam := w.ServiceIDKey(PrivateAccount, "vault-puller")
	w.Grant(PrivateAccount, iam, ReaderRole, "container-registry")
	w.Namespace("private-cluster", NamespaceSetup{})
	w.PullSecret("private-cluster", "vault-key", DockerConfig("iamapikey", key, "us.icr.io"))
	img := "us.icr.io/vault/app:1.1"
	return w.Deploy(Workload{Namespace: "private-cluster", Name: "app", Image: img, PodSecrets: []string{"vault-key"},
		Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletNotFound, img, img)})
}

// fullDisk: unpacking a layer fills the node's image store.
func fullDisk(w *World) string {
	standardSetup(w, "full-disk")
	wl := webWorkload("full-disk")
	wl.Node, wl.Reason, wl.Kubelet = DiskFullNode, "ImagePullBackOff", kubeletDiskFull
	return w.Deploy(wl)
}

// osaka: the jp-osa registry's pull traffic quota is used up, and the
// registry words its denial differently from jp-tok's.
func osaka(w *World) string {
	standardSetup(w, "osaka")
	return w.Deploy(Workload{Namespace: "osaka", Name: "web", Image: "jp2.icr.io/shop-osa/web:1.0", PodOnlySecrets: []string{AllICRIO},
		Reason: "ImagePullBackOff", Kubelet: fmt.Sprintf(kubeletForbidden, "jp2.icr.io", "shop-osa/web")})
}
