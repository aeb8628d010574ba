package fleet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a kubeconfig with a context per name, each on
// its own server, and returns its path.
func writeKubeconfig(t *testing.T, names ...string) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	for i, n := range names {
		cfg.Clusters[n] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:" + string(rune('1'+i)) + "443"}
		cfg.AuthInfos[n] = &clientcmdapi.AuthInfo{Token: "token-" + n}
		cfg.Contexts[n] = &clientcmdapi.Context{Cluster: n, AuthInfo: n}
	}
	p := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKubeconfig(t *testing.T) {
	k, err := LoadKubeconfig(writeKubeconfig(t, "ctx2", "ctx1"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ctx1", "ctx2"}, k.Contexts()); diff != "" {
		t.Errorf("Contexts (-want +got):\n%s", diff)
	}
	rc, err := k.Config("ctx2")
	if err != nil || rc.Host != "https://127.0.0.1:1443" || rc.BearerToken != "token-ctx2" {
		t.Errorf("Config(ctx2) = %+v, %v", rc, err)
	}
	if _, err := k.Config("nope"); err == nil || !strings.Contains(err.Error(), `no context "nope" (contexts: ctx1, ctx2)`) {
		t.Errorf("unknown context: %v", err)
	}
}

func TestKubeconfigList(t *testing.T) {
	a, b := writeKubeconfig(t, "a"), writeKubeconfig(t, "b")
	k, err := LoadKubeconfig(a + string(os.PathListSeparator) + b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, k.Contexts()); diff != "" {
		t.Errorf("merged contexts (-want +got):\n%s", diff)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, []byte("apiVersion: v1\nkind: Config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKubeconfig(empty); err == nil || !strings.Contains(err.Error(), "has no context") {
		t.Errorf("empty kubeconfig: %v", err)
	}
}
