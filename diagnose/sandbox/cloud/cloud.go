package cloud

import (
	"crypto/rand"
	"net/http"
	"sync"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// APIKey is an IAM API key. Value is the secret; ID looks like "ApiKey-…".
type APIKey struct {
	Value, ID, IAMID, AccountID, Name string
	Disabled                          bool
	// ExpiresAt is nil for keys that never expire.
	ExpiresAt *time.Time
	// CreatedBy is the iam_id that created the key.
	CreatedBy string
}

// ServiceID is an IAM service ID; its iam_id is "iam-" + ID.
type ServiceID struct {
	ID, AccountID, Name, Description string
}

// Policy is an IAM access policy for one subject: either SubjectIAMID or
// AccessGroupID is set.
type Policy struct {
	ID, AccountID, SubjectIAMID, AccessGroupID string
	// Roles are role CRNs ("crn:v1:bluemix:public:iam::::serviceRole:Reader").
	Roles []string
	// Resource maps attribute keys (accountId, serviceName, serviceType, region,
	// resourceType, resource, resourceGroupId, …) to values.
	Resource map[string]string
	// Operators maps attribute keys to operators; the default is
	// "stringEquals", "stringMatch" supports * wildcards.
	Operators map[string]string
}

// AccessGroup is an IAM access group; Members are iam_ids.
type AccessGroup struct {
	ID, AccountID, Name string
	Members             []string
}

// Quota is a registry quota in bytes; a limit of -1 means unlimited.
type Quota struct {
	StorageLimit, StorageUsed, TrafficLimit, TrafficUsed int64
}

// Cluster is an IBM Cloud Kubernetes Service cluster.
type Cluster struct {
	ID, Name, AccountID, Region, ResourceGroup string
	PullSecretApplied                          bool
	// PrivateOnly clusters have only the private cloud service endpoint;
	// others have both the public and the private one.
	PrivateOnly bool
	// Provider is "vpc-gen2" (the default) or "classic": which listing
	// names the cluster.
	Provider string
	// MasterURL, when set, is the URL the listings report for the
	// cluster's API server (a test's own API server); by default, its
	// public service endpoint, or its private one when private only.
	MasterURL string
}

// RequestRecord is one request the Cloud answered.
type RequestRecord struct {
	Host, Method, Path string
	Status             int
	Start, End         time.Time
}

// identity is who a token was issued to; an empty IAMID is anonymous.
type identity struct {
	IAMID, AccountID string
	expires          time.Time
}

type namespace struct {
	Name, Region, AccountID, ResourceGroup string
	created                                time.Time
}

type quotaKey struct{ region, account string }

// Cloud is the emulated cloud's state. All methods are safe for concurrent use.
type Cloud struct {
	mu           sync.Mutex
	epoch        time.Time
	keys         map[string]APIKey // by secret value
	serviceIDs   map[string]ServiceID
	policies     []Policy
	groups       []AccessGroup
	namespaces   map[string]namespace // by region + "/" + name
	quotas       map[quotaKey]Quota
	denials      map[quotaKey]string // pull traffic denial wordings
	privateOnly  map[string]bool
	restricted   map[string]bool // region + "/" + namespace under a context-based restriction
	clusters     []*Cluster
	onPullSecret func(clusterID string)
	iamTokens    map[string]identity
	refreshToks  map[string]identity
	regTokens    map[string]identity
	stores       map[string]http.Handler // by public registry host, and hubStore
	hub          hubState
	requests     []RequestRecord
}

// New returns an empty cloud: no keys, no policies, unlimited quotas.
func New() *Cloud {
	return &Cloud{
		epoch:       time.Now().UTC().Truncate(time.Second),
		keys:        map[string]APIKey{},
		serviceIDs:  map[string]ServiceID{},
		namespaces:  map[string]namespace{},
		quotas:      map[quotaKey]Quota{},
		denials:     map[quotaKey]string{},
		privateOnly: map[string]bool{},
		restricted:  map[string]bool{},
		iamTokens:   map[string]identity{},
		refreshToks: map[string]identity{},
		regTokens:   map[string]identity{},
		stores:      map[string]http.Handler{},
		hub:         hubState{public: map[string]bool{}, tokens: map[string]hubToken{}},
	}
}

// AddAPIKey adds or replaces an API key (matched by its value).
func (c *Cloud) AddAPIKey(k APIKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys[k.Value] = k
}

// AddServiceID adds or replaces a service ID.
func (c *Cloud) AddServiceID(s ServiceID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.serviceIDs[s.ID] = s
}

// AddPolicy adds a policy; an empty ID is generated.
func (c *Cloud) AddPolicy(p Policy) {
	if p.ID == "" {
		p.ID = randomID()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policies = append(c.policies, p)
}

// AddAccessGroup adds an access group.
func (c *Cloud) AddAccessGroup(g AccessGroup) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.groups = append(c.groups, g)
}

// AddNamespace registers a registry namespace in a region ("us-south",
// "global"; the SDK's aliases such as "uk-south" are accepted).
func (c *Cloud) AddNamespace(region, name, accountID, resourceGroup string) {
	region = canonicalRegion(region)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.namespaces[region+"/"+name] = namespace{Name: name, Region: region, AccountID: accountID,
		ResourceGroup: resourceGroup, created: c.epoch}
}

// SetQuota sets the registry quota of an account in a region.
func (c *Cloud) SetQuota(region, accountID string, q Quota) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.quotas[quotaKey{canonicalRegion(region), accountID}] = q
}

// SetTrafficDenial sets the message of the 403 DENIED that refuses pulls of
// an account in a region once its pull traffic quota is used up. The
// default is "Your account has exceeded its pull traffic quota for the
// current month."; IBM's wording varies between regions and over time.
func (c *Cloud) SetTrafficDenial(region, accountID, message string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.denials[quotaKey{canonicalRegion(region), accountID}] = message
}

// SetPrivateOnly turns private-only registry access on or off for an account.
func (c *Cloud) SetPrivateOnly(accountID string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.privateOnly[accountID] = on
}

// RestrictNamespace puts a registry namespace under a context-based
// restriction: pulls are denied whatever the policies say.
func (c *Cloud) RestrictNamespace(region, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restricted[canonicalRegion(region)+"/"+name] = true
}

// AddCluster adds a Kubernetes Service cluster.
func (c *Cloud) AddCluster(cl Cluster) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clusters = append(c.clusters, &cl)
}

// OnEnablePullSecret sets a hook that runs, without locks held, after a
// successful POST /global/v2/enablePullSecret and before it is answered.
func (c *Cloud) OnEnablePullSecret(f func(clusterID string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onPullSecret = f
}

// trafficDenial returns the pull traffic denial message of an account in a
// region; the caller holds c.mu.
func (c *Cloud) trafficDenial(region, account string) string {
	if m, ok := c.denials[quotaKey{region, account}]; ok {
		return m
	}
	return msgTraffic
}

// quota returns the quota of an account in a region; the caller holds c.mu.
func (c *Cloud) quota(region, account string) Quota {
	if q, ok := c.quotas[quotaKey{region, account}]; ok {
		return q
	}
	return Quota{StorageLimit: -1, TrafficLimit: -1}
}

func canonicalRegion(region string) string {
	if d, ok := icr.ByRegion(region); ok {
		return d.Region
	}
	return region
}

// randomID returns an unguessable token-sized string.
func randomID() string { return rand.Text() }
