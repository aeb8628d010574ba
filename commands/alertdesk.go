package commands

import (
	"context"
	"time"
)

// AlertDesk records what on-call does about a posted alert, from whichever
// replica got the click; the alerts package implements it. Its errors
// that users may see implement UserError ("this alert was resolved").
type AlertDesk interface {
	// Acknowledge records user as the one on the alert.
	Acknowledge(ctx context.Context, alert AlertRef, user string) error
	// Mute silences, for d, the alert's workload and cause (a storm's:
	// its cause in its channel): they post no new alert meanwhile.
	Mute(ctx context.Context, alert AlertRef, user string, d time.Duration) error
}

// alertAction acknowledges or mutes an alert, for on-call only. It changes
// only pullcheck's own state, so read-only mode allows it. The alert's
// message shows the change once the leader has taken it in.
func (s *Service) alertAction(ctx context.Context, req Request, cmd Command, out Output) error {
	if s.Alerts == nil {
		return s.private(ctx, out, RefusalReply, "alerts are off here, so there is no alert to acknowledge or mute")
	}
	if ok, err := s.authoriseOnCall(ctx, req.User, "acknowledge or mute alerts", out); !ok {
		return err
	}
	text := "acknowledged: the alert shows that you are on it"
	var err error
	if cmd.Verb == Ack {
		err = s.Alerts.Acknowledge(ctx, cmd.Alert, req.User)
	} else {
		err = s.Alerts.Mute(ctx, cmd.Alert, req.User, cmd.For)
		text = "muted for " + muteWords(cmd.For) + ": its workload and cause post no new alert until then, or until the cause changes"
	}
	if err != nil {
		return err
	}
	return out.Private(ctx, Private{Kind: InfoReply, Text: text})
}

// muteWords says how long a mute lasts: "1 hour", "1 day".
func muteWords(d time.Duration) string {
	switch d {
	case time.Hour:
		return "1 hour"
	case 24 * time.Hour:
		return "1 day"
	}
	return d.String()
}
