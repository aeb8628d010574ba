package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIKey != "" || c.QuotaWarn != 0.8 || c.Timeout != 30*time.Second {
		t.Errorf("defaults: %+v", c)
	}
	if c.Endpoints.IAM != "https://iam.cloud.ibm.com" || c.Endpoints.Containers != "https://containers.cloud.ibm.com/global" {
		t.Errorf("endpoints: %+v", c.Endpoints)
	}
}

func TestLoadPrivateAndOverrides(t *testing.T) {
	c, err := Load(env(map[string]string{KeyPrivate: "true", KeyRegistryAPIURLs: "us-south=https://mirror.example:8443",
		KeyQuotaWarnPercent: "90%", KeyTimeout: "5s", KeyCluster: "c1"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoints.IAM != "https://private.iam.cloud.ibm.com" || c.Endpoints.Registry["eu-de"] != "https://private.de.icr.io" ||
		c.Endpoints.Registry["us-south"] != "https://mirror.example:8443" || c.QuotaWarn != 0.9 || c.Timeout != 5*time.Second || c.Cluster != "c1" {
		t.Errorf("got %+v", c)
	}
}

func TestLoadKeyFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(p, []byte("canary-key-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{KeyAPIKeyFile: p}))
	if err != nil || c.APIKey != "canary-key-123" {
		t.Fatalf("Load = %v, %v", c, err)
	}
}

// TestLoadRejects checks that every bad value is reported, naming its key,
// without echoing the API key.
func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"both keys", map[string]string{KeyAPIKey: "canary-secret", KeyAPIKeyFile: "/x"}, []string{KeyAPIKey, KeyAPIKeyFile}},
		{"missing file", map[string]string{KeyAPIKeyFile: "/nonexistent/key"}, []string{KeyAPIKeyFile, "/nonexistent/key"}},
		{"key with space", map[string]string{KeyAPIKey: "canary secret"}, []string{KeyAPIKey, "white space"}},
		{"bad url", map[string]string{KeyIAMURL: "iam.cloud.ibm.com"}, []string{KeyIAMURL, "example"}},
		{"bad region", map[string]string{KeyRegistryAPIURLs: "mars=https://x"}, []string{KeyRegistryAPIURLs, "mars"}},
		{"bad pair", map[string]string{KeyRegistryAPIURLs: "us-south"}, []string{KeyRegistryAPIURLs}},
		{"bad percent", map[string]string{KeyQuotaWarnPercent: "120"}, []string{KeyQuotaWarnPercent}},
		{"bad timeout", map[string]string{KeyTimeout: "soon"}, []string{KeyTimeout}},
		{"bad bool", map[string]string{KeyPrivate: "maybe"}, []string{KeyPrivate}},
		{"several", map[string]string{KeyTimeout: "-1s", KeyContainersURL: "ftp://x"}, []string{KeyTimeout, KeyContainersURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil {
				t.Fatal("Load accepted bad config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "canary") {
				t.Errorf("error leaks the API key: %q", err)
			}
		})
	}
}

func TestServeSettings(t *testing.T) {
	c, err := Load(env(map[string]string{KeySlackAppToken: "xapp-1-A-canary", KeySlackBotToken: "xoxb-canary",
		KeyOnCallUsers: "U01, U02", KeyOnCallGroups: "S01", KeyReadOnly: "true", KeyWorkers: "3", KeySlackAPIURL: "http://127.0.0.1:1/api/"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ValidateServe(); err != nil {
		t.Fatal(err)
	}
	if len(c.OnCallUsers) != 2 || c.OnCallGroups[0] != "S01" || !c.ReadOnly || c.Workers != 3 {
		t.Errorf("got %+v", c)
	}
}

func TestServeRejects(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"missing tokens", nil, []string{"SLACK_APP_TOKEN is not set", "xapp-", "SLACK_BOT_TOKEN is not set", "xoxb-"}},
		{"swapped tokens", map[string]string{KeySlackAppToken: "xoxb-canary", KeySlackBotToken: "xapp-canary"},
			[]string{"SLACK_APP_TOKEN does not start with xapp-", "SLACK_BOT_TOKEN does not start with xoxb-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			err = c.ValidateServe()
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v does not mention %q", err, w)
				}
			}
			if err != nil && strings.Contains(err.Error(), "canary") {
				t.Errorf("error echoes a token: %v", err)
			}
		})
	}
	for key, v := range map[string]string{KeyOnCallUsers: "not an id", KeyWorkers: "0", KeySlackAPIURL: "http://x/api", KeyReadOnly: "perhaps"} {
		if _, err := Load(env(map[string]string{key: v})); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: error %v", key, v, err)
		}
	}
}

func TestAlertSettings(t *testing.T) {
	c, err := Load(env(map[string]string{KeyAlertChannel: "C1", KeyGrace: "0s", KeyHold: "5s", KeyStormMin: "5",
		KeyQuotaSchedule: "off", KeyTimeZone: "Europe/Berlin", KeyQuotaCritical: "90", KeyNamespace: "ops", KeyIdentity: "pod-1"}))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Alerts
	if a.Channel != "C1" || a.Grace != 0 || a.Hold != 5*time.Second || a.StormMin != 5 || a.QuotaSchedule != "" ||
		a.HygieneSchedule != "0 8 * * *" || a.QuotaCritical != 0.9 || a.Namespace != "ops" || a.Identity != "pod-1" {
		t.Errorf("alerts %+v", a)
	}
	for key, v := range map[string]string{KeyGrace: "-1s", KeyHold: "10ms", KeyStormMin: "1", KeyTimeZone: "Mars/Olympus", KeyQuotaCritical: "50"} {
		if _, err := Load(env(map[string]string{key: v})); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: %v", key, v, err)
		}
	}
}
