package diagnose

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// pullFailureReasons are the waiting reasons the kubelet gives a container
// whose image cannot be pulled, in the order the catalogue lists them.
// ErrImageNeverPull is imagePullPolicy Never with the image absent from the
// node; ImageInspectError and RegistryUnavailable are the runtime's failures
// before or at the registry.
var pullFailureReasons = []string{
	"ErrImagePull",
	"ImagePullBackOff",
	"InvalidImageName",
	"ErrImageNeverPull",
	"ImageInspectError",
	"RegistryUnavailable",
}

// IsPullFailure reports whether a container waiting with reason cannot
// pull its image.
func IsPullFailure(reason string) bool { return slices.Contains(pullFailureReasons, reason) }

// PullFailureReasons returns the waiting reasons IsPullFailure accepts, in
// catalogue order. The slice is a copy.
func PullFailureReasons() []string { return slices.Clone(pullFailureReasons) }

// FailingContainer is a container of a pod that waits on a pull failure.
type FailingContainer struct {
	Name string
	// Kind is "init container", "container" or "ephemeral container".
	Kind    string
	Image   string
	Reason  string
	Message string
}

// FailingContainers lists the pod's init, regular and ephemeral containers,
// in that order and each in spec order, that wait on a pull failure.
func FailingContainers(p *corev1.Pod) []FailingContainer {
	var out []FailingContainer
	for _, c := range containersOf(p) {
		if c.failing() {
			out = append(out, FailingContainer{Name: c.Name, Kind: c.Kind, Image: c.Image, Reason: c.Reason, Message: c.Message})
		}
	}
	return out
}
