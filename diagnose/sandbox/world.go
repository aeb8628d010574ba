package sandbox

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

// Accounts and the cluster of the sandbox.
const (
	ClusterAccount = "7f3c1a2b9d8e4f60a1b2c3d4e5f60718"
	PartnerAccount = "2b4d6f8091a3c5e7f9b1d3e5a7c9e1f3"
	PrivateAccount = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
	ClusterID      = "cq4ftx1d0f2r7n5lp8g0"
	ClusterName    = "shop-prod"
	ResourceGroup  = "4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
)

// World is one sandbox: an emulated cloud behind a local TLS server and a
// fake Kubernetes cluster.
type World struct {
	Cloud  *cloud.Cloud
	Server *cloud.Server
	Kube   *fake.Clientset
	// BotKey is pullcheck's own IBM Cloud API key in the cluster's account.
	BotKey string
	// ClusterKey is the key in default/all-icr-io.
	ClusterKey string

	latency     time.Duration
	unreachable []string
	fresh       bool
	private     bool
	keys        int
	pods        int
}

// Option configures a World.
type Option func(*World)

// WithLatency adds d to every network round trip to the cloud and registries.
func WithLatency(d time.Duration) Option { return func(w *World) { w.latency = d } }

// WithoutClusterPullSecret makes a cluster whose pull secret was never
// applied: default has no all-icr-io.
func WithoutClusterPullSecret() Option { return func(w *World) { w.fresh = true } }

// WithPrivateOnlyCluster makes a cluster with only the private cloud
// service endpoint: IBM redirects its workers' pulls from the public icr.io
// domains to private.<domain>. By default the cluster has both endpoints.
func WithPrivateOnlyCluster() Option { return func(w *World) { w.private = true } }

// NewWorld starts an empty world: the accounts, the cluster's service ID and
// key, pullcheck's key, the registry namespaces and images, and a cluster
// with default/all-icr-io. Close it when done.
func NewWorld(opts ...Option) (*World, error) {
	w := &World{Cloud: cloud.New(), Kube: NewClientset(), unreachable: []string{UnreachableHost}}
	for _, o := range opts {
		o(w)
	}
	if err := w.seedCloud(); err != nil {
		return nil, err
	}
	if err := w.seedCluster(); err != nil {
		return nil, err
	}
	w.Cloud.OnEnablePullSecret(w.applyPullSecret)
	srv, err := cloud.Start(w.Cloud)
	if err != nil {
		return nil, fmt.Errorf("starting the sandbox cloud: %w", err)
	}
	w.Server = srv
	return w, nil
}

// Close stops the world's server.
func (w *World) Close() { w.Server.Close() }

// Transport reaches the sandbox's hosts (with the world's latency).
func (w *World) Transport() http.RoundTripper {
	return w.Server.Transport(cloud.WithLatency(w.latency), cloud.WithUnresolvable(w.unreachable...))
}

// EngineOptions are diagnose.Options wired to this world; botKey "" runs
// pullcheck without an IBM Cloud key of its own.
func (w *World) EngineOptions(botKey string) diagnose.Options {
	tr := w.Transport()
	hc := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	return diagnose.Options{
		Kube:     w.Kube,
		Registry: registry.New(tr),
		IBM:      ibmcloud.New(ibmcloud.DefaultEndpoints(), hc, botKey),
		Logger:   slog.New(slog.DiscardHandler),
	}
}

// Engine is a diagnosis engine wired to this world, with pullcheck's key.
func (w *World) Engine() *diagnose.Engine { return diagnose.New(w.EngineOptions(w.BotKey)) }
