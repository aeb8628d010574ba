package fleet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Lines say it in chat: a headline, one line per member, one per cluster
// not covered.
func (s *Survey) Lines() []string {
	head := fmt.Sprintf("pullcheck serves %s", plural(len(s.Members), "cluster"))
	switch {
	case s.ListErr != nil:
		head += fmt.Sprintf("; the account's clusters could not be listed: %s", userText(s.ListErr))
	case s.Account != "":
		head += fmt.Sprintf("; account %s has %s, %d not covered", s.Account, plural(s.covered()+len(s.Uncovered), "cluster"), len(s.Uncovered))
	}
	lines := []string{head}
	for _, m := range s.Members {
		lines = append(lines, "• "+m.line())
	}
	if len(s.Uncovered) > 0 {
		lines = append(lines, "Not covered (give each one deploy/overlays/member and a context in pullcheck's kubeconfig; see the README):")
		for _, l := range s.Uncovered {
			lines = append(lines, fmt.Sprintf("• %s (%s, %s, %s)", l.Name, l.ID, l.Region, orElse(l.State, "state unknown")))
		}
	}
	return lines
}

func (s *Survey) covered() int {
	n := 0
	for _, m := range s.Members {
		if m.Listed != nil {
			n++
		}
	}
	return n
}

// line is one member: which cluster it is and its pull-secret state.
func (m MemberState) line() string {
	who := orElse(m.Name, "this cluster")
	if m.Context != "" {
		who += " (context " + m.Context + ")"
	}
	switch {
	case m.Err != nil:
		return fmt.Sprintf("%s: %s", who, userText(m.Err))
	case m.Listed == nil && m.ClusterID == "":
		return fmt.Sprintf("%s: not an IBM Cloud Kubernetes Service cluster (kube-system/cluster-info names no cluster ID); default/%s %s",
			who, diagnose.ClusterPullSecretName, m.AllICRIO)
	case m.Listed == nil:
		return fmt.Sprintf("%s: cluster %s, not in the account's listing (another account, or pullcheck's key may not view it); default/%s %s",
			who, m.ClusterID, diagnose.ClusterPullSecretName, m.AllICRIO)
	}
	l := m.Listed
	return fmt.Sprintf("%s → %s (%s, %s; matched by %s): default/%s %s, %s", who, l.Name, l.ID, l.Region, m.MatchedBy,
		diagnose.ClusterPullSecretName, m.AllICRIO, applied(m.PullSecretApplied))
}

func applied(b *bool) string {
	switch {
	case b == nil:
		return "pull-secret state unknown"
	case *b:
		return "pull secret applied"
	}
	return "pull secret never applied (ibmcloud ks cluster pull-secret apply)"
}

// Digest fingerprints what the survey found, so that a sweep posts it
// only when it changes.
func (s *Survey) Digest() string {
	h := sha256.New()
	for _, l := range s.Lines() {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// userError is an error whose message chat may show (commands.UserError).
type userError interface {
	error
	UserMessage() string
}

// userText is an error as chat may show it: its UserMessage, else the
// Kubernetes status reason alone.
func userText(err error) string {
	var ue userError
	if errors.As(err, &ue) {
		return ue.UserMessage()
	}
	if r := apierrors.ReasonForError(err); r != "" && r != "Unknown" {
		return "the API server answered " + string(r)
	}
	return "unreadable"
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func orElse(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readError is an object the survey could not read; its message names the
// object and the API server's reason, nothing it said.
type readError struct {
	what string
	err  error
}

func (e *readError) Error() string { return "reading " + e.what + ": " + e.err.Error() }

func (e *readError) Unwrap() error { return e.err }

func (e *readError) UserMessage() string {
	return fmt.Sprintf("%s unreadable (%s)", e.what, apierrors.ReasonForError(e.err))
}
