package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/kubestate"
)

// Claims records who applies the fix of a clicked button, so that a double
// click applies it once — whichever replica's socket each click reached.
type Claims interface {
	// Claim records user as the one applying claim. When someone claimed
	// it before, ok is false and by names them.
	Claim(ctx context.Context, claim, user string) (by string, ok bool, err error)
	// Release forgets a claim whose fix was not applied, so that the
	// button may be used again.
	Release(ctx context.Context, claim string) error
}

// claims is Service.Claims, or the Service's own claims in this process.
func (s *Service) claims() Claims {
	if s.Claims != nil {
		return s.Claims
	}
	return &s.local
}

// localClaims keeps claims in this process: enough for one replica. The
// zero value is ready.
type localClaims struct{ m sync.Map }

func (l *localClaims) Claim(_ context.Context, claim, user string) (string, bool, error) {
	by, dup := l.m.LoadOrStore(claim, user)
	return by.(string), !dup, nil
}

func (l *localClaims) Release(_ context.Context, claim string) error {
	l.m.Delete(claim)
	return nil
}

// ClaimsConfigMap is the ConfigMap, in pullcheck's namespace, that holds
// the claims of ConfigMapClaims under ClaimsKey.
const (
	ClaimsConfigMap = "pullcheck-claims"
	ClaimsKey       = "claims.json"
)

// ConfigMapClaims keeps claims in one versioned document (a ConfigMap, so
// every replica sees them): a claim is written only over the version in
// which it was still free, so of two replicas claiming one button at once
// exactly one succeeds, and the other reads who did. Claims expire after
// TTL (default 24 h: the buttons are gone by then), and at most Max
// (default 1,000) are kept, so the document stays small.
type ConfigMapClaims struct {
	Doc kubestate.Store
	TTL time.Duration
	Max int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

var _ Claims = (*ConfigMapClaims)(nil)

// NewConfigMapClaims keeps claims in the ConfigMap ClaimsConfigMap of
// namespace (get, create and update configmaps there).
func NewConfigMapClaims(kube kubernetes.Interface, namespace string) *ConfigMapClaims {
	return &ConfigMapClaims{Doc: &kubestate.ConfigMap{Kube: kube, Namespace: namespace, Name: ClaimsConfigMap, Key: ClaimsKey}}
}

// claimTries bounds the reads and writes of one Claim or Release when other
// replicas keep writing in between.
const claimTries = 8

// claimRecord is who claimed a button, and when (unix seconds).
type claimRecord struct {
	By string `json:"by"`
	At int64  `json:"at"`
}

type claimsDoc struct {
	Claims map[string]claimRecord `json:"claims"`
}

// Claim records user as the one applying claim, unless someone did.
func (c *ConfigMapClaims) Claim(ctx context.Context, claim, user string) (string, bool, error) {
	var by string
	var mine bool
	err := c.update(ctx, func(d *claimsDoc) bool {
		if r, ok := d.Claims[claim]; ok {
			by, mine = r.By, false
			return false
		}
		d.Claims[claim], by, mine = claimRecord{By: user, At: c.now().Unix()}, user, true
		return true
	})
	if err != nil {
		return "", false, fmt.Errorf("recording who applies %s: %w", claim, err)
	}
	return by, mine, nil
}

// Release forgets claim.
func (c *ConfigMapClaims) Release(ctx context.Context, claim string) error {
	err := c.update(ctx, func(d *claimsDoc) bool {
		_, ok := d.Claims[claim]
		delete(d.Claims, claim)
		return ok
	})
	if err != nil {
		return fmt.Errorf("releasing %s: %w", claim, err)
	}
	return nil
}

// update reads the claims, drops the expired ones, lets change change them
// and, when it did, writes them over the version read; when another
// replica wrote in between it reads again and repeats.
func (c *ConfigMapClaims) update(ctx context.Context, change func(*claimsDoc) bool) error {
	for try := 1; ; try++ {
		d := claimsDoc{}
		ver, err := c.Doc.Load(ctx, &d)
		if err != nil {
			return err
		}
		if d.Claims == nil {
			d.Claims = map[string]claimRecord{}
		}
		c.prune(&d) // and room for one more
		if !change(&d) {
			return nil
		}
		_, err = c.Doc.Save(ctx, d, ver)
		if err == nil || !errors.Is(err, kubestate.ErrConflict) || try == claimTries {
			return err
		}
	}
}

// prune drops claims older than TTL, then the oldest beyond Max-1.
func (c *ConfigMapClaims) prune(d *claimsDoc) {
	ttl, maxN := c.TTL, c.Max
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	if maxN <= 0 {
		maxN = 1000
	}
	cutoff := c.now().Add(-ttl).Unix()
	keys := make([]string, 0, len(d.Claims))
	for k, r := range d.Claims {
		if r.At < cutoff {
			delete(d.Claims, k)
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) < maxN {
		return
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(d.Claims[a].At, d.Claims[b].At) })
	for _, k := range keys[:len(keys)-maxN+1] {
		delete(d.Claims, k)
	}
}

func (c *ConfigMapClaims) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
