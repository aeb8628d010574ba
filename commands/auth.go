package commands

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// GroupMembers lists the members of a chat user group (Slack's
// usergroups.users.list).
type GroupMembers interface {
	GetUserGroupMembersContext(ctx context.Context, group string) ([]string, error)
}

// Authorizer decides who may apply fixes: configured on-call user IDs and
// members of configured user groups. Anyone may diagnose.
type Authorizer struct {
	users   map[string]bool
	groups  []string
	members GroupMembers
	ttl     time.Duration
	now     func() time.Time

	mu    sync.Mutex
	cache map[string]groupEntry
}

type groupEntry struct {
	members map[string]bool
	fetched time.Time
}

// NewAuthorizer returns an Authorizer; group memberships are cached for ttl
// (5 minutes when 0). members may be nil when groups is empty.
func NewAuthorizer(users, groups []string, members GroupMembers, ttl time.Duration, now func() time.Time) *Authorizer {
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	a := &Authorizer{users: map[string]bool{}, groups: groups, members: members, ttl: ttl, now: now, cache: map[string]groupEntry{}}
	for _, u := range users {
		a.users[u] = true
	}
	return a
}

// Configured reports whether anyone at all may fix.
func (a *Authorizer) Configured() bool { return len(a.users) > 0 || len(a.groups) > 0 }

// MayFix reports whether user is on call. A group that cannot be read counts
// as not granting (and the error says why).
func (a *Authorizer) MayFix(ctx context.Context, user string) (bool, error) {
	if a.users[user] {
		return true, nil
	}
	var firstErr error
	for _, g := range a.groups {
		m, err := a.groupMembers(ctx, g)
		if err != nil {
			firstErr = fmt.Errorf("reading user group %s: %w", g, err)
			continue
		}
		if m[user] {
			return true, nil
		}
	}
	return false, firstErr
}

func (a *Authorizer) groupMembers(ctx context.Context, g string) (map[string]bool, error) {
	a.mu.Lock()
	e, ok := a.cache[g]
	a.mu.Unlock()
	if ok && a.now().Sub(e.fetched) < a.ttl {
		return e.members, nil
	}
	list, err := a.members.GetUserGroupMembersContext(ctx, g)
	if err != nil {
		return nil, err
	}
	e = groupEntry{members: map[string]bool{}, fetched: a.now()}
	for _, u := range list {
		e.members[u] = true
	}
	a.mu.Lock()
	a.cache[g] = e
	a.mu.Unlock()
	return e.members, nil
}
