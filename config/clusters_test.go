package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadClusters(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Clusters
	}{
		{"one cluster", nil, Clusters{}},
		{"named", map[string]string{KeyClusters: "prod-us=ctx1, prod-eu=ctx2", KeyKubeconfig: "/etc/k", keyKubectlConfig: "/home/k",
			KeyChannelClusters: "C0EU:prod-eu"},
			Clusters{Refs: []ClusterRef{{"prod-us", "ctx1"}, {"prod-eu", "ctx2"}}, Kubeconfig: "/etc/k", Channels: map[string]string{"C0EU": "prod-eu"}}},
		{"every context", map[string]string{KeyClusters: "*", keyKubectlConfig: "/home/k"}, Clusters{All: true, Kubeconfig: "/home/k"}},
		{"own cluster needs no file", map[string]string{KeyClusters: "hub=" + InCluster}, Clusters{Refs: []ClusterRef{{"hub", InCluster}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c.Clusters); diff != "" {
				t.Errorf("Clusters (-want +got):\n%s", diff)
			}
			if c.Clusters.Multi() != (tt.env[KeyClusters] != "") {
				t.Errorf("Multi() = %t", c.Clusters.Multi())
			}
		})
	}
}

// TestLoadClustersRejects: every error names the key and the bad entry.
func TestLoadClustersRejects(t *testing.T) {
	k := map[string]string{KeyKubeconfig: "/etc/k"}
	with := func(m map[string]string) map[string]string {
		for key, v := range k {
			if _, ok := m[key]; !ok {
				m[key] = v
			}
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"no context", with(map[string]string{KeyClusters: "prod-us=ctx1,prod-eu"}), []string{KeyClusters, `"prod-eu"`, "<name>=<kubeconfig context>"}},
		{"bad name", with(map[string]string{KeyClusters: "Prod_US=ctx1"}), []string{KeyClusters, `"Prod_US=ctx1"`, "DNS label"}},
		{"long name", with(map[string]string{KeyClusters: strings.Repeat("a", 41) + "=c"}), []string{KeyClusters, "longer than 40"}},
		{"name twice", with(map[string]string{KeyClusters: "a=c1,a=c2"}), []string{KeyClusters, `"a=c2"`, "given twice"}},
		{"context twice", with(map[string]string{KeyClusters: "a=c1,b=c1"}), []string{KeyClusters, `"b=c1"`, "named twice"}},
		{"star mixed", with(map[string]string{KeyClusters: "a=c1,*"}), []string{KeyClusters, "stands alone"}},
		{"no file", map[string]string{KeyClusters: "a=c1"}, []string{KeyClusters, KeyKubeconfig, "KUBECONFIG"}},
		{"one cluster ID for many", with(map[string]string{KeyClusters: "a=c1", KeyCluster: "c1abc"}), []string{KeyCluster, KeyClusters}},
		{"channel without clusters", map[string]string{KeyChannelClusters: "C0EU:prod-eu"}, []string{KeyChannelClusters, KeyClusters, "not set"}},
		{"bad binding", with(map[string]string{KeyClusters: "a=c1", KeyChannelClusters: "C0EU=a"}), []string{KeyChannelClusters, `"C0EU=a"`, "<channel ID>:<cluster>"}},
		{"unknown cluster", with(map[string]string{KeyClusters: "a=c1,b=c2", KeyChannelClusters: "C0EU:c"}), []string{KeyChannelClusters, "C0EU:c", "clusters: a, b"}},
		{"channel twice", with(map[string]string{KeyClusters: "a=c1", KeyChannelClusters: "C0EU:a,C0EU:a"}), []string{KeyChannelClusters, "bound twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
