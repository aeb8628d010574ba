package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/bot/blocks"
)

// HomeSources are what the App Home tab shows, read on whichever replica
// Slack hands the event to: the states the leader saves, and pullcheck's
// configuration.
type HomeSources struct {
	// Alerts is the incident state (alerts.NewConfigMapStore); nil: alerts
	// are off.
	Alerts alerts.Store
	// Sweeps is the sweeps' state (sweep.NewConfigMapStore); nil: sweeps
	// are off.
	Sweeps sweep.Store
	// OnCallUsers and OnCallGroups are Slack user and user-group IDs.
	OnCallUsers, OnCallGroups []string
	// Cluster names the cluster pullcheck serves, when known.
	Cluster string
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// event serves an Events API event: the Home tab opened, or a mention.
func (b *Bot) event(ctx context.Context, evt socketmode.Event, ev slackevents.EventsAPIEvent) {
	h, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok {
		b.mention(ctx, evt, ev)
		return
	}
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && !b.seen.add(cb.EventID) {
		return // a redelivery
	}
	if h.Tab != "home" || b.cfg.Home == nil {
		return
	}
	user := h.User
	select {
	case b.jobs <- job{run: func(ctx context.Context) { b.publishHome(ctx, user) }}:
	default:
		b.log.Warn("busy: a Home tab is not refreshed", "user", user)
	}
}

// publishHome shows user the App Home as it is now.
func (b *Bot) publishHome(ctx context.Context, user string) {
	view := blocks.HomeView(b.cfg.Home.read(ctx, b))
	if _, err := b.api.PublishViewContext(ctx, view.Publish(user)); err != nil {
		b.log.Warn("publishing the Home tab", "user", user, "err", err)
	}
}

// read gathers what the Home tab shows; what cannot be read is said so.
func (hs *HomeSources) read(ctx context.Context, b *Bot) blocks.Home {
	now := time.Now()
	if hs.Now != nil {
		now = hs.Now()
	}
	h := blocks.Home{Now: now, OnCallUsers: hs.OnCallUsers, OnCallGroups: hs.OnCallGroups}
	if hs.Alerts == nil {
		h.AlertsNote = "Alerts are off here (PULLCHECK_ALERT_CHANNEL is not set)."
	} else if open, err := alerts.LoadOpen(ctx, hs.Alerts, now); err != nil {
		b.log.Warn("reading the open alerts for the Home tab", "err", err)
		h.AlertsNote = "The open alerts could not be read just now; open the tab again in a moment."
	} else {
		for _, o := range open {
			h.Alerts = append(h.Alerts, homeAlert(o, hs.Cluster))
		}
	}
	if hs.Sweeps == nil {
		h.SweepsNote = "Sweeps are off here."
	} else if st, err := hs.Sweeps.Load(ctx); err != nil {
		b.log.Warn("reading the sweeps for the Home tab", "err", err)
		h.SweepsNote = "The sweeps' results could not be read just now; open the tab again in a moment."
	} else {
		for _, r := range sweep.Results(st) {
			h.Sweeps = append(h.Sweeps, blocks.HomeSweep{Severity: r.Severity, Text: r.Text})
		}
	}
	return h
}

// homeAlert is an open alert as the Home tab lists it.
func homeAlert(o alerts.Open, cluster string) blocks.HomeAlert {
	a := blocks.HomeAlert{Cause: string(o.Cause), Summary: o.Summary, Workloads: o.Workloads, Incidents: o.Incidents,
		Cluster: cluster, Pods: o.Pods, Opened: o.Opened, Held: !o.Posted}
	st := alertStatus(o.Ack, o.Mute)
	a.AckBy, a.MutedBy, a.MutedUntil = st.AckBy, st.MutedBy, st.MutedUntil
	return a
}
