package commands

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/pullcheck/pullcheck/diagnose"
)

func labelSet(m map[string]string) labels.Set { return labels.Set(m) }

// namespaceSetup describes a namespace's pull-secret setup in one line: its
// all-icr-io copy (and whether it matches default's) and what the default
// service account lists.
func (s *Service) namespaceSetup(ctx context.Context, ns string) string {
	core := s.Kube.CoreV1()
	var parts []string
	orig, oerr := core.Secrets("default").Get(ctx, diagnose.ClusterPullSecretName, metav1.GetOptions{})
	cp, cerr := core.Secrets(ns).Get(ctx, diagnose.ClusterPullSecretName, metav1.GetOptions{})
	switch {
	case ns == "default" && oerr == nil:
		parts = append(parts, "holds the cluster's "+diagnose.ClusterPullSecretName)
	case apierrors.IsNotFound(cerr):
		parts = append(parts, "no "+diagnose.ClusterPullSecretName+" copy")
	case cerr != nil:
		parts = append(parts, diagnose.ClusterPullSecretName+" unreadable")
	case oerr == nil && diagnose.ContentHash(cp.Data) != diagnose.ContentHash(orig.Data):
		parts = append(parts, diagnose.ClusterPullSecretName+" copy differs from default's (stale?)")
	default:
		parts = append(parts, diagnose.ClusterPullSecretName+" copy up to date")
	}
	sa, err := core.ServiceAccounts(ns).Get(ctx, "default", metav1.GetOptions{})
	switch {
	case err != nil:
		parts = append(parts, "default service account unreadable or missing")
	case len(sa.ImagePullSecrets) == 0:
		parts = append(parts, "default service account lists no pull secret")
	default:
		var names []string
		for _, r := range sa.ImagePullSecrets {
			names = append(names, r.Name)
		}
		parts = append(parts, "default service account lists "+strings.Join(names, ", "))
	}
	return fmt.Sprintf("namespace %s: %s", ns, strings.Join(parts, "; "))
}
