package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
)

// Notifier posts alerts through the outbox: per channel, in order, paced to
// Slack's rate, retried through outages. It uses a client without built-in
// retries, so that 429s reach the outbox.
type Notifier struct {
	b   *Bot
	api *slack.Client
	box *outbox.Outbox
}

var (
	_ alerts.Notifier = (*Notifier)(nil)
	_ sweep.Notifier  = (*Notifier)(nil)
)

// NewNotifier returns the alerts' Notifier of this bot.
func (b *Bot) NewNotifier(box *outbox.Outbox) *Notifier {
	opts := []slack.Option{slack.OptionHTTPClient(b.cfg.HTTPClient)}
	if b.cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(b.cfg.APIURL))
	}
	return &Notifier{b: b, api: slack.New(b.cfg.BotToken, opts...), box: box}
}

// post sends one message (in a thread when root is set) and returns its ts.
func (n *Notifier) post(ctx context.Context, channel, root string, m blocks.Message) (string, error) {
	opts := m.MsgOptions()
	if root != "" {
		opts = append(opts, slack.MsgOptionTS(root))
	}
	// Send may give up waiting (ctx) while the outbox still delivers the op
	// later: the op's result is handed over under a lock.
	var mu sync.Mutex
	var ts string
	err := n.box.Send(ctx, channel, func(ctx context.Context) error {
		_, got, err := n.api.PostMessageContext(ctx, channel, opts...)
		mu.Lock()
		ts = got
		mu.Unlock()
		return err
	})
	mu.Lock()
	defer mu.Unlock()
	return ts, err
}

// Incident posts the alert, its checks in one reply folded as a finished
// diagnosis's are (with "Show all checks"), and the verdict with the fix
// buttons (clicks take the /pullcheck path).
func (n *Notifier) Incident(ctx context.Context, channel string, a alerts.IncidentAlert) (alerts.Thread, error) {
	if a.Report == nil {
		return alerts.Thread{}, fmt.Errorf("an incident of %s has no report", a.Workload)
	}
	root, err := n.post(ctx, channel, "", incidentRoot(a))
	if err != nil {
		return alerts.Thread{}, fmt.Errorf("posting the alert: %w", err)
	}
	th := alerts.Thread{Channel: channel, TS: root}
	ts, err := n.post(ctx, channel, root, blocks.Checks(a.Report, showAllButton(a.Report.Request)))
	if err != nil {
		return th, fmt.Errorf("posting the checks: %w", err)
	}
	n.b.reports.put(channel+"/"+ts, a.Report)
	return th, n.verdict(ctx, th, a.Report, a.Offers)
}

// verdict posts the report's verdict and fix buttons in the thread; the
// buttons' block ID carries the thread's root, as for /pullcheck.
func (n *Notifier) verdict(ctx context.Context, th alerts.Thread, rep *diagnose.Report, offers []commands.Offer) error {
	m := blocks.Verdict(rep, buttons(offers)).WithActionsID(fixBlockPrefix + th.TS)
	ts, err := n.post(ctx, th.Channel, th.TS, m)
	if err != nil {
		return fmt.Errorf("posting the verdict: %w", err)
	}
	n.b.posted.put(th.Channel+"/"+ts, m)
	return nil
}

// Storm posts one grouped alert: the counts and top names, every workload
// in the thread, and the verdict of one member with its fixes.
func (n *Notifier) Storm(ctx context.Context, channel string, s alerts.StormAlert) (alerts.Thread, error) {
	root, err := n.post(ctx, channel, "", stormMessage(s))
	if err != nil {
		return alerts.Thread{}, fmt.Errorf("posting the storm alert: %w", err)
	}
	th := alerts.Thread{Channel: channel, TS: root}
	for _, m := range blocks.Listing(fmt.Sprintf("All %d workloads", len(s.Workloads)), s.Workloads) {
		if _, err := n.post(ctx, channel, root, m); err != nil {
			return th, fmt.Errorf("posting the storm's list: %w", err)
		}
	}
	if s.Representative == nil {
		return th, nil
	}
	return th, n.verdict(ctx, th, s.Representative, s.Offers)
}

func stormMessage(s alerts.StormAlert) blocks.Message {
	summary, namespaces := s.Summary, s.Namespaces
	if s.Cluster != "" {
		summary = "In cluster " + s.Cluster + ": " + summary
		namespaces = make([]string, len(s.Namespaces))
		for i, ns := range s.Namespaces {
			namespaces[i] = s.Cluster + "/" + ns
		}
	}
	return blocks.Storm(string(s.Cause), summary, s.Pods, s.Incidents, namespaces, s.Workloads).
		WithAlertStatus(alertStatus(s.Ack, s.Mute), alertButtons(s.Actions))
}

// inCluster names what an alert is about, and its cluster when pullcheck
// serves several.
func inCluster(cluster, what string) string {
	if cluster == "" {
		return what
	}
	return what + " in cluster " + cluster
}

// UpdateStorm refreshes the storm's counts and names the newcomers.
func (n *Notifier) UpdateStorm(ctx context.Context, th alerts.Thread, s alerts.StormAlert, added []string) error {
	m := stormMessage(s)
	err := n.box.Send(ctx, th.Channel, func(ctx context.Context) error {
		_, _, _, err := n.api.UpdateMessageContext(ctx, th.Channel, th.TS, m.MsgOptions()...)
		return err
	})
	if err != nil {
		return fmt.Errorf("updating the storm alert: %w", err)
	}
	for _, msg := range blocks.Listing(fmt.Sprintf("%d more workload(s)", len(added)), added) {
		if _, err := n.post(ctx, th.Channel, th.TS, msg); err != nil {
			return err
		}
	}
	return nil
}

// Reply posts a line in an alert's thread.
func (n *Notifier) Reply(ctx context.Context, th alerts.Thread, text string) error {
	_, err := n.post(ctx, th.Channel, th.TS, blocks.Note(text))
	return err
}

// Sweep posts a sweep's finding; its fix buttons answer in the message's
// own thread.
func (n *Notifier) Sweep(ctx context.Context, channel string, f sweep.Finding) error {
	m := blocks.SweepFinding(f.Severity, f.Title, f.Lines, buttons(f.Offers))
	ts, err := n.post(ctx, channel, "", m)
	if err == nil && len(f.Offers) > 0 {
		n.b.posted.put(channel+"/"+ts, m)
	}
	return err
}
