package ibmcloud

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/IBM/go-sdk-core/v5/core"

	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Endpoints holds the base URL of every IBM Cloud API the Client calls. Empty
// fields fall back to DefaultEndpoints, so private endpoints
// ("https://private.iam.cloud.ibm.com") can be set one by one.
type Endpoints struct {
	// IAM is the IAM token server base, default "https://iam.cloud.ibm.com".
	IAM string
	// IAMIdentity is the IAM Identity API base, default "https://iam.cloud.ibm.com".
	IAMIdentity string
	// IAMPolicy is the IAM Policy Management API base, default "https://iam.cloud.ibm.com".
	IAMPolicy string
	// IAMAccessGroups is the IAM Access Groups API base, default "https://iam.cloud.ibm.com".
	IAMAccessGroups string
	// Containers is the Kubernetes Service API base, default
	// "https://containers.cloud.ibm.com/global".
	Containers string
	// Registry maps a region to the base URL of its registry management API;
	// missing regions use icr.APIURL(region) ("https://us.icr.io").
	Registry map[string]string
}

// DefaultEndpoints returns the public IBM Cloud endpoints.
func DefaultEndpoints() Endpoints {
	return Endpoints{
		IAM:             "https://iam.cloud.ibm.com",
		IAMIdentity:     "https://iam.cloud.ibm.com",
		IAMPolicy:       "https://iam.cloud.ibm.com",
		IAMAccessGroups: "https://iam.cloud.ibm.com",
		Containers:      "https://containers.cloud.ibm.com/global",
	}
}

// RegistryURL returns the registry management API base URL of a region. An
// override is looked up under the region as given and under its canonical
// policy name ("uk-south" also finds "eu-gb").
func (e Endpoints) RegistryURL(region string) (string, error) {
	if u, ok := e.Registry[region]; ok && u != "" {
		return u, nil
	}
	d, ok := icr.ByRegion(region)
	if !ok {
		return "", fmt.Errorf("resolving registry API URL: unknown registry region %q", region)
	}
	if u, ok := e.Registry[d.Region]; ok && u != "" {
		return u, nil
	}
	u, _ := icr.APIURL(d.Region)
	return u, nil
}

// withDefaults fills empty fields from DefaultEndpoints and copies Registry,
// so that the caller may change its map later.
func (e Endpoints) withDefaults() Endpoints {
	e.Registry = maps.Clone(e.Registry)
	d := DefaultEndpoints()
	for _, f := range []struct {
		dst *string
		def string
	}{
		{&e.IAM, d.IAM}, {&e.IAMIdentity, d.IAMIdentity}, {&e.IAMPolicy, d.IAMPolicy},
		{&e.IAMAccessGroups, d.IAMAccessGroups}, {&e.Containers, d.Containers},
	} {
		if *f.dst == "" {
			*f.dst = f.def
		}
	}
	return e
}

// defaultTimeout bounds requests when New is given no *http.Client.
const defaultTimeout = 30 * time.Second

// Client performs IBM Cloud lookups. It is safe for concurrent use.
type Client struct {
	ep     Endpoints
	hc     *http.Client
	botKey string

	mu    sync.Mutex
	auths map[[sha256.Size]byte]*core.IamAuthenticator
	// botAccount caches the account of the bot key once known.
	botAccount string
}

// New returns a Client that calls ep with hc, whose Timeout bounds every
// request, token exchanges included. A nil hc means a client over the
// default transport; a zero Timeout (http.DefaultClient) is replaced by 30s
// in a copy of hc that shares its transport. botKey is pullcheck's own API
// key; "" means pullcheck has none, and lookups that need it return
// ErrNoBotKey.
func New(ep Endpoints, hc *http.Client, botKey string) *Client {
	if hc == nil {
		hc = &http.Client{}
	}
	if hc.Timeout == 0 {
		bounded := *hc
		bounded.Timeout = defaultTimeout
		hc = &bounded
	}
	return &Client{
		ep:     ep.withDefaults(),
		hc:     hc,
		botKey: botKey,
		auths:  make(map[[sha256.Size]byte]*core.IamAuthenticator),
	}
}

// HasBotKey reports whether pullcheck has an API key of its own.
func (c *Client) HasBotKey() bool { return c.botKey != "" }

// useClient points a freshly built SDK service at the caller's HTTP client.
// It assigns the field instead of calling SetHTTPClient, which would mutate
// the caller's transport's TLS settings on every service construction.
func (c *Client) useClient(s *core.BaseService) {
	s.Client = c.hc
}
