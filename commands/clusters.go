package commands

import (
	"context"
	"strings"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/fleet"
)

// survey answers the clusters command: the clusters pullcheck serves,
// which of the account's clusters each is, its pull-secret state, and the
// account's clusters it does not serve.
func (r *Router) survey(ctx context.Context, out Output) error {
	ctx, cancel := context.WithTimeout(ctx, r.any().Timeout)
	defer cancel()
	members := make([]*fleet.Member, 0, len(r.names))
	for _, c := range r.ordered() {
		members = append(members, c.Member)
	}
	s := fleet.Take(ctx, r.ibm, members)
	if s.ListErr != nil {
		r.logger.Warn("listing the account's clusters", "err", s.ListErr)
	}
	return r.note(ctx, out, strings.Join(s.Lines(), "\n"))
}

// OffersIn makes offers act in a cluster: each button's command names it,
// so that a click lands in the cluster the offer was made for, whatever
// channel it is clicked in. With cluster "" it returns offers as they are.
func OffersIn(cluster string, offers []Offer) []Offer {
	if cluster == "" || len(offers) == 0 {
		return offers
	}
	out := make([]Offer, len(offers))
	for i, o := range offers {
		if cmd, err := Parse(o.Value); err == nil && arity[cmd.Verb] != nil {
			cmd.Cluster = cluster
			o.Value = cmd.String()
		}
		out[i] = o
	}
	return out
}

// clusterOutput is the Output of a request routed to a named cluster: its
// conversations name the cluster, its offers act in it, and its failures
// say which cluster they come from.
type clusterOutput struct {
	out     Output
	cluster string
}

func (o clusterOutput) Private(ctx context.Context, m Private) error {
	if m.Kind == FailureReply || m.Kind == InfoReply {
		m.Text = "cluster " + o.cluster + ": " + m.Text
	}
	return o.out.Private(ctx, m)
}

func (o clusterOutput) Open(ctx context.Context, kind, target string) (Conversation, error) {
	c, err := o.out.Open(ctx, kind, target+" in cluster "+o.cluster)
	if err != nil {
		return nil, err
	}
	return clusterConversation{Conversation: c, cluster: o.cluster}, nil
}

func (o clusterOutput) Resume(ctx context.Context) (Conversation, bool) {
	c, ok := o.out.Resume(ctx)
	if !ok {
		return nil, false
	}
	return clusterConversation{Conversation: c, cluster: o.cluster}, true
}

// clusterConversation makes a conversation's offers act in its cluster.
type clusterConversation struct {
	Conversation
	cluster string
}

func (c clusterConversation) Verdict(ctx context.Context, rep *diagnose.Report, offers []Offer) error {
	return c.Conversation.Verdict(ctx, rep, OffersIn(c.cluster, offers))
}

// Audit names the cluster a fix changed.
func (c clusterConversation) Audit(ctx context.Context, user string, res fix.Result) error {
	res.Summary = "in cluster " + c.cluster + ": " + res.Summary
	return c.Conversation.Audit(ctx, user, res)
}
