package preflight

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Subject is one question a preflight asks: could a new pod in Namespace,
// running as ServiceAccount and listing PullSecrets, pull Image on nodes
// of Platforms now?
type Subject struct {
	Namespace string
	Image     string
	// Container names the pod's container in the report; it is not part
	// of the question (subjects that differ only in it share a diagnosis).
	Container string
	// ServiceAccount "" is "default".
	ServiceAccount string
	// PullSecrets are the pod's own imagePullSecrets; without them the pod
	// gets its service account's.
	PullSecrets []string
	// Platforms are the platforms of the nodes the pod may run on ("linux/amd64");
	// nil means every node of the cluster.
	Platforms []string
}

// Request is the diagnosis request of s.
func (s Subject) Request() diagnose.Request {
	return diagnose.Request{Namespace: s.Namespace, Image: s.Image, Container: s.Container, ServiceAccount: s.ServiceAccount,
		PullSecrets: s.PullSecrets, Platforms: s.Platforms}
}

// String is "image in namespace".
func (s Subject) String() string { return s.Request().String() }

// key identifies the subjects that share one diagnosis.
func (s Subject) key() string {
	return strings.Join([]string{s.Namespace, s.Image, orElse(s.ServiceAccount, "default"),
		strings.Join(s.PullSecrets, ","), strings.Join(s.Platforms, ",")}, "\x00")
}

// Checker turns subjects into diagnoses. It is safe for concurrent use.
type Checker struct {
	engine *diagnose.Engine
	kube   kubernetes.Interface

	// fixed, when set, are the node platforms: the nodes are not read.
	fixed []string
	// offline pulls with the docker config's credentials (see NewOffline).
	offline *offline
	timeout time.Duration

	nodesOnce sync.Once
	nodes     []node
	nodesErr  error
}

// Option configures a Checker.
type Option func(*Checker)

// WithPlatforms makes platforms ("linux/amd64") the cluster's node
// platforms instead of reading the nodes (the default).
func WithPlatforms(platforms []string) Option {
	return func(c *Checker) { c.fixed = append([]string(nil), platforms...) }
}

// WithTimeout bounds each diagnosis by d; the default is the caller's
// context alone.
func WithTimeout(d time.Duration) Option { return func(c *Checker) { c.timeout = d } }

// NewChecker returns a Checker diagnosing with eng; it reads the cluster's
// nodes through kube (nil: no nodes, so linux/amd64 is assumed).
func NewChecker(eng *diagnose.Engine, kube kubernetes.Interface, opts ...Option) *Checker {
	c := &Checker{engine: eng, kube: kube}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Check diagnoses s: the one path from "an image in a namespace, for a
// service account and pull secrets" to a diagnosis, for pullcheck
// preflight and the chat command "image". emit, when not nil, receives
// each result as diagnose.Engine.Diagnose emits it.
func (c *Checker) Check(ctx context.Context, s Subject, emit func(diagnose.Result)) *diagnose.Report {
	if s.Platforms == nil {
		s.Platforms = c.platforms(ctx, placement{})
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	return c.engine.Diagnose(ctx, s.Request(), emit)
}

// platforms are the node platforms for a pod placed by p.
func (c *Checker) platforms(ctx context.Context, p placement) []string {
	nodes, _ := c.readNodes(ctx)
	return p.platforms(nodes)
}

// readNodes reads the cluster's nodes once; fixed platforms stand for
// one node each.
func (c *Checker) readNodes(ctx context.Context) ([]node, error) {
	c.nodesOnce.Do(func() {
		switch {
		case len(c.fixed) > 0:
			c.nodes = platformNodes(c.fixed)
		case c.kube == nil:
			c.nodesErr = errors.New("no cluster")
		default:
			c.nodes, c.nodesErr = readNodes(ctx, c.kube)
		}
	})
	return c.nodes, c.nodesErr
}
