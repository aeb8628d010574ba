package fleet

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Kubeconfig is a kubeconfig file, or a list of them as KUBECONFIG has it
// (merged the way kubectl merges them), holding the clusters' contexts.
type Kubeconfig struct {
	raw clientcmdapi.Config
}

// LoadKubeconfig reads path (a file, or files joined by the path list
// separator).
func LoadKubeconfig(path string) (*Kubeconfig, error) {
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: filepath.SplitList(path)}
	raw, err := rules.Load()
	if err != nil {
		return nil, fmt.Errorf("reading kubeconfig %s: %w", path, err)
	}
	if len(raw.Contexts) == 0 {
		return nil, fmt.Errorf("kubeconfig %s has no context", path)
	}
	return &Kubeconfig{raw: *raw}, nil
}

// Contexts are the names of its contexts, sorted.
func (k *Kubeconfig) Contexts() []string {
	names := make([]string, 0, len(k.raw.Contexts))
	for n := range k.raw.Contexts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Config is the client configuration of one context; the error names the
// context, and the contexts there are when it is not one of them.
func (k *Kubeconfig) Config(context string) (*rest.Config, error) {
	if _, ok := k.raw.Contexts[context]; !ok {
		return nil, fmt.Errorf("the kubeconfig has no context %q (contexts: %s)", context, strings.Join(k.Contexts(), ", "))
	}
	rc, err := clientcmd.NewNonInteractiveClientConfig(k.raw, context, &clientcmd.ConfigOverrides{}, nil).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("context %q: %w", context, err)
	}
	if rc.Host == "" {
		return nil, errors.New("context " + context + " names no API server")
	}
	return rc, nil
}
