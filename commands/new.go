package commands

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
	"github.com/pullcheck/pullcheck/internal/egress"
)

// Options wire a Service. Diagnose.Kube is required; every other field
// has the default its comment states.
type Options struct {
	// Diagnose configures the engine. Its Kube, IBM and Cluster also serve
	// the fixes, the follow-up after a fix and the quota command.
	Diagnose diagnose.Options
	// Auth decides who may apply fixes; default: nobody.
	Auth *Authorizer
	// Access decides which namespaces each chat channel may diagnose and
	// fix in; default: every channel everything but kube-system.
	Access *Access
	// ReadOnly offers no fixes and refuses them; default false.
	ReadOnly bool
	// Timeout bounds each request: what a diagnosis has not learnt by then
	// is inconclusive, and the answers say which checks timed out; default
	// 30 s.
	Timeout time.Duration
	// Follow bounds the watch on a pod after a fix; zero fields default
	// to an interval of 2 s and a timeout of 5 min.
	Follow FollowOptions
	// Logger receives failures with their references, and the engine's
	// tool errors unless Diagnose.Logger is set; default: discard.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// OnReport, when set, hears of every finished diagnosis (metrics).
	OnReport func(*diagnose.Report)
	// CopySources are the secrets of default that copy-pull-secret and
	// sync-pull-secret may copy (fix.WithCopySources); default: all-icr-io.
	CopySources []string
	// Images decides which registries the image command may probe;
	// default: IBM Cloud Container Registry only (egress.New()).
	Images *egress.Policy
	// ImageRegistry probes the images users type (the image command). Give
	// it a transport that Images guards (egress.Policy.Guard), so that each
	// dial is checked again; default: Diagnose.Registry, with only the
	// typed host checked, before the probe.
	ImageRegistry *registry.Prober
}

// New returns a Service wired as o says; it panics if o.Diagnose.Kube is nil.
func New(o Options) *Service {
	if o.Diagnose.IBM == nil { // one client for the engine and the fixes
		o.Diagnose.IBM = ibmcloud.New(ibmcloud.DefaultEndpoints(), http.DefaultClient, "")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Diagnose.Logger == nil {
		o.Diagnose.Logger = o.Logger
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Follow.Interval <= 0 {
		o.Follow.Interval = 2 * time.Second
	}
	if o.Follow.Timeout <= 0 {
		o.Follow.Timeout = 5 * time.Minute
	}
	if o.Access == nil {
		o.Access = defaultAccess()
	}
	if o.Images == nil {
		o.Images = egress.New()
	}
	d := o.Diagnose
	images := d
	if o.ImageRegistry != nil {
		images.Registry = o.ImageRegistry
	}
	fixes := fix.New(d.Kube, d.IBM, d.Cluster, fix.WithCopySources(o.CopySources...))
	return &Service{Engine: diagnose.New(d), ImageEngine: diagnose.New(images), Images: o.Images, Kube: d.Kube, IBM: d.IBM, Fixes: fixes,
		Auth: o.Auth, Access: o.Access, ReadOnly: o.ReadOnly, Timeout: o.Timeout, Logger: o.Logger, Follow: o.Follow, Now: o.Now, OnReport: o.OnReport}
}
