package deploy

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"

	"github.com/pullcheck/pullcheck/config"
)

// secretKeys are the settings the chart reads from Secrets only.
var secretKeys = []string{config.KeySlackAppToken, config.KeySlackBotToken, config.KeyAPIKey}

// TestChartDefaultsArePullchecks: with the chart's default values,
// pullcheck's configuration is the one it has with nothing set.
func TestChartDefaultsArePullchecks(t *testing.T) {
	helm, _ := chartTools(t)
	ps, _ := chartPod(t, helm)
	env := plainEnv(ps.Containers[0].Env)
	delete(env, config.KeyNamespace)
	got, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("the chart's defaults: %v", err)
	}
	want, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the chart's defaults change pullcheck's (-pullcheck +chart):\n%s", diff)
	}
}

// TestChartSetsEverySetting: every variable config reads is a value of the
// chart (documented in values.yaml) or the pod's own (POD_NAMESPACE,
// POD_NAME); secrets come from Secrets, never from the chart; and the values
// of testdata/helm-every-value.yaml reach pullcheck's configuration.
func TestChartSetsEverySetting(t *testing.T) {
	helm, _ := chartTools(t)
	values := "testdata/helm-every-value.yaml"
	set := map[string]bool{}
	var cfg *config.Config
	for _, asFile := range []string{"false", "true"} {
		args := []string{"-f", values, "--set", "ibmcloud.apiKeyAsFile=" + asFile}
		if asFile == "true" { // and several clusters, which refuse ibmcloud.cluster
			args = append(args, "-f", "testdata/helm-clusters.yaml")
		}
		ps, kinds := chartPod(t, helm, args...)
		c := ps.Containers[0]
		if slices.Contains(kinds, "Secret") {
			t.Errorf("the chart renders a Secret")
		}
		for _, e := range c.Env {
			set[e.Name] = true
			checkSecretRef(t, e)
		}
		if asFile == "false" {
			cfg = loadContainer(t, c)
		}
	}
	var missing []string
	for _, k := range config.Keys() {
		if !set[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		t.Errorf("settings the chart cannot set: %v", missing)
	}
	doc := string(mustRead(t, "helm/pullcheck/values.yaml"))
	for _, k := range config.Keys() {
		if !strings.Contains(doc, k) {
			t.Errorf("values.yaml does not say which value sets %s", k)
		}
	}
	checkEveryValue(t, cfg)
}

// checkSecretRef: a secret's variable reads a Secret's key.
func checkSecretRef(t *testing.T, e corev1.EnvVar) {
	t.Helper()
	if !slices.Contains(secretKeys, e.Name) {
		return
	}
	if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
		t.Errorf("%s is not read from a Secret: %+v", e.Name, e)
	}
}

// loadContainer loads pullcheck's configuration from the container's
// environment, with stand-ins for what Secrets and the pod would give.
func loadContainer(t *testing.T, c corev1.Container) *config.Config {
	t.Helper()
	env := plainEnv(c.Env)
	env[config.KeySlackAppToken], env[config.KeySlackBotToken], env[config.KeyAPIKey] = "xapp-test", "xoxb-test", "test-key"
	env[config.KeyNamespace], env[config.KeyIdentity] = "pullcheck", "pullcheck-0"
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("pullcheck refuses the chart's settings: %v", err)
	}
	return cfg
}

func checkEveryValue(t *testing.T, cfg *config.Config) {
	t.Helper()
	a := cfg.Alerts
	regions := make([]string, 0, len(cfg.Endpoints.Registry))
	for r, u := range cfg.Endpoints.Registry {
		if strings.HasPrefix(u, "https://private.") && (r == "us-south" || r == "eu-de") {
			regions = append(regions, r)
		}
	}
	sort.Strings(regions)
	got := []any{cfg.ReadOnly, cfg.SlackAPIURL, cfg.OnCallUsers, cfg.OnCallGroups, cfg.Workers, cfg.Cluster,
		cfg.Endpoints.IAM, cfg.Endpoints.IAMIdentity, cfg.Endpoints.IAMPolicy, cfg.Endpoints.IAMAccessGroups, cfg.Endpoints.Containers,
		regions, cfg.Timeout.String(), cfg.QuotaWarn, a.QuotaCritical, a.QuotaSchedule, a.QuotaRegions, a.HygieneSchedule, a.TimeZone,
		a.Channel, a.Routes, a.Grace.String(), a.Hold.String(), a.StormMin, a.HTTPAddr}
	want := []any{true, "https://slack.example.test/api/", []string{"U0ONE", "U0TWO"}, []string{"S0ONCALL"}, 16, "c0ffee-cluster",
		"https://iam.example.test", "https://identity.example.test", "https://policy.example.test", "https://groups.example.test",
		"https://containers.example.test/global", []string{"eu-de", "us-south"}, "45s", 0.7, 0.9, "@every 2h", []string{"us-south", "eu-de"},
		"", "Europe/Berlin", "C0ALERTS", "shop-*=C0SHOP,team-?=C0TEAM", "2m0s", "5s", 4, ":9090"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("testdata/helm-every-value.yaml as pullcheck reads it (-want +got):\n%s", diff)
	}
}

// TestChartAPIKeyAsFile: the key is mounted read-only from its Secret's
// key, and IBMCLOUD_API_KEY_FILE names the mounted file.
func TestChartAPIKeyAsFile(t *testing.T) {
	helm, _ := chartTools(t)
	ps, _ := chartPod(t, helm, "--set", "ibmcloud.existingSecret=ibm-key", "--set", "ibmcloud.apiKeyKey=apikey.txt", "--set", "ibmcloud.apiKeyAsFile=true")
	c := ps.Containers[0]
	file := plainEnv(c.Env)[config.KeyAPIKeyFile]
	if len(c.VolumeMounts) != 1 || len(ps.Volumes) != 1 || ps.Volumes[0].Secret == nil {
		t.Fatalf("mounts %+v, volumes %+v", c.VolumeMounts, ps.Volumes)
	}
	m, s := c.VolumeMounts[0], ps.Volumes[0].Secret
	if !m.ReadOnly || m.Name != ps.Volumes[0].Name || s.SecretName != "ibm-key" || len(s.Items) != 1 || s.Items[0].Key != "apikey.txt" ||
		file != filepath.Join(m.MountPath, s.Items[0].Path) {
		t.Errorf("%s=%q, mount %+v, secret volume %+v", config.KeyAPIKeyFile, file, m, s)
	}
}
