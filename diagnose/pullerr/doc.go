// Package pullerr names the cause that a kubelet's or container runtime's
// image-pull error message states: a network failure (timeout, DNS, refused,
// reset, unreachable, TLS), missing or rejected credentials, a denial, a
// missing tag or repository, a rate limit, an IBM Cloud Container Registry
// quota or private-only account, a platform mismatch, a full node disk, the
// Never pull policy, or an invalid image name.
//
// The phrases live in one table, in precedence order; the first phrase found
// in the lower-cased message names its Class. A phrase matches whole words
// only, so that an image name or URL that happens to contain "denied" or
// "eof" states nothing. The table covers containerd, CRI-O, the kubelet's own
// texts, Docker Hub and icr.io; a message none of its phrases matches is
// Unknown and stays evidence, never a guess.
//
// The kubelet tries every matching credential and, when all fail, joins their
// errors as "[err1, err2]". Split takes such an aggregate apart, and Classify
// reads its parts in order, so the first credential's stated cause wins over
// a generic back-off. Classify also looks past the kubelet's event lead-ins
// ("Failed to pull image …: ", "Back-off pulling image …: ErrImagePull: ")
// to find the aggregate inside an event message.
//
// The kubelet's words are evidence, not a verdict: events expire, and before
// Kubernetes 1.32 the back-off message carries no cause. Callers probe the
// registry to decide; this package only reads what the node said.
//
// The package imports nothing outside the standard library.
package pullerr
