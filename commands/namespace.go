package commands

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/pullcheck/pullcheck/diagnose"
)

func labelSet(m map[string]string) labels.Set { return labels.Set(m) }

// namespaceSetup describes a namespace's pull-secret setup in one line: its
// all-icr-io copy (and whether it matches default's), what the default
// service account lists, and what diagnose.JudgeSetup finds for a new pod
// of that service account, which lists no pull secret of its own.
func (s *Service) namespaceSetup(ctx context.Context, ns string) string {
	r := s.readSetup(ctx, ns)
	probs := diagnose.JudgeSetup(r.facts)
	parts := []string{copyText(r, probs), serviceAccountText(r)}
	if r.complete() && len(probs) > 0 {
		ids := make([]string, len(probs))
		for i, p := range probs {
			ids[i] = string(p.ID)
		}
		parts = append(parts, "a new pod of the default service account would meet "+strings.Join(ids, ", "))
	}
	return fmt.Sprintf("namespace %s: %s", ns, strings.Join(parts, "; "))
}

// setupRead is what namespaceSetup read, and what it could not.
type setupRead struct {
	facts                   diagnose.SetupFacts
	origErr, copyErr, saErr error
}

// complete reports whether every fact was read: judging a setup with a
// secret or service account that could not be read would report it missing.
func (r setupRead) complete() bool { return r.origErr == nil && r.copyErr == nil && r.saErr == nil }

func (s *Service) readSetup(ctx context.Context, ns string) setupRead {
	core := s.Kube.CoreV1()
	r := setupRead{facts: diagnose.SetupFacts{Namespace: ns}}
	orig, err := core.Secrets("default").Get(ctx, diagnose.ClusterPullSecretName, metav1.GetOptions{})
	r.facts.Original, r.origErr = setupSecret(orig, err)
	cp, err := core.Secrets(ns).Get(ctx, diagnose.ClusterPullSecretName, metav1.GetOptions{})
	r.facts.Copy, r.copyErr = setupSecret(cp, err)
	r.facts.ServiceAccount = diagnose.SetupServiceAccount{Name: "default"}
	sa, err := core.ServiceAccounts(ns).Get(ctx, "default", metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		r.saErr = err
	default:
		r.facts.ServiceAccount.Exists = true
		for _, ref := range sa.ImagePullSecrets {
			r.facts.ServiceAccount.Secrets = append(r.facts.ServiceAccount.Secrets, ref.Name)
		}
	}
	return r
}

// setupSecret is what diagnose.JudgeSetup needs of a secret read with err;
// a missing secret is a fact, not an error.
func setupSecret(s *corev1.Secret, err error) (diagnose.SetupSecret, error) {
	switch {
	case apierrors.IsNotFound(err):
		return diagnose.SetupSecret{}, nil
	case err != nil:
		return diagnose.SetupSecret{}, err
	}
	return diagnose.SetupSecret{Exists: true, Hash: diagnose.ContentHash(s.Data), Managed: diagnose.ManagedCopy(s.Labels, s.Annotations)}, nil
}

func copyText(r setupRead, probs []diagnose.SetupProblem) string {
	name, f := diagnose.ClusterPullSecretName, r.facts
	switch {
	case f.Namespace == "default" && f.Original.Exists:
		return "holds the cluster's " + name
	case r.copyErr != nil:
		return name + " unreadable"
	case !f.Copy.Exists:
		return "no " + name + " copy"
	case hasProblem(probs, diagnose.PullSecretStale):
		return name + " copy differs from default's (stale?)"
	case r.origErr != nil:
		return name + " copy, not compared: default's is unreadable"
	case !f.Original.Exists:
		return name + " copy, not compared: default has none"
	}
	return name + " copy up to date"
}

func serviceAccountText(r setupRead) string {
	sa := r.facts.ServiceAccount
	switch {
	case r.saErr != nil || !sa.Exists:
		return "default service account unreadable or missing"
	case len(sa.Secrets) == 0:
		return "default service account lists no pull secret"
	}
	return "default service account lists " + strings.Join(sa.Secrets, ", ")
}

func hasProblem(probs []diagnose.SetupProblem, id diagnose.FindingID) bool {
	for _, p := range probs {
		if p.ID == id {
			return true
		}
	}
	return false
}
