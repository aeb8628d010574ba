package bot

import (
	"context"
	"fmt"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/commands"
)

// alertStatus is what on-call did about an alert, for its root message.
func alertStatus(ack *alerts.Ack, mute *alerts.Mute) blocks.AlertStatus {
	var st blocks.AlertStatus
	if ack != nil {
		st.AckBy = ack.By
	}
	if mute != nil {
		st.MutedBy, st.MutedUntil = mute.By, mute.Until
	}
	return st
}

// alertButtons renders the buttons of an alert's root message; their
// action IDs start with "alert-", their values are commands.
func alertButtons(offers []commands.Offer) []blocks.Button {
	out := make([]blocks.Button, 0, len(offers))
	for _, o := range offers {
		out = append(out, blocks.Button{ActionID: "alert-" + string(o.Action), Text: o.Title, Value: o.Value,
			Primary: o.Action == commands.AckAction})
	}
	return out
}

// incidentRoot is an incident alert's root message.
func incidentRoot(a alerts.IncidentAlert) blocks.Message {
	return blocks.AlertRoot(inCluster(a.Cluster, a.Workload), a.Pods, a.Report).WithAlertStatus(alertStatus(a.Ack, a.Mute), alertButtons(a.Actions))
}

// UpdateIncident shows an incident alert's root message anew, with who
// acknowledged it and until when it is muted.
func (n *Notifier) UpdateIncident(ctx context.Context, th alerts.Thread, a alerts.IncidentAlert) error {
	m := incidentRoot(a)
	err := n.box.Send(ctx, th.Channel, func(ctx context.Context) error {
		_, _, _, err := n.api.UpdateMessageContext(ctx, th.Channel, th.TS, m.MsgOptions()...)
		return err
	})
	if err != nil {
		return fmt.Errorf("updating the alert: %w", err)
	}
	return nil
}
