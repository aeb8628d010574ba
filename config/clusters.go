package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Clusters are the settings of a multi-cluster install: the clusters
// pullcheck serves, each named by a short name the operator chooses, and
// the channels bound to one of them. With none, pullcheck serves one
// cluster, found as kubectl finds it (in a pod: its own), as it always has.
type Clusters struct {
	// Refs are the named clusters, in the order given.
	Refs []ClusterRef
	// All names every context of the kubeconfig a cluster, by its
	// context's name (PULLCHECK_CLUSTERS=*).
	All bool
	// Kubeconfig is the file that holds the clusters' contexts
	// (PULLCHECK_KUBECONFIG, else KUBECONFIG).
	Kubeconfig string
	// Channels binds chat channels to clusters: channel ID -> cluster name.
	Channels map[string]string
}

// ClusterRef is one named cluster: a context of the kubeconfig, or
// InCluster.
type ClusterRef struct {
	Name, Context string
}

// InCluster, as a cluster's context, names the cluster pullcheck runs in,
// with its own identity (in a pod: its service account; elsewhere, the
// kubeconfig kubectl would use).
const InCluster = "@in-cluster"

// Multi reports whether pullcheck serves named clusters.
func (c Clusters) Multi() bool { return c.All || len(c.Refs) > 0 }

// Names are the clusters' names, in the order given (empty with All:
// they are the kubeconfig's contexts).
func (c Clusters) Names() []string {
	names := make([]string, len(c.Refs))
	for i, r := range c.Refs {
		names[i] = r.Name
	}
	return names
}

// Cluster keys.
const (
	KeyClusters        = "PULLCHECK_CLUSTERS"
	KeyKubeconfig      = "PULLCHECK_KUBECONFIG"
	KeyChannelClusters = "PULLCHECK_CHANNEL_CLUSTERS"
	// keyKubectlConfig is kubectl's own variable, the fallback of
	// PULLCHECK_KUBECONFIG.
	keyKubectlConfig = "KUBECONFIG"
)

// maxClusterName keeps cluster names short enough to type and to show.
const maxClusterName = 40

func (c *Config) loadClusters(getenv func(string) string) []error {
	var errs []error
	cl := Clusters{Kubeconfig: strings.TrimSpace(getenv(KeyKubeconfig))}
	if cl.Kubeconfig == "" {
		cl.Kubeconfig = strings.TrimSpace(getenv(keyKubectlConfig))
	}
	spec := strings.TrimSpace(getenv(KeyClusters))
	if spec == "*" {
		cl.All = true
	} else if spec != "" {
		cl.Refs, errs = parseClusterRefs(spec)
	}
	if cl.Multi() {
		if c.Cluster != "" {
			errs = append(errs, fmt.Errorf("%s names one IBM Cloud cluster; with %s each cluster's ID is read from its kube-system/cluster-info: unset %s",
				KeyCluster, KeyClusters, KeyCluster))
		}
		if cl.Kubeconfig == "" && cl.needsKubeconfig() {
			errs = append(errs, fmt.Errorf("%s names kubeconfig contexts, but neither %s nor %s names the file that holds them (example: %s=/etc/pullcheck/clusters/kubeconfig)",
				KeyClusters, KeyKubeconfig, keyKubectlConfig, KeyKubeconfig))
		}
	}
	var err error
	if cl.Channels, err = cl.parseChannels(getenv(KeyChannelClusters)); err != nil {
		errs = append(errs, err)
	}
	c.Clusters = cl
	return errs
}

// needsKubeconfig reports whether a cluster is a kubeconfig's context.
func (c Clusters) needsKubeconfig() bool {
	if c.All {
		return true
	}
	for _, r := range c.Refs {
		if r.Context != InCluster {
			return true
		}
	}
	return false
}

// parseClusterRefs reads "name=context,name=context"; every bad entry is
// named.
func parseClusterRefs(spec string) ([]ClusterRef, []error) {
	var refs []ClusterRef
	var errs []error
	names, contexts := map[string]bool{}, map[string]bool{}
	for _, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		name, ctx, ok := strings.Cut(entry, "=")
		name, ctx = strings.TrimSpace(name), strings.TrimSpace(ctx)
		switch {
		case entry == "*":
			errs = append(errs, fmt.Errorf("%s: * stands alone (every context of the kubeconfig); it cannot be mixed with named clusters", KeyClusters))
		case !ok || name == "" || ctx == "":
			errs = append(errs, fmt.Errorf("%s: %q is not <name>=<kubeconfig context> (example: prod-us=ctx1,prod-eu=ctx2)", KeyClusters, clipValue(entry)))
		case ValidateClusterName(name) != nil:
			errs = append(errs, fmt.Errorf("%s: %q: %w", KeyClusters, clipValue(entry), ValidateClusterName(name)))
		case names[name]:
			errs = append(errs, fmt.Errorf("%s: %q: the name %s is given twice", KeyClusters, clipValue(entry), name))
		case contexts[ctx]:
			errs = append(errs, fmt.Errorf("%s: %q: the context %s is named twice (pullcheck would watch it twice)", KeyClusters, clipValue(entry), ctx))
		default:
			names[name], contexts[ctx] = true, true
			refs = append(refs, ClusterRef{Name: name, Context: ctx})
		}
	}
	return refs, errs
}

// ValidateClusterName checks a cluster's short name: a DNS-1123 label of
// at most 40 characters, so that it can be typed in a command and stand
// before a namespace in an alert route ("prod-eu/shop-*").
func ValidateClusterName(name string) error {
	if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
		return fmt.Errorf("the cluster name %q is not a lower-case DNS label: %s (example: prod-eu)", clipValue(name), errs[0])
	}
	if len(name) > maxClusterName {
		return fmt.Errorf("the cluster name %q is longer than %d characters", clipValue(name), maxClusterName)
	}
	return nil
}

// parseChannels reads "C0EU:prod-eu,C0US:prod-us". With named clusters,
// each must be one of them; with *, the names are known only once the
// kubeconfig is read (ValidateChannels).
func (c Clusters) parseChannels(spec string) (map[string]string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	if !c.Multi() {
		return nil, fmt.Errorf("%s binds channels to clusters of %s, which is not set", KeyChannelClusters, KeyClusters)
	}
	out := map[string]string{}
	var errs []error
	for _, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		ch, name, ok := strings.Cut(entry, ":")
		switch {
		case !ok || !slackID.MatchString(ch) || name == "":
			errs = append(errs, fmt.Errorf("%s: %q is not <channel ID>:<cluster> (example: C0123ABCD:prod-eu)", KeyChannelClusters, clipValue(entry)))
		case out[ch] != "":
			errs = append(errs, fmt.Errorf("%s: %q: channel %s is bound twice", KeyChannelClusters, clipValue(entry), ch))
		default:
			out[ch] = name
		}
	}
	if !c.All {
		errs = append(errs, c.ValidateChannels(out, c.Names()))
	}
	return out, errors.Join(errs...)
}

// ValidateChannels checks that every bound channel names one of the
// clusters.
func (c Clusters) ValidateChannels(channels map[string]string, names []string) error {
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	var errs []error
	for _, ch := range sortedKeys(channels) {
		if name := channels[ch]; !known[name] {
			errs = append(errs, fmt.Errorf("%s: %s:%s names no cluster of %s (clusters: %s)", KeyChannelClusters, ch, clipValue(name),
				KeyClusters, strings.Join(names, ", ")))
		}
	}
	return errors.Join(errs...)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
