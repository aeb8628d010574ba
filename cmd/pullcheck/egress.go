package main

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/internal/egress"
)

// imageProbes are the policy on the images users type and, unless the
// registry is the sandbox's, a prober whose every dial that policy checks.
func imageProbes(ctx context.Context, cfg *config.Config, kube kubernetes.Interface, getenv func(string) string,
	logger *slog.Logger) (*egress.Policy, *registry.Prober) {
	p := egress.New(egress.WithRegistries(cfg.ImageRegistries...),
		egress.WithClusterAddresses(clusterAddresses(ctx, kube, getenv, logger)...))
	return p, registry.New(newImageTransport(cfg.Timeout, p))
}

// clusterAddresses are the cluster's own service addresses, as far as
// pullcheck can learn them: the kubernetes service's ClusterIP (from the
// in-cluster environment, or default/kubernetes when readable) and the
// service CIDRs (networking.k8s.io ServiceCIDRs, when readable). They are
// usually private addresses already; this covers clusters whose are not.
// Nothing here needs a permission: what cannot be read is left out.
func clusterAddresses(ctx context.Context, kube kubernetes.Interface, getenv func(string) string, logger *slog.Logger) []netip.Prefix {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var out []netip.Prefix
	addIP := func(s string) {
		if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	addIP(getenv("KUBERNETES_SERVICE_HOST"))
	if svc, err := kube.CoreV1().Services("default").Get(ctx, "kubernetes", metav1.GetOptions{}); err == nil {
		for _, ip := range svc.Spec.ClusterIPs {
			addIP(ip)
		}
	} else {
		logger.Debug("reading the kubernetes service", "err", err)
	}
	cidrs, err := kube.NetworkingV1().ServiceCIDRs().List(ctx, metav1.ListOptions{})
	if err != nil {
		logger.Debug("listing service CIDRs", "err", err)
		return out
	}
	for _, c := range cidrs.Items {
		for _, s := range c.Spec.CIDRs {
			if p, err := netip.ParsePrefix(s); err == nil {
				out = append(out, p.Masked())
			}
		}
	}
	return out
}
