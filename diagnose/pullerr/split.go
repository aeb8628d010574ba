package pullerr

import "strings"

// pullErrorLeads start the error of one pull attempt as the runtimes word it
// (lower case). The kubelet before 1.30 keeps gRPC's "rpc error: code = …"
// wrapper; later kubelets drop it for code Unknown, which leaves the
// runtime's own first words.
var pullErrorLeads = []string{
	"rpc error: code = ",
	// containerd
	"failed to pull and unpack image ",
	"failed to resolve image ",
	// CRI-O and the containers/image library
	"unable to pull image or oci artifact",
	"initializing source ",
	"error initializing source ",
	"reading manifest ",
	"error reading manifest ",
	"pinging container registry ",
	"error pinging docker registry ",
	"choosing image instance",
	"copying system image from manifest list",
	"unable to retrieve auth token",
	// dockershim
	"error response from daemon: ",
}

// Split splits the kubelet's aggregate of several pull errors into its parts.
// When the kubelet tries several credentials and all fail, it joins their
// errors with k8s.io/apimachinery/pkg/util/errors.NewAggregate, whose Error()
// is "[err1, err2]" (a single error prints without brackets). Split returns
// []string{msg} for a message that is not such an aggregate.
//
// An error text may itself contain ", ", so Split cuts only where ", " is
// followed by the first words of a pull error, and only when msg starts with
// "[", ends with "]", and its first part looks like a pull error too.
// NewAggregate prints each distinct message once, so parts that repeat mean
// msg is no aggregate.
func Split(msg string) []string {
	if len(msg) < 2 || msg[0] != '[' || msg[len(msg)-1] != ']' {
		return []string{msg}
	}
	inner := msg[1 : len(msg)-1]
	if !startsPullError(inner) {
		return []string{msg}
	}
	var parts []string
	start := 0
	for i := 0; i+2 < len(inner); i++ {
		if inner[i] == ',' && inner[i+1] == ' ' && startsPullError(inner[i+2:]) {
			parts = append(parts, inner[start:i])
			start = i + 2
		}
	}
	parts = append(parts, inner[start:])
	if len(parts) < 2 || repeats(parts) {
		return []string{msg}
	}
	return parts
}

// startsPullError reports whether s begins like the error of a pull attempt.
func startsPullError(s string) bool {
	for _, lead := range pullErrorLeads {
		if len(s) >= len(lead) && strings.EqualFold(s[:len(lead)], lead) {
			return true
		}
	}
	return false
}

func repeats(parts []string) bool {
	seen := make(map[string]bool, len(parts))
	for _, p := range parts {
		if seen[p] {
			return true
		}
		seen[p] = true
	}
	return false
}
