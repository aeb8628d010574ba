package commands

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/internal/egress"
)

// Service is the one path every request takes, typed, mentioned, clicked or
// from the CLI: parse, authorise, run, reply. Create it with New; its
// fields are as Options describe them, defaults applied.
type Service struct {
	Engine *diagnose.Engine
	// ImageEngine diagnoses the images users type: Engine with a registry
	// prober that Images guards.
	ImageEngine *diagnose.Engine
	// Images decides which registries the image command may probe.
	Images *egress.Policy
	Kube   kubernetes.Interface
	IBM    *ibmcloud.Client
	Fixes  *fix.Set
	Auth   *Authorizer
	// Access decides which namespaces each chat channel may reach.
	Access *Access
	// ReadOnly offers no fixes and refuses them.
	ReadOnly bool
	// Timeout bounds each request, and each diagnosis of a follow-up.
	Timeout time.Duration
	Logger  *slog.Logger
	// Follow is how long and how often a fixed pod is watched.
	Follow FollowOptions
	// Now is the clock.
	Now func() time.Time
	// OnReport, when set, hears of every finished diagnosis (metrics).
	OnReport func(*diagnose.Report)
	// Alerts records acknowledgements and mutes of alerts; nil: alerts are off.
	Alerts AlertDesk

	// Claims records who applies a clicked button's fix, so that a double
	// click applies it once; nil keeps the claims in this process, which
	// holds for one replica only (NewConfigMapClaims holds across replicas).
	Claims Claims
	local  localClaims
	wg     sync.WaitGroup

	mu       sync.Mutex
	stopping bool
	follows  map[string]*followUp // pod -> its running follow-up
}

// FollowOptions bound the watch on a pod after a fix.
type FollowOptions struct {
	Interval time.Duration // default 2 s
	Timeout  time.Duration // default 5 min
	// Off skips the re-diagnosis and the watch (a CLI run that does not wait).
	Off bool
}

// Request is one request from a user.
type Request struct {
	// User is who asks (a chat user ID, or "cli").
	User string
	// Channel is the chat channel the request came from, which Access
	// bounds (and which may be bound to a cluster); empty for the CLI,
	// which it does not bound.
	Channel string
	// Text is the command text or a button's value.
	Text string
	// Claim identifies the clicked message, so that concurrent clicks on it
	// apply a fix once; empty for typed commands.
	Claim string
	// DryRun asks fixes to change nothing (Kubernetes server-side dry run).
	DryRun bool
}

// Handle serves one request within the Service's timeout. Every answer
// goes to out, also after the deadline; the returned error is only for the
// caller's logs (the user has been told, with a reference).
func (s *Service) Handle(ctx context.Context, req Request, out Output) error {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	out = graceOutput{out}
	cmd, err := Parse(req.Text)
	if err != nil {
		return s.private(ctx, out, UsageReply, err.Error())
	}
	if err := s.authorize(req, cmd); err != nil {
		return s.fail(ctx, out, err)
	}
	switch cmd.Verb {
	case Help:
		return s.private(ctx, out, HelpReply, Grammar)
	case Pod:
		return s.fail(ctx, out, s.diagnosePod(ctx, diagnose.Request{Namespace: cmd.Ref.Namespace, Pod: cmd.Ref.Name}, out))
	case Image:
		if err := s.checkImage(ctx, cmd.Image); err != nil {
			return s.fail(ctx, out, err)
		}
		return s.fail(ctx, out, s.diagnoseImage(ctx, cmd, out))
	case Deployment, Namespace:
		return s.fail(ctx, out, s.diagnoseGroup(ctx, cmd, out))
	case Quota:
		return s.fail(ctx, out, s.quota(ctx, cmd, out))
	case Fix:
		return s.fail(ctx, out, s.fix(ctx, req, cmd, out))
	case FixIt:
		return s.fail(ctx, out, s.fixIt(ctx, req, cmd, out))
	case Ack, Mute:
		return s.fail(ctx, out, s.alertAction(ctx, req, cmd, out))
	}
	return s.private(ctx, out, UsageReply, "unknown command")
}

// authorize is where channel bindings apply, to every verb: the namespace
// a command reaches must be bound to the channel it came from, for the
// right it needs. A refusal changes nothing and is told only to the
// requester. Requests without a channel (the CLI) are not bound.
func (s *Service) authorize(req Request, cmd Command) error {
	if req.Channel == "" || s.Access == nil {
		return nil
	}
	right, ns := RightDiagnose, ""
	switch cmd.Verb {
	case Help:
		return nil
	case Pod, Deployment:
		ns = cmd.Ref.Namespace
	case Namespace, Image:
		ns = cmd.Namespace
	case Fix:
		right, ns = RightFix, cmd.Ref.Namespace
	case Quota:
		if s.Access.AllowsAny(req.Channel, right) {
			return nil
		}
		return s.Access.refusal(req.Channel, right, "")
	}
	if s.Access.Allows(req.Channel, right, ns) {
		return nil
	}
	return s.Access.refusal(req.Channel, right, ns)
}

// Wait waits for background follow-ups to finish (for shutdown and tests).
func (s *Service) Wait() { s.wg.Wait() }

// Stop cancels every follow-up; Wait then returns promptly.
func (s *Service) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopping = true
	for _, f := range s.follows {
		f.cancel()
	}
}

// followContext starts the follow-up of a pod, superseding an earlier one:
// a second fix in the same thread restarts the watch.
func (s *Service) followContext(key string, d time.Duration) (context.Context, func(), bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil, nil, false
	}
	if s.follows == nil {
		s.follows = map[string]*followUp{}
	}
	if old, ok := s.follows[key]; ok {
		old.cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	f := &followUp{cancel: cancel}
	s.follows[key] = f
	return ctx, func() {
		cancel()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.follows[key] == f {
			delete(s.follows, key)
		}
	}, true
}

// followUp is one running watch of a pod after a fix.
type followUp struct{ cancel context.CancelFunc }

func (s *Service) private(ctx context.Context, out Output, kind PrivateKind, text string) error {
	return out.Private(ctx, Private{Kind: kind, Text: text})
}

func errorf(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }
