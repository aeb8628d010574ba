package main

import (
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// clustersKubeconfig writes a kubeconfig whose contexts reach nothing
// (nothing is asked before serve connects to Slack).
func clustersKubeconfig(t *testing.T, contexts ...string) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	for _, c := range contexts {
		cfg.Clusters[c] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
		cfg.AuthInfos[c] = &clientcmdapi.AuthInfo{Token: "t"}
		cfg.Contexts[c] = &clientcmdapi.Context{Cluster: c, AuthInfo: c}
	}
	p := filepath.Join(t.TempDir(), "clusters.kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeClustersConfigErrors: serve refuses a multi-cluster
// configuration it cannot serve, naming the key and the entry.
func TestServeClustersConfigErrors(t *testing.T) {
	connectSandbox(t)
	kc := clustersKubeconfig(t, "ctx-us", "ctx-eu", "Team/EU")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"unknown context", map[string]string{"PULLCHECK_CLUSTERS": "prod-us=ctx-us,prod-ap=ctx-ap"}, nil,
			[]string{"PULLCHECK_CLUSTERS: prod-ap=ctx-ap", `no context "ctx-ap" (contexts: Team/EU, ctx-eu, ctx-us)`}},
		{"every context, one unnamable", map[string]string{"PULLCHECK_CLUSTERS": "*"}, nil,
			[]string{"PULLCHECK_CLUSTERS=*", `context "Team/EU" cannot name a cluster`, "name the clusters instead"}},
		{"a route to no cluster", map[string]string{"PULLCHECK_CLUSTERS": "prod-us=ctx-us,prod-eu=ctx-eu", "PULLCHECK_ALERT_ROUTES": "prod-ap/shop=C0AP"}, nil,
			[]string{"PULLCHECK_ALERT_ROUTES", `"prod-ap" matches none of the clusters (prod-us, prod-eu)`}},
		{"a channel bound to no cluster", map[string]string{"PULLCHECK_CLUSTERS": "*", "PULLCHECK_KUBECONFIG": clustersKubeconfig(t, "ctx-us"),
			"PULLCHECK_CHANNEL_CLUSTERS": "C0EU:ctx-eu"}, nil, []string{"PULLCHECK_CHANNEL_CLUSTERS", "C0EU:ctx-eu names no cluster", "clusters: ctx-us"}},
		{"the sandbox", map[string]string{"PULLCHECK_CLUSTERS": "prod-us=ctx-us"}, []string{"--sandbox"}, []string{"--sandbox serves one simulated cluster"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SLACK_APP_TOKEN", "xapp-test")
			t.Setenv("SLACK_BOT_TOKEN", "xoxb-test")
			t.Setenv("PULLCHECK_HTTP_ADDR", "off")
			t.Setenv("PULLCHECK_KUBECONFIG", kc)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, _, stderr := runCLI(t, append([]string{"serve"}, tt.args...)...)
			for _, w := range tt.want {
				if code != exitUsage || !strings.Contains(stderr, w) {
					t.Errorf("exit %d, stderr %q: want %q", code, stderr, w)
				}
			}
		})
	}
}
