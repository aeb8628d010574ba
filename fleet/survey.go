package fleet

import (
	"context"
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
