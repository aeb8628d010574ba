package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/fleet"
)

// members connects the clusters PULLCHECK_CLUSTERS names: each a context
// of the kubeconfig, or pullcheck's own cluster with the identity kubectl
// would use (--kubeconfig, KUBECONFIG, in-cluster). Every error names the
// key and the entry.
var members = func(cfg *config.Config, f diagnoseFlags) ([]*fleet.Member, error) {
	cl := cfg.Clusters
	refs, k, err := clusterRefs(cl)
	if err != nil {
		return nil, err
	}
	var out []*fleet.Member
	var errs []error
	for _, r := range refs {
		m, err := member(r, k, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s=%s: %w", config.KeyClusters, r.Name, r.Context, err))
			continue
		}
		out = append(out, m)
	}
	if err := cl.ValidateChannels(cl.Channels, fleet.Names(out)); cl.All && err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// clusterRefs are the named clusters, every context of the kubeconfig
// with PULLCHECK_CLUSTERS=*.
func clusterRefs(cl config.Clusters) ([]config.ClusterRef, *fleet.Kubeconfig, error) {
	var k *fleet.Kubeconfig
	if cl.Kubeconfig != "" {
		var err error
		if k, err = fleet.LoadKubeconfig(cl.Kubeconfig); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", kubeconfigKey(), err)
		}
	}
	if !cl.All {
		return cl.Refs, k, nil
	}
	var refs []config.ClusterRef
	var errs []error
	for _, ctx := range k.Contexts() {
		if err := config.ValidateClusterName(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s=*: context %q cannot name a cluster (%w); name the clusters instead (example: %s=prod-eu=%s)",
				config.KeyClusters, ctx, err, config.KeyClusters, ctx))
			continue
		}
		refs = append(refs, config.ClusterRef{Name: ctx, Context: ctx})
	}
	return refs, k, errors.Join(errs...)
}

func kubeconfigKey() string { return config.KeyKubeconfig + " (or KUBECONFIG)" }

// member connects one cluster.
func member(r config.ClusterRef, k *fleet.Kubeconfig, f diagnoseFlags) (*fleet.Member, error) {
	var rc *rest.Config
	var err error
	if r.Context == config.InCluster {
		rc, err = restConfig(diagnoseFlags{kubeconfig: f.kubeconfig})
	} else if k != nil {
		rc, err = k.Config(r.Context)
		if rc != nil {
			bound(rc)
		}
	} else {
		err = fmt.Errorf("no kubeconfig: set %s", kubeconfigKey())
	}
	if err != nil {
		return nil, err
	}
	kube, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, err
	}
	return fleet.NewMember(r.Name, r.Context, rc.Host, kube), nil
}

// routedClusters wires a Service to each member; they share one IBM Cloud
// client and registry prober (one key, one account: its quota is read
// once), each diagnosing in its own cluster, whose ID its cluster-info
// names.
func routedClusters(ctx context.Context, cfg *config.Config, hub kubernetes.Interface, shared diagnose.Options, ms []*fleet.Member, logger *slog.Logger) []commands.RoutedCluster {
	out := make([]commands.RoutedCluster, 0, len(ms))
	for _, m := range ms {
		o := commands.Options{ReadOnly: cfg.ReadOnly, Timeout: cfg.Timeout, CopySources: cfg.CopySources, Access: access(cfg),
			Diagnose: shared}
		o.Diagnose.Kube, o.Diagnose.Cluster, o.Diagnose.Logger = m.Kube, "", logger.With("cluster", m.Name)
		o.Logger = o.Diagnose.Logger
		o.Images, o.ImageRegistry = imageProbes(ctx, cfg, m.Kube, os.Getenv, o.Logger)
		svc := commands.New(o)
		// Claims live with pullcheck's state, in the hub: a click on any
		// replica, for any cluster, is claimed once.
		svc.Claims = commands.NewConfigMapClaims(hub, cfg.Alerts.Namespace)
		out = append(out, commands.RoutedCluster{Member: m, Service: svc})
	}
	return out
}
