package pullerr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// digest stands for the layer and manifest digests the messages carry.
const digest = "sha256:365b19774a508fd998bc636981cb9869a406786ad811e51937fa6fb089c86005"

// messages are pull errors as the kubelet's events and waiting states show
// them. Most are quoted from public issue threads, runbooks and IBM's docs
// (image names shortened); the icr.io bodies that no thread shows through a
// runtime are put in the runtime's own wording around them.
var messages = []struct {
	name string
	msg  string
	want Class
}{
	// Timeouts.
	{"containerd i/o timeout dialing the registry",
		`Failed to pull image "myacr.azurecr.io/app:v1": rpc error: code = Unknown desc = failed to pull and unpack image "myacr.azurecr.io/app:v1": failed to resolve reference "myacr.azurecr.io/app:v1": failed to do request: Head "https://myacr.azurecr.io/v2/app/manifests/v1": dial tcp 10.1.0.4:443: i/o timeout`,
		NetworkTimeout},
	{"containerd TLS handshake timeout on a blob",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://someacr.azurecr.io/v2/someimage/blobs/` + digest + `": net/http: TLS handshake timeout`,
		NetworkTimeout},
	{"CRI-O i/o timeout pinging the registry",
		`Failed to pull image "us.icr.io/shop/web:1.0": rpc error: code = Unknown desc = initializing source docker://us.icr.io/shop/web:1.0: pinging container registry us.icr.io: Get "https://us.icr.io/v2/": dial tcp 169.63.104.236:443: i/o timeout`,
		NetworkTimeout},
	{"kubelet context deadline exceeded",
		`Failed to pull image "us.icr.io/shop/web:1.0": rpc error: code = DeadlineExceeded desc = context deadline exceeded`,
		NetworkTimeout},
	{"containerd Client.Timeout exceeded awaiting headers",
		`failed to pull and unpack image "docker.io/library/nginx:latest": failed to resolve reference "docker.io/library/nginx:latest": failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/latest": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)`,
		NetworkTimeout},
	{"containerd connection timed out",
		`failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to do request: Head "https://us.icr.io/v2/shop/web/manifests/1.0": dial tcp 169.63.104.236:443: connect: connection timed out`,
		NetworkTimeout},

	// DNS.
	{"containerd no such host",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": failed to do request: Head "https://someacr.azurecr.io/v2/someimage/manifests/sometag": dial tcp: lookup someacr.azurecr.io on 168.63.129.16:53: no such host`,
		NetworkDNS},
	{"containerd DNS lookup that timed out",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": failed to do request: Head "https://someacr.azurecr.io/v2/image/manifests/tag": dial tcp: lookup someacr.azurecr.io: i/o timeout`,
		NetworkDNS},
	{"CRI-O temporary failure in name resolution",
		`initializing source docker://quay.io/ceph/ceph:v20.2.0: pinging container registry quay.io: Get "https://quay.io/v2/": dial tcp: lookup quay.io: Temporary failure in name resolution`,
		NetworkDNS},
	{"containerd server misbehaving",
		`failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to do request: Head "https://us.icr.io/v2/shop/web/manifests/1.0": dial tcp: lookup us.icr.io on 172.21.0.10:53: server misbehaving`,
		NetworkDNS},

	// Refused, reset, cut short, unreachable.
	{"CRI-O connection refused",
		`initializing source docker://localhost/web:latest: pinging container registry localhost: Get "https://localhost/v2/": dial tcp [::1]:443: connect: connection refused`,
		NetworkRefused},
	{"containerd connection refused by the proxy",
		`failed to pull and unpack image "docker.io/library/busybox:latest": failed to resolve reference "docker.io/library/busybox:latest": failed to do request: Head "https://registry-1.docker.io/v2/library/busybox/manifests/latest": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused`,
		NetworkRefused},
	{"containerd connection reset by peer",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to copy: read tcp 10.244.0.12:51234->20.62.132.1:443: read: connection reset by peer`,
		NetworkReset},
	{"containerd EOF on the request",
		`failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to do request: Head "https://us.icr.io/v2/shop/web/manifests/1.0": EOF`,
		NetworkReset},
	{"containerd unexpected EOF on a layer",
		`Failed to pull image "reg.example.com/app:v1": failed to copy: unexpected EOF`,
		NetworkReset},
	{"CRI-O unexpected EOF storing a blob",
		`unable to pull image or OCI artifact: pull image err: copying system image from manifest list: writing blob: storing blob to file "/var/tmp/container_images_storage2488073217/1": happened during read: unexpected EOF`,
		NetworkReset},
	{"containerd no route to host",
		`failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": failed to do request: Head "https://us.icr.io/v2/shop/web/manifests/1.0": dial tcp 166.9.12.4:443: connect: no route to host`,
		NetworkUnreachable},
	{"CRI-O network is unreachable",
		`initializing source docker://registry.redhat.io/ubi9/ubi:latest: pinging container registry registry.redhat.io: Get "https://registry.redhat.io/v2/": dial tcp [2600:1408:c400::1]:443: connect: network is unreachable`,
		NetworkUnreachable},

	// TLS.
	{"containerd x509 unknown authority",
		`failed to pull and unpack image "harbor.example.com/app/web:1.0": failed to resolve reference "harbor.example.com/app/web:1.0": failed to do request: Head "https://harbor.example.com/v2/app/web/manifests/1.0": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
		TLS},
	{"CRI-O x509 name mismatch",
		`initializing source docker://localhost/web:latest: pinging container registry localhost: Get "https://localhost/v2/": tls: failed to verify certificate: x509: certificate is valid for *.apps-crc.testing, not localhost`,
		TLS},
	{"containerd remote TLS handshake failure",
		`failed to pull and unpack image "registry.local/app:1": failed to resolve reference "registry.local/app:1": failed to do request: Head "https://registry.local/v2/app/manifests/1": remote error: tls: handshake failure`,
		TLS},
	{"CRI-O HTTP response to an HTTPS client",
		`initializing source docker://localhost:5000/app:1: pinging container registry localhost:5000: Get "https://localhost:5000/v2/": http: server gave HTTP response to HTTPS client`,
		TLS},

	// 401.
	{"containerd oauth token refused with 401",
		`Failed to pull image "private.registry.io/app:v1": rpc error: code = Unknown desc = failed to pull and unpack image "private.registry.io/app:v1": failed to resolve reference "private.registry.io/app:v1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized`,
		Unauthorized},
	{"containerd anonymous token refused with 401 and insufficient_scope",
		`failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized: insufficient_scope`,
		Unauthorized},
	{"CRI-O unauthorized: authentication required",
		`Failed to pull image "default-route-openshift-image-registry.apps.example/build/jboss8:3.17.0.0": rpc error: code = Unknown desc = reading manifest 3.17.0.0 in default-route-openshift-image-registry.apps.example/build/jboss8: unauthorized: authentication required`,
		Unauthorized},
	{"CRI-O Docker Hub lists denied and unauthorized",
		"Failed to pull image \"statefulset-issue-demo:1.0.1\": rpc error: code = Unknown desc = Error reading manifest 1.0.1 in docker.io/library/statefulset-issue-demo: errors:\ndenied: requested access to the resource is denied\nunauthorized: authentication required\n",
		Unauthorized},
	{"CRI-O invalid username/password",
		`Failed to pull image "quay.io/edb/postgres-advanced-server-12:latest": rpc error: code = Unknown desc = unable to retrieve auth token: invalid username/password: unauthorized: Invalid Username or Password`,
		Unauthorized},
	{"icr.io UNAUTHORIZED through CRI-O",
		`initializing source docker://us.icr.io/shop/web:1.0: reading manifest 1.0 in us.icr.io/shop/web: unauthorized: Authorization required. See https://cloud.ibm.com/docs/Registry?topic=Registry-troubleshoot-auth-req`,
		Unauthorized},
	{"icr.io IAM authentication error through CRI-O",
		`reading manifest 1.0 in us.icr.io/shop/web: unauthorized: An error occurred when authenticating your request with IBM Cloud. Clear your browser cookies, log in to IBM Cloud, and try your request again.`,
		Unauthorized},

	// 403.
	{"containerd pull access denied with insufficient_scope on icr.io",
		`Failed to pull image "us.icr.io/mofi-kube/os-signal:0.0.1": rpc error: code = Unknown desc = failed to resolve image "us.icr.io/mofi-kube/os-signal:0.0.1": no available registry endpoint: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
		Denied},
	{"containerd 403 on an icr.io blob",
		`Failed to pull image "us.icr.io/sdl-ns/achilles:a100": rpc error: code = Unknown desc = failed to pull and unpack image "us.icr.io/sdl-ns/achilles:a100": failed to copy: httpReadSeeker: failed open: unexpected status code https://us.icr.io/v2/sdl-ns/achilles/blobs/` + digest + `: 403 Forbidden`,
		Denied},
	{"containerd 403 on the token endpoint",
		`Failed to pull image "ghcr.io/devops-hw-private/orders-api:1.0": failed to pull and unpack image "ghcr.io/devops-hw-private/orders-api:1.0": failed to resolve reference "ghcr.io/devops-hw-private/orders-api:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Adevops-hw-private%2Forders-api%3Apull&service=ghcr.io: 403 Forbidden`,
		Denied},
	{"icr.io DENIED not authorized through CRI-O",
		`initializing source docker://us.icr.io/shop/web:1.0: reading manifest 1.0 in us.icr.io/shop/web: denied: You are not authorized to access the specified resource.`,
		Denied},
	{"CRI-O insufficient scope on cp.icr.io",
		`Failed to pull image "cp.icr.io/cp/cp4a/icp4a-operator@` + digest + `": rpc error: code = Unknown desc = reading manifest ` + digest + ` in cp.icr.io/cp/cp4a/icp4a-operator: denied: insufficient scope`,
		Denied},
	{"CRI-O Docker Hub requested access denied",
		`Failed to pull image "controller:latest": rpc error: code = Unknown desc = reading manifest latest in docker.io/library/controller: requested access to the resource is denied`,
		Denied},
	{"CRI-O Artifact Registry permission denied",
		`reading manifest latest in us-central1-docker.pkg.dev/proj/repo/app: denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/proj/locations/us-central1/repositories/repo" (or it may not exist)`,
		Denied},

	// 404.
	{"containerd tag not found",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = NotFound desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": someacr.azurecr.io/someimage:sometag: not found`,
		NotFound},
	{"CRI-O manifest unknown on icr.io",
		`initializing source docker://us.icr.io/shop/web:1.0: reading manifest 1.0 in us.icr.io/shop/web: manifest unknown: manifest unknown`,
		NotFound},
	{"CRI-O manifest unknown for a digest",
		`Failed to pull image "quay.io/mongodb/mongodb-agent-ubi@` + digest + `": rpc error: code = Unknown desc = reading manifest ` + digest + ` in quay.io/mongodb/mongodb-agent-ubi: manifest unknown: manifest unknown`,
		NotFound},
	{"dockershim manifest not found",
		`Failed to pull image "myrepo/myimage:latest": rpc error: code = Unknown desc = Error response from daemon: manifest for myrepo/myimage:latest not found: manifest unknown: manifest unknown`,
		NotFound},
	{"CRI-O repository name not known",
		`initializing source docker://us.icr.io/shop/nope:1.0: reading manifest 1.0 in us.icr.io/shop/nope: name unknown: repository name not known to registry`,
		RepositoryNotFound},

	// 429.
	{"Docker Hub 429 through containerd",
		`Failed to pull image "docker.io/mosipid/pre-registration-batchjob:1.2.0.3": failed to pull and unpack image "docker.io/mosipid/pre-registration-batchjob:1.2.0.3": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/mosipid/pre-registration-batchjob/manifests/` + digest + `: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit`,
		RateLimited},
	{"Docker Hub toomanyrequests through CRI-O",
		`Failed to pull image "mysql:8.0.29": rpc error: code = Unknown desc = reading manifest 8.0.29 in docker.io/library/mysql: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit`,
		RateLimited},
	{"Docker Hub 429 on containerd's HEAD",
		`failed to pull and unpack image "docker.io/library/nginx:latest": failed to resolve reference "docker.io/library/nginx:latest": unexpected status from HEAD request to https://registry-1.docker.io/v2/library/nginx/manifests/latest: 429 Too Many Requests`,
		RateLimited},

	// icr.io quotas and private-only accounts.
	{"icr.io account exceeded its pull traffic quota, through CRI-O",
		`unable to pull image or OCI artifact: pull image err: copying system image from manifest list: reading blob ` + digest + `: fetching blob: denied: Your account has exceeded its pull traffic quota for the current month.`,
		TrafficQuota},
	{"icr.io you have exceeded your pull traffic quota, through containerd",
		`failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to copy: httpReadSeeker: failed open: unexpected status code https://us.icr.io/v2/shop/web/blobs/` + digest + `: 403 Forbidden - Server message: denied: You have exceeded your pull traffic quota for the current month. Review your pull traffic quota and pricing plan.`,
		TrafficQuota},
	{"icr.io account exceeded your pull traffic quota, with a link",
		`reading manifest 1.0 in us.icr.io/shop/web: denied: Your account has exceeded your pull traffic quota for the current month. See https://cloud.ibm.com/docs/Registry?topic=Registry-troubleshoot-quota`,
		TrafficQuota},
	{"icr.io image storage quota",
		`denied: Your account has exceeded its image storage quota for the current month.`,
		StorageQuota},
	{"icr.io storage quota, older wording",
		"You have exceeded your storage quota. Delete one or more images,\nor review your storage quota and pricing plan",
		StorageQuota},
	{"icr.io private-only account through CRI-O",
		`initializing source docker://us.icr.io/shop/web:1.0: reading manifest 1.0 in us.icr.io/shop/web: denied: Private-only access is enabled on this account, but this request was over the public network. You must access this account over the private network`,
		PrivateOnly},
	{"icr.io private-only account, second sentence only",
		`denied: You must access this account over the private network`,
		PrivateOnly},

	// Platform.
	{"containerd no match for platform",
		`Failed to pull image "nginx:1.14.2": rpc error: code = NotFound desc = failed to pull and unpack image "nginx:1.14.2": no match for platform in manifest: not found`,
		Platform},
	{"CRI-O no image found in image index",
		`Failed to pull image "us.icr.io/shop/web:1.0": initializing source docker://us.icr.io/shop/web:1.0: choosing image instance: no image found in image index for architecture arm64, variant "v8", OS linux`,
		Platform},
	{"CRI-O no image found in manifest list",
		`choosing image instance: no image found in manifest list for architecture "amd64", variant "", OS "linux"`,
		Platform},

	// The node.
	{"containerd no space left extracting a layer",
		`Failed to pull image "kubesphere/ks-apiserver:v3.4.1": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/kubesphere/ks-apiserver:v3.4.1": failed to extract layer ` + digest + `: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/291/fs/usr/local/bin/ks-apiserver: no space left on device: unknown`,
		DiskFull},
	{"kubelet never pull",
		`Container image "log-pipeline-generator:latest" is not present with pull policy of Never`,
		NeverPull},
	{"kubelet invalid name, upper case",
		`Failed to apply default image tag "DUMMY_IMAGE:TEST": couldn't parse image reference "DUMMY_IMAGE:TEST": invalid reference format: repository name must be lowercase`,
		InvalidName},
	{"kubelet invalid name from an unrendered template",
		`Failed to apply default image tag "ghcr.io/${{ github.repository }}:latest": couldn't parse image name "ghcr.io/${{ github.repository }}:latest": invalid reference format`,
		InvalidName},
	{"kubelet invalid name that quotes another class's word",
		`Failed to apply default image tag "us.icr.io/team/Denied:EOF": couldn't parse image reference "us.icr.io/team/Denied:EOF": invalid reference format: repository name must be lowercase`,
		InvalidName},

	// Back-off.
	{"kubelet back-off without a cause",
		`Back-off pulling image "us.icr.io/shop/web:1.0"`,
		BackOff},
	{"kubelet 1.32 back-off with a containerd cause",
		`Back-off pulling image "ghcr.io/phanthienquoc/microfe-auth:0.1.0": ErrImagePull: failed to pull and unpack image "ghcr.io/phanthienquoc/microfe-auth:0.1.0": failed to resolve reference "ghcr.io/phanthienquoc/microfe-auth:0.1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aphanthienquoc%2Fmicrofe-auth%3Apull&service=ghcr.io: 403 Forbidden`,
		Denied},
	{"kubelet 1.32 back-off with a CRI-O cause it does not know",
		"Back-off pulling image \"rcr.rijksapps.nl/ghcr-rig/shopify/toxiproxy:2.12.0\": ErrImagePull:\nunable to pull image or OCI artifact: pull image err: initializing source\ndocker://rcr.rijksapps.nl/ghcr-rig/shopify/toxiproxy:2.12.0: reading manifest 2.12.0 in\nrcr.rijksapps.nl/ghcr-rig/shopify/toxiproxy: received unexpected HTTP status:\n500 Internal Server Error",
		BackOff},

	// Aggregates: the kubelet tried several credentials.
	{"kubelet aggregate of two containerd 401s",
		`Failed to pull image "someacr.azurecr.io/image:tag": [rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/image:tag": failed to resolve reference "someacr.azurecr.io/image:tag": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://someacr.azurecr.io/oauth2/token?scope=repository%3Aimage%3Apull&service=someacr.azurecr.io: 401 Unauthorized, rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/image:tag": failed to resolve reference "someacr.azurecr.io/image:tag": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://someacr.azurecr.io/oauth2/token?scope=repository%3Aimage%3Apull&service=someacr.azurecr.io: 401 Unauthorized]`,
		Unauthorized},
	{"kubelet aggregate of containerd not found, then 401",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": [rpc error: code = NotFound desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": someacr.azurecr.io/someimage:sometag: not found, rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://someacr.azurecr.io/oauth2/token?scope=repository%3Asomeimage%3Apull&service=someacr.azurecr.io: 401 Unauthorized]`,
		NotFound},
	{"kubelet aggregate of containerd platform mismatch, then 401",
		`Failed to pull image "acrname.azurecr.io/repository:tag": [rpc error: code = NotFound desc = failed to pull and unpack image "acrname.azurecr.io/repository:tag": no match for platform in manifest: not found, failed to pull and unpack image "acrname.azurecr.io/repository:tag": failed to resolve reference "acrname.azurecr.io/repository:tag": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://acrname.azurecr.io/oauth2/token?scope=repository%3Arepository%3Apull&service=acrname.azurecr.io: 401 Unauthorized]`,
		Platform},
	{"kubelet aggregate of two CRI-O errors",
		`Failed to pull image "quay.io/edb/postgres-advanced-server-12:latest": [rpc error: code = Unknown desc = unable to retrieve auth token: invalid username/password: unauthorized: Invalid Username or Password, rpc error: code = Unknown desc = Error reading manifest latest in quay.io/edb/postgres-advanced-server-12: unauthorized: access to the requested resource is not authorized]`,
		Unauthorized},
	{"kubelet aggregate whose first containerd part is unknown",
		`[rpc error: code = Unknown desc = something new happened, rpc error: code = NotFound desc = failed to pull and unpack image "us.icr.io/shop/web:1.0": failed to resolve reference "us.icr.io/shop/web:1.0": us.icr.io/shop/web:1.0: not found]`,
		NotFound},
	{"kubelet aggregate of icr.io quota, then denial, through CRI-O",
		`[reading manifest 1.0 in us.icr.io/shop/web: denied: You are not authorized to access the specified resource., reading manifest 1.0 in us.icr.io/shop/web: denied: Your account has exceeded its pull traffic quota for the current month.]`,
		Denied},

	// Unknown: the message stays evidence.
	{"containerd something new",
		`rpc error: code = Unknown desc = something new happened`,
		Unknown},
	{"containerd 503 from the registry",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Unknown desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": unexpected status from HEAD request to https://someacr.azurecr.io/v2/someimage/manifests/sometag: 503 Service Unavailable`,
		Unknown},
	{"containerd context canceled",
		`Failed to pull image "someacr.azurecr.io/someimage:sometag": rpc error: code = Canceled desc = failed to pull and unpack image "someacr.azurecr.io/someimage:sometag": failed to resolve reference "someacr.azurecr.io/someimage:sometag": failed to do request: Head "https://someacr.azurecr.io/v2/someimage/manifests/sometag": context canceled`,
		Unknown},
	{"containerd 504 from Docker Hub's token service",
		`failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://auth.docker.io/token: 504 Gateway Timeout`,
		Unknown},
	{"containerd 502 for an image whose name holds class words",
		`failed to pull and unpack image "us.icr.io/team/denied-app:eof": failed to resolve reference "us.icr.io/team/denied-app:eof": unexpected status from HEAD request to https://us.icr.io/v2/team/denied-app/manifests/eof: 502 Bad Gateway`,
		Unknown},
	{"containerd broken local snapshot chain",
		`failed to pull and unpack image "docker.io/library/nginx:1.27": failed to extract layer ` + digest + `: failed to prepare extraction snapshot "extract-104857600-Vx1a": parent snapshot ` + digest + ` does not exist: not found`,
		Unknown},
	{"containerd permission denied on the node",
		`failed to pull and unpack image "docker.io/library/nginx:1.27": failed to extract layer ` + digest + `: mount callback failed on /var/lib/containerd/tmpmounts/containerd-mount1234: open /var/lib/containerd/tmpmounts/containerd-mount1234/etc/passwd: permission denied`,
		Unknown},
	{"CRI-O signature rejected",
		`Failed to pull image "registry.access.redhat.com/ubi9/ubi-micro:latest": SignatureValidationFailed: unable to pull image or OCI artifact: pull image err: copying system image from manifest list: Source image rejected: None of the signatures were accepted, reasons: cryptographic signature verification failed`,
		Unknown},
	{"kubelet pull QPS exceeded",
		`Failed to pull image "acrname.azurecr.io/repo/nginx:latest": pull QPS exceeded.`,
		Unknown},
	{"kubelet ErrImagePull without a cause",
		`Error: ErrImagePull`,
		Unknown},
	{"kubelet pull secret not retrieved",
		`Unable to retrieve some image pull secrets (all-icr-io); attempting to pull the image may not succeed.`,
		Unknown},
	{"kubelet container config secret not found",
		`Error: secret "ruler-alertmanager-token" not found`,
		Unknown},
	{"empty message", ``, Unknown},
}

func TestClassify(t *testing.T) {
	for _, tc := range messages {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.msg); got != tc.want {
				t.Errorf("Classify(%q) = %q (%s), want %q (%s)", tc.msg, got, got, tc.want, tc.want)
			}
		})
	}
}

// TestPhrases keeps the table matchable: phrases are compared with a
// lower-cased message, and a row that an earlier row always beats is dead.
func TestPhrases(t *testing.T) {
	for _, p := range phrases {
		if p.phrase != strings.ToLower(p.phrase) || p.phrase != strings.TrimSpace(p.phrase) {
			t.Errorf("phrase %q is not lower case and trimmed", p.phrase)
		}
		if got := match(p.phrase); got != p.class && p.class != Unknown {
			t.Errorf("phrase %q alone is %q, want its own class %q: an earlier row shadows it", p.phrase, got, p.class)
		}
		if _, ok := descriptions[p.class]; !ok {
			t.Errorf("phrase %q names class %q, which has no description", p.phrase, p.class)
		}
	}
}

func TestWholeWords(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want Class
	}{
		{"EOF at the end", `Get "https://us.icr.io/v2/": EOF`, NetworkReset},
		{"EOF before a newline", "Get \"https://us.icr.io/v2/\": EOF\n", NetworkReset},
		{"EOF inside a word", `reading manifest 1.0 in us.icr.io/geoff/web: :eofx happened`, Unknown},
		{"denied inside a path", `failed to pull and unpack image "us.icr.io/team/denied/web:1"`, Unknown},
		{"denied ending a sentence", `requested access to the resource is denied.`, Denied},
		{"not found inside a host name", `lookup not found.example.com`, Unknown},
		{"unauthorized inside a word", `preunauthorized thing`, Unknown},
		{"quota phrase across a line break", "You have exceeded your pull traffic\nquota for the current month.", TrafficQuota},
		{"upper case", `I/O TIMEOUT`, NetworkTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.msg); got != tc.want {
				t.Errorf("Classify(%q) = %q, want %q", tc.msg, got, tc.want)
			}
		})
	}
}

func TestCause(t *testing.T) {
	tests := []struct {
		name, msg, rest string
		backOff         bool
	}{
		{"event", `Failed to pull image "a/b:1": rpc error: x`, "rpc error: x", false},
		{"back-off with reason", `Back-off pulling image "a/b:1": ErrImagePull: [x, y]`, "[x, y]", true},
		{"back-off without cause", `Back-off pulling image "a/b:1"`, `Back-off pulling image "a/b:1"`, true},
		{"registry code kept", `Failed to pull image "a": unauthorized: authentication required`, "unauthorized: authentication required", false},
		{"sentence kept", `Failed to pull image "a": Error reading manifest 1 in a: x`, "Error reading manifest 1 in a: x", false},
		{"no lead", `rpc error: x`, "rpc error: x", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rest, backOff := cause(tc.msg)
			if diff := cmp.Diff([]any{tc.rest, tc.backOff}, []any{rest, backOff}); diff != "" {
				t.Errorf("cause(%q) mismatch (-want +got):\n%s", tc.msg, diff)
			}
		})
	}
}

// allClasses lists every Class constant.
var allClasses = []Class{Unknown, BackOff, NetworkTimeout, NetworkDNS, NetworkRefused, NetworkReset, NetworkUnreachable,
	TLS, Unauthorized, Denied, NotFound, RepositoryNotFound, RateLimited, TrafficQuota, StorageQuota, PrivateOnly,
	Platform, DiskFull, NeverPull, InvalidName}

func TestNetwork(t *testing.T) {
	var got []Class
	for _, c := range allClasses {
		if c.Network() {
			got = append(got, c)
		}
	}
	want := []Class{NetworkTimeout, NetworkDNS, NetworkRefused, NetworkReset, NetworkUnreachable, TLS}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("network classes mismatch (-want +got):\n%s", diff)
	}
}

func TestString(t *testing.T) {
	if got := Unknown.String(); got != "unknown" {
		t.Errorf("Unknown.String() = %q, want %q", got, "unknown")
	}
	seen := map[string]Class{}
	for _, c := range allClasses {
		s := c.String()
		if s == "" {
			t.Errorf("Class %q has an empty String()", string(c))
		}
		if other, dup := seen[s]; dup {
			t.Errorf("classes %q and %q share the description %q", string(other), string(c), s)
		}
		seen[s] = c
	}
	if len(descriptions) != len(allClasses) {
		t.Errorf("%d descriptions for %d classes", len(descriptions), len(allClasses))
	}
}
