package diagnose

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"strings"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
)

// Target is one diagnosis in progress: the request and the probes its checks
// share. Each probe runs at most once per diagnosis, whichever check asks
// first; the others wait for its answer.
type Target struct {
	Request Request
	e       *Engine

	pod          lazy[*podFacts]
	sa           lazy[*serviceAccountFacts]
	pullSetup    lazy[*setupFacts]
	cred         lazy[*credentialFacts]
	probe        lazy[*registryFacts]
	events       lazy[[]kubeletEvent]
	workload     lazy[*ownerFacts]
	admitted     lazy[*admissionFacts]
	regions      lazy[*regionFacts]
	granting     lazy[[]ibmcloud.AccessGroup]
	nodePlatform lazy[platformFacts]
	defaults     lazy[*defaultSecrets]
	keys         map[string]*keyLookups
	botListing   lazy[lookup]
	owning       lazy[*ownerAccount]
	access       lazy[*accessFacts]
	quotas       lazy[*quotaFacts]
	cluster      lazy[*clusterFacts]
	clusterName  lazy[string]
	secretsMu    sync.Mutex
	secrets      map[string]*lazy[*secretFacts]
	settled      chan struct{}
	settleOnce   sync.Once

	mu      sync.Mutex
	missing map[string][]string // permission -> what needed it
}

func newTarget(e *Engine, req Request) *Target {
	return &Target{
		Request: req,
		e:       e,
		secrets: map[string]*lazy[*secretFacts]{},
		keys:    map[string]*keyLookups{},
		settled: make(chan struct{}),
		missing: map[string][]string{},
	}
}

// settle tells the last check of the chain that every other check is done.
func (t *Target) settle() { t.settleOnce.Do(func() { close(t.settled) }) }

// noteMissing records a permission pullcheck lacked and what needed it.
func (t *Target) noteMissing(permission, neededFor string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !contains(t.missing[permission], neededFor) {
		t.missing[permission] = append(t.missing[permission], neededFor)
	}
}

// missingPermissions returns the recorded permissions, sorted.
func (t *Target) missingPermissions() []Fact {
	t.mu.Lock()
	defer t.mu.Unlock()
	facts := make([]Fact, 0, len(t.missing))
	for p, why := range t.missing {
		sorted := append([]string(nil), why...)
		sort.Strings(sorted)
		facts = append(facts, Fact{Name: p, Value: "needed to " + strings.Join(sorted, "; ")})
	}
	sort.Slice(facts, func(i, j int) bool { return facts[i].Name < facts[j].Name })
	return facts
}

// lazy computes a value once; concurrent callers wait for the first.
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

func (l *lazy[T]) get(f func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = f() })
	return l.v, l.err
}

// newRef returns a short random reference for log lines a user can quote.
func newRef() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
