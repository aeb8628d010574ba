package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// Survey is which of the account's Kubernetes Service clusters pullcheck
// covers: each member matched to a listed cluster, with its pull-secret
// state, and the listed clusters no member is.
type Survey struct {
	// Account is the account of pullcheck's key; "" when unknown.
	Account string
	// Members are the members' states, in the members' order.
	Members []MemberState
	// Uncovered are the account's clusters that no member is.
	Uncovered []ibmcloud.Listed
	// ListErr is why the account's clusters could not be listed (no key
	// of pullcheck's own, a missing permission): Uncovered is unknown.
	ListErr error
}

// MemberState is one member as the survey found it.
type MemberState struct {
	Name, Context string
	// ClusterID is the ID kube-system/cluster-info names; "" when none.
	ClusterID string
	// Listed is the account's cluster it is; nil when none matched.
	Listed *ibmcloud.Listed
	// MatchedBy is how: "cluster ID" or "server URL".
	MatchedBy string
	// AllICRIO is the state of default/all-icr-io: "present", "missing",
	// or "unreadable".
	AllICRIO string
	// PullSecretApplied is the Kubernetes Service's word on the cluster's
	// pull secret; nil when it did not say.
	PullSecretApplied *bool
	// Err is why the member could not be read (it does not answer).
	Err error
}

// Take surveys the members and the account's clusters, concurrently.
func Take(ctx context.Context, ibm *ibmcloud.Client, members []*Member) *Survey {
	s := &Survey{Members: make([]MemberState, len(members))}
	var listed []ibmcloud.Listed
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if s.Account, s.ListErr = ibm.BotAccount(ctx); s.ListErr == nil {
			listed, s.ListErr = ibm.Clusters(ctx)
		}
	}()
	for i, m := range members {
		wg.Add(1)
		go func() { defer wg.Done(); s.Members[i] = readMember(ctx, m) }()
	}
	wg.Wait()
	s.match(ctx, ibm, members, listed)
	return s
}

// readMember reads what the member says of itself.
func readMember(ctx context.Context, m *Member) MemberState {
	st := MemberState{Name: m.Name, Context: m.Context}
	if st.Err = m.Health.Check(ctx); st.Err != nil {
		return st
	}
	if st.ClusterID, st.Err = diagnose.ReadClusterID(ctx, m.Kube); st.Err != nil {
		st.Err = &readError{what: "kube-system/cluster-info", err: st.Err}
		return st
	}
	_, err := m.Kube.CoreV1().Secrets("default").Get(ctx, diagnose.ClusterPullSecretName, metav1.GetOptions{})
	switch {
	case err == nil:
		st.AllICRIO = "present"
	case apierrors.IsNotFound(err):
		st.AllICRIO = "missing"
	default:
		st.AllICRIO = "unreadable"
	}
	return st
}

// match pairs members with listed clusters, by cluster ID, else by server
// URL, and asks the Kubernetes Service for the pull-secret state of each
// covered cluster its listing did not give.
func (s *Survey) match(ctx context.Context, ibm *ibmcloud.Client, members []*Member, listed []ibmcloud.Listed) {
	taken := make([]bool, len(listed))
	for i := range s.Members {
		st := &s.Members[i]
		for j := range listed {
			by := matchedBy(st.ClusterID, members[i].Server, listed[j])
			if by == "" || taken[j] {
				continue
			}
			taken[j], st.Listed, st.MatchedBy, st.PullSecretApplied = true, &listed[j], by, listed[j].PullSecretApplied
			if st.ClusterID == "" {
				st.ClusterID = listed[j].ID
			}
			break
		}
	}
	for j, l := range listed {
		if !taken[j] {
			s.Uncovered = append(s.Uncovered, l)
		}
	}
	var wg sync.WaitGroup
	for i := range s.Members {
		st := &s.Members[i]
		if st.Err != nil || st.ClusterID == "" || st.PullSecretApplied != nil || s.ListErr != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := ibm.Cluster(ctx, st.ClusterID); err == nil {
				st.PullSecretApplied = c.PullSecretApplied
			}
		}()
	}
	wg.Wait()
}

func matchedBy(id, server string, l ibmcloud.Listed) string {
	if id != "" && id == l.ID {
		return "cluster ID"
	}
	server = normalURL(server)
	for _, u := range l.ServerURLs {
		if server != "" && normalURL(u) == server {
			return "server URL"
		}
	}
	return ""
}

func normalURL(u string) string { return strings.ToLower(strings.TrimRight(strings.TrimSpace(u), "/")) }

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
