package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Alerts are the settings of unprompted alerts and sweeps (serve only).
type Alerts struct {
	// Channel is the default alert channel; empty disables alerts and sweeps.
	Channel string
	// Routes send namespaces to channels: "shop-*=C1,team-?=C2".
	Routes string
	// Grace is how long a pull must fail before it is alerted (60 s).
	Grace time.Duration
	// Hold is how long a new incident waits to be grouped (10 s).
	Hold time.Duration
	// StormMin incidents with one cause within Hold become one alert (3).
	StormMin int
	// QuotaSchedule and HygieneSchedule are cron specs ("off" disables);
	// TimeZone applies to both.
	QuotaSchedule, HygieneSchedule, TimeZone string
	// QuotaRegions are the registry regions the quota sweep reads (all).
	QuotaRegions []string
	// QuotaCritical is the share above which quota is critical (0.95).
	QuotaCritical float64
	// Namespace is pullcheck's own namespace (its Lease and state ConfigMaps);
	// Identity names this replica in the Lease.
	Namespace, Identity string
	// HTTPAddr serves /healthz, /readyz and /metrics (":8080").
	HTTPAddr string
}

// Alert keys.
const (
	KeyAlertChannel    = "PULLCHECK_ALERT_CHANNEL"
	KeyAlertRoutes     = "PULLCHECK_ALERT_ROUTES"
	KeyGrace           = "PULLCHECK_ALERT_GRACE"
	KeyHold            = "PULLCHECK_ALERT_HOLD"
	KeyStormMin        = "PULLCHECK_STORM_MIN"
	KeyQuotaSchedule   = "PULLCHECK_QUOTA_SCHEDULE"
	KeyHygieneSchedule = "PULLCHECK_HYGIENE_SCHEDULE"
	KeyTimeZone        = "PULLCHECK_TIMEZONE"
	KeyQuotaRegions    = "PULLCHECK_QUOTA_REGIONS"
	KeyQuotaCritical   = "PULLCHECK_QUOTA_CRITICAL_PERCENT"
	KeyNamespace       = "POD_NAMESPACE"
	KeyIdentity        = "POD_NAME"
	KeyHTTPAddr        = "PULLCHECK_HTTP_ADDR"
)

// serviceAccountNamespace is where Kubernetes mounts the pod's namespace.
const serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"

func (c *Config) loadAlerts(getenv func(string) string) []error {
	a := Alerts{Channel: strings.TrimSpace(getenv(KeyAlertChannel)), Routes: strings.TrimSpace(getenv(KeyAlertRoutes)),
		Grace: time.Minute, Hold: 10 * time.Second, StormMin: 3, QuotaSchedule: "@every 1h", HygieneSchedule: "0 8 * * *",
		TimeZone: "UTC", QuotaCritical: 0.95, HTTPAddr: ":8080"}
	var errs []error
	dur := func(key string, dst *time.Duration, min time.Duration) {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < min {
				errs = append(errs, fmt.Errorf("%s: %q is not a duration of at least %s (example: 60s)", key, v, min))
				return
			}
			*dst = d
		}
	}
	dur(KeyGrace, &a.Grace, 0)
	dur(KeyHold, &a.Hold, time.Second)
	if v := strings.TrimSpace(getenv(KeyStormMin)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 {
			errs = append(errs, fmt.Errorf("%s: %q is not a number of at least 2 (example: 3)", KeyStormMin, v))
		} else {
			a.StormMin = n
		}
	}
	for _, s := range []struct {
		key string
		dst *string
	}{{KeyQuotaSchedule, &a.QuotaSchedule}, {KeyHygieneSchedule, &a.HygieneSchedule}, {KeyTimeZone, &a.TimeZone}, {KeyHTTPAddr, &a.HTTPAddr}} {
		switch v := strings.TrimSpace(getenv(s.key)); v {
		case "":
		case "off":
			*s.dst = ""
		default:
			*s.dst = v
		}
	}
	if _, err := time.LoadLocation(a.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("%s: %q is not a time zone (example: Europe/Berlin)", KeyTimeZone, a.TimeZone))
	}
	if v := getenv(KeyQuotaRegions); v != "" {
		a.QuotaRegions = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
	if v := getenv(KeyQuotaCritical); v != "" {
		p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
		if err != nil || p <= 0 || p > 100 || p/100 <= c.QuotaWarn {
			errs = append(errs, fmt.Errorf("%s: %q is not a percentage above the warning level (example: 95)", KeyQuotaCritical, v))
		} else {
			a.QuotaCritical = p / 100
		}
	}
	a.Namespace, a.Identity = strings.TrimSpace(getenv(KeyNamespace)), strings.TrimSpace(getenv(KeyIdentity))
	if a.Namespace == "" {
		a.Namespace = "pullcheck"
		if b, err := os.ReadFile(serviceAccountNamespace); err == nil && strings.TrimSpace(string(b)) != "" {
			a.Namespace = strings.TrimSpace(string(b))
		}
	}
	if a.Identity == "" {
		a.Identity, _ = os.Hostname()
	}
	c.Alerts = a
	return errs
}
