package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/fleet"
)

// Router is pullcheck's front when it serves several clusters: one Service
// per cluster, and every request sent to the Service of its cluster. The
// cluster is the one the command names first ("pod prod-eu shop/web"),
// else the one the request's channel is bound to, else the only one there
// is; a request that names none where there are several gets the choices.
// A cluster that does not answer fails its own requests at once; the
// others are untouched. With one unnamed cluster (a single-cluster
// install) the Router adds only the clusters command.
type Router struct {
	clusters map[string]*RoutedCluster
	names    []string
	channels map[string]string
	ibm      *ibmcloud.Client
	logger   *slog.Logger
}

// RoutedCluster is one cluster a Router serves: where it is, and the
// Service that serves it.
type RoutedCluster struct {
	Member  *fleet.Member
	Service *Service
}

// RouterOptions configure a Router.
type RouterOptions struct {
	// Clusters are served by name; one with the name "" is the only cluster
	// of a single-cluster install.
	Clusters []RoutedCluster
	// Channels binds channel IDs to cluster names.
	Channels map[string]string
	// IBM lists the account's clusters for the clusters command; default:
	// the first cluster's Service's.
	IBM    *ibmcloud.Client
	Logger *slog.Logger
}

// NewRouter returns a Router; every channel must name one of the clusters,
// and an unnamed cluster must be the only one.
func NewRouter(o RouterOptions) (*Router, error) {
	if len(o.Clusters) == 0 {
		return nil, fmt.Errorf("a router needs at least one cluster")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Router{clusters: map[string]*RoutedCluster{}, channels: o.Channels, ibm: o.IBM, logger: o.Logger}
	for i := range o.Clusters {
		c := &o.Clusters[i]
		name := c.Member.Name
		if _, dup := r.clusters[name]; dup || (name == "" && len(o.Clusters) > 1) {
			return nil, fmt.Errorf("cluster %q is given twice, or an unnamed cluster is not the only one", name)
		}
		r.clusters[name] = c
	}
	r.names = fleet.Names(r.members())
	if r.ibm == nil { // every Service has one, pullcheck's key's or none
		r.ibm = r.any().IBM
	}
	for ch, name := range o.Channels {
		if _, ok := r.clusters[name]; !ok {
			return nil, fmt.Errorf("channel %s is bound to %q, which is no cluster (clusters: %s)", ch, name, strings.Join(r.names, ", "))
		}
	}
	return r, nil
}

// multi reports whether the clusters have names (commands must say which).
func (r *Router) multi() bool { _, single := r.clusters[""]; return !single }

func (r *Router) members() []*fleet.Member {
	out := make([]*fleet.Member, 0, len(r.clusters))
	for _, c := range r.clusters {
		out = append(out, c.Member)
	}
	return out
}

// Clusters are the clusters it serves, sorted by name.
func (r *Router) Clusters() []*RoutedCluster { return r.ordered() }

// ordered are the clusters sorted by name.
func (r *Router) ordered() []*RoutedCluster {
	out := make([]*RoutedCluster, len(r.names))
	for i, n := range r.names {
		out[i] = r.clusters[n]
	}
	return out
}

// Handle sends a request to its cluster's Service. Requests that concern
// no cluster (usage, help, quota: the account's) go to any of them.
func (r *Router) Handle(ctx context.Context, req Request, out Output) error {
	cmd, err := Parse(req.Text)
	if err != nil || cmd.Verb == Quota {
		return r.any().Handle(ctx, req, out)
	}
	switch cmd.Verb {
	case Help:
		err := r.any().Handle(ctx, req, out)
		if r.multi() {
			_ = r.note(ctx, out, fmt.Sprintf("pullcheck serves the clusters %s: %s", strings.Join(r.names, ", "), ClusterGrammar))
		}
		return err
	case Clusters:
		return r.survey(ctx, out)
	}
	c, err := r.Resolve(req, cmd)
	if err != nil {
		return r.refuse(ctx, out, err)
	}
	if !r.multi() {
		return c.Service.Handle(ctx, req, out)
	}
	if err := c.Member.Health.Check(ctx); err != nil {
		r.logger.Warn("a cluster does not answer", "cluster", c.Member.Name, "err", err)
		return r.refuse(ctx, out, err)
	}
	cmd.Cluster = ""
	req.Text = cmd.String()
	return c.Service.Handle(ctx, req, clusterOutput{out: out, cluster: c.Member.Name})
}

// Resolve finds a command's cluster: the one it names, else its channel's,
// else the only one. The error is a *UsageError that lists the choices.
func (r *Router) Resolve(req Request, cmd Command) (*RoutedCluster, error) {
	switch {
	case cmd.Cluster != "" && !r.multi():
		return nil, usagef("pullcheck serves one cluster here; drop %q from the command (example: %s)", clip(cmd.Cluster), Command{Verb: cmd.Verb, Ref: cmd.Ref,
			Namespace: cmd.Namespace, Image: cmd.Image, Action: cmd.Action})
	case cmd.Cluster != "":
		if c, ok := r.clusters[cmd.Cluster]; ok {
			return c, nil
		}
		return nil, usagef("pullcheck serves no cluster %q; the clusters are %s", clip(cmd.Cluster), strings.Join(r.names, ", "))
	}
	if name, ok := r.channels[req.Channel]; ok && req.Channel != "" {
		return r.clusters[name], nil
	}
	if len(r.clusters) == 1 {
		return r.ordered()[0], nil
	}
	example := cmd
	example.Cluster = r.names[0]
	return nil, usagef("which cluster? pullcheck serves %s: name one first (example: %s), or ask in a channel bound to one",
		strings.Join(r.names, ", "), example)
}

// any is the Service for requests that concern no cluster.
func (r *Router) any() *Service { return r.ordered()[0].Service }

// refuse answers a request the Router cannot send on.
func (r *Router) refuse(ctx context.Context, out Output, err error) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	kind, text := FailureReply, "pullcheck hit an internal error"
	var ue UserError
	if errors.As(err, &ue) {
		text = ue.UserMessage()
		if _, usage := ue.(*UsageError); usage {
			kind = UsageReply
		}
	}
	_ = out.Private(ctx, Private{Kind: kind, Text: text})
	return err
}

func (r *Router) note(ctx context.Context, out Output, text string) error {
	ctx, cancel := replyContext(ctx)
	defer cancel()
	return out.Private(ctx, Private{Kind: InfoReply, Text: text})
}

// Stop stops every cluster's follow-ups.
func (r *Router) Stop() {
	for _, c := range r.clusters {
		c.Service.Stop()
	}
}

// Wait waits for every cluster's follow-ups.
func (r *Router) Wait() {
	for _, c := range r.clusters {
		c.Service.Wait()
	}
}
