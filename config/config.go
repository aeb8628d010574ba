// Package config reads and validates pullcheck's settings from the
// environment. Only cmd reads it; every other package takes explicit
// arguments.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// Config is pullcheck's configuration.
type Config struct {
	// APIKey is pullcheck's own IBM Cloud API key, for account-level lookups.
	// Empty: those checks are inconclusive.
	APIKey string
	// Cluster is the IBM Cloud Kubernetes Service cluster ID or name; empty:
	// read from kube-system/cluster-info.
	Cluster string
	// Endpoints are the IBM Cloud API endpoints.
	Endpoints ibmcloud.Endpoints
	// QuotaWarn is the quota share above which quota-near-limit warns (0.8).
	QuotaWarn float64
	// Timeout bounds each request and each alert diagnosis (30 s).
	Timeout time.Duration

	// Slack settings, used by serve.
	SlackAppToken, SlackBotToken string
	// SlackAPIURL overrides Slack's Web API base URL (must end with "/").
	SlackAPIURL string
	// OnCallUsers and OnCallGroups are the Slack user and user-group IDs
	// that may apply fixes.
	OnCallUsers, OnCallGroups []string
	// ReadOnly disables fixes.
	ReadOnly bool
	// Workers bounds concurrent requests (8).
	Workers int
	// Alerts configure unprompted alerts and sweeps.
	Alerts Alerts
	// CopySources are the secrets of default that copy-pull-secret and
	// sync-pull-secret may copy (all-icr-io).
	CopySources []string
	// Bindings say which namespaces each chat channel may diagnose, alert
	// into and fix in; Unbound is what a channel without bindings may do:
	// UnboundAll (the default without bindings) or UnboundNone (the default
	// with some).
	Bindings []Binding
	Unbound  string
	// ImageRegistries are the registries, beyond icr.io, that the image
	// command may probe: "host" (port 443) or "host:port".
	ImageRegistries []string
	// Clusters are the clusters of a multi-cluster install; none: the one
	// cluster kubectl would use.
	Clusters Clusters
}

// Keys read by Load. Each is an environment variable.
const (
	KeyAPIKey           = "IBMCLOUD_API_KEY"
	KeyAPIKeyFile       = "IBMCLOUD_API_KEY_FILE"
	KeyCluster          = "PULLCHECK_CLUSTER"
	KeyPrivate          = "PULLCHECK_PRIVATE_ENDPOINTS"
	KeyIAMURL           = "PULLCHECK_IAM_URL"
	KeyIAMIdentityURL   = "PULLCHECK_IAM_IDENTITY_URL"
	KeyIAMPolicyURL     = "PULLCHECK_IAM_POLICY_URL"
	KeyAccessGroupsURL  = "PULLCHECK_IAM_ACCESS_GROUPS_URL"
	KeyContainersURL    = "PULLCHECK_CONTAINERS_URL"
	KeyRegistryAPIURLs  = "PULLCHECK_REGISTRY_API_URLS"
	KeyQuotaWarnPercent = "PULLCHECK_QUOTA_WARN_PERCENT"
	KeyTimeout          = "PULLCHECK_TIMEOUT"
	KeySlackAppToken    = "SLACK_APP_TOKEN"
	KeySlackBotToken    = "SLACK_BOT_TOKEN"
	KeySlackAPIURL      = "SLACK_API_URL"
	KeyOnCallUsers      = "PULLCHECK_ONCALL_USERS"
	KeyOnCallGroups     = "PULLCHECK_ONCALL_GROUPS"
	KeyReadOnly         = "PULLCHECK_READ_ONLY"
	KeyWorkers          = "PULLCHECK_WORKERS"
)

// Load reads the configuration through getenv (os.Getenv in production) and
// validates it; the error joins every problem, each naming its key.
func Load(getenv func(string) string) (*Config, error) {
	c := &Config{Cluster: strings.TrimSpace(getenv(KeyCluster)), QuotaWarn: 0.8, Timeout: 30 * time.Second}
	var errs []error
	c.APIKey, errs = apiKey(getenv, errs)
	private, err := parseBool(KeyPrivate, getenv(KeyPrivate))
	errs = appendErr(errs, err)
	c.Endpoints = defaults(private)
	for _, e := range []struct {
		key string
		dst *string
	}{
		{KeyIAMURL, &c.Endpoints.IAM}, {KeyIAMIdentityURL, &c.Endpoints.IAMIdentity}, {KeyIAMPolicyURL, &c.Endpoints.IAMPolicy},
		{KeyAccessGroupsURL, &c.Endpoints.IAMAccessGroups}, {KeyContainersURL, &c.Endpoints.Containers},
	} {
		if v := strings.TrimSpace(getenv(e.key)); v != "" {
			*e.dst = v
			errs = appendErr(errs, checkURL(e.key, v))
		}
	}
	errs = appendErr(errs, c.registryURLs(getenv(KeyRegistryAPIURLs)))
	if v := getenv(KeyQuotaWarnPercent); v != "" {
		p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
		if err != nil || p <= 0 || p >= 100 {
			errs = append(errs, fmt.Errorf("%s: %q is not a percentage between 0 and 100 (example: 80)", KeyQuotaWarnPercent, v))
		} else {
			c.QuotaWarn = p / 100
		}
	}
	if v := getenv(KeyTimeout); v != "" {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a positive duration (example: 30s)", KeyTimeout, v))
		} else {
			c.Timeout = d
		}
	}
	errs = append(errs, c.loadSlack(getenv)...)
	errs = append(errs, c.loadAlerts(getenv)...)
	errs = append(errs, c.loadAccess(getenv)...)
	errs = append(errs, c.loadClusters(getenv)...)
	return c, errors.Join(errs...)
}

func apiKey(getenv func(string) string, errs []error) (string, []error) {
	key, file := strings.TrimSpace(getenv(KeyAPIKey)), strings.TrimSpace(getenv(KeyAPIKeyFile))
	switch {
	case key != "" && file != "":
		return "", append(errs, fmt.Errorf("%s and %s are both set: set only one", KeyAPIKey, KeyAPIKeyFile))
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", append(errs, fmt.Errorf("%s: cannot read %s: %w", KeyAPIKeyFile, file, errors.Unwrap(err)))
		}
		if key = strings.TrimSpace(string(b)); key == "" {
			return "", append(errs, fmt.Errorf("%s: %s is empty", KeyAPIKeyFile, file))
		}
	}
	if strings.ContainsAny(key, " \t\n") {
		return "", append(errs, fmt.Errorf("%s: the API key contains white space", KeyAPIKey))
	}
	return key, errs
}

// defaults are IBM's public endpoints, or the private ones.
func defaults(private bool) ibmcloud.Endpoints {
	ep := ibmcloud.DefaultEndpoints()
	if !private {
		return ep
	}
	ep.IAM, ep.IAMIdentity, ep.IAMPolicy, ep.IAMAccessGroups = "https://private.iam.cloud.ibm.com", "https://private.iam.cloud.ibm.com",
		"https://private.iam.cloud.ibm.com", "https://private.iam.cloud.ibm.com"
	ep.Containers = "https://private.containers.cloud.ibm.com/global"
	ep.Registry = map[string]string{}
	for _, d := range icr.Domains {
		ep.Registry[d.Region] = "https://private." + d.Host
	}
	return ep
}

// registryURLs reads "region=url,region=url".
func (c *Config) registryURLs(v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if c.Endpoints.Registry == nil {
		c.Endpoints.Registry = map[string]string{}
	}
	var errs []error
	for _, pair := range strings.Split(v, ",") {
		region, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if _, known := icr.ByRegion(region); !ok || !known {
			errs = append(errs, fmt.Errorf("%s: %q is not region=url with a registry region (example: us-south=https://private.us.icr.io)", KeyRegistryAPIURLs, pair))
			continue
		}
		errs = appendErr(errs, checkURL(KeyRegistryAPIURLs, u))
		c.Endpoints.Registry[region] = u
	}
	return errors.Join(errs...)
}

func checkURL(key, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%s: %q is not an http(s) URL (example: https://private.iam.cloud.ibm.com)", key, v)
	}
	return nil
}

func parseBool(key, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, fmt.Errorf("%s: %q is not true or false", key, v)
	}
	return b, nil
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		return append(errs, err)
	}
	return errs
}

// Keys lists every key Load reads, sorted (for help text).
func Keys() []string {
	keys := []string{KeyAPIKey, KeyAPIKeyFile, KeyCluster, KeyPrivate, KeyIAMURL, KeyIAMIdentityURL, KeyIAMPolicyURL,
		KeyAccessGroupsURL, KeyContainersURL, KeyRegistryAPIURLs, KeyQuotaWarnPercent, KeyTimeout, KeySlackAppToken,
		KeySlackBotToken, KeySlackAPIURL, KeyOnCallUsers, KeyOnCallGroups, KeyReadOnly, KeyWorkers, KeyAlertChannel, KeyAlertRoutes,
		KeyGrace, KeyHold, KeyStormMin, KeyQuotaSchedule, KeyHygieneSchedule, KeyTimeZone, KeyQuotaRegions, KeyQuotaCritical,
		KeyNamespace, KeyIdentity, KeyHTTPAddr, KeyCopySources, KeyChannelBindings, KeyUnbound,
		KeyImageRegistries, KeyClusters, KeyKubeconfig, KeyChannelClusters}
	sort.Strings(keys)
	return keys
}
