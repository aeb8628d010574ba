package blocks

import "time"

// AlertStatus is what on-call did about an alert, shown on its root
// message: who acknowledged it, and who muted it until when. The users are
// Slack user IDs pullcheck got from Slack (who clicked).
type AlertStatus struct {
	AckBy      string
	MutedBy    string
	MutedUntil time.Time
}

// alertActionsID names the actions block of an alert's root message.
const alertActionsID = "pullcheck-alert"

// WithAlertStatus is an alert's root message (AlertRoot, Storm) with its
// status line, when on-call did anything about it, and its buttons
// (acknowledge, mute) below. A message that has them already gets them
// replaced, so that the message can be shown anew as the status changes.
func (m Message) WithAlertStatus(st AlertStatus, buttons []Button) Message {
	out := Message{text: m.text}
	for _, bl := range m.blocks {
		if bl.ID() != alertActionsID && bl.ID() != alertStatusID {
			out.blocks = append(out.blocks, bl)
		}
	}
	if line := statusLine(st); !line.blank() {
		c := contextLine(line)
		c.BlockID = alertStatusID
		out.blocks = append(out.blocks, c)
	}
	if a, notes := actions(buttons); a != nil {
		a.BlockID = alertActionsID
		out.blocks = append(out.blocks, a)
		for _, n := range notes {
			out.blocks = append(out.blocks, contextLine(n))
		}
	}
	return out
}

// alertStatusID names the status line of an alert's root message.
const alertStatusID = "pullcheck-alert-status"

// statusLine says who acknowledged and who muted an alert until when.
func statusLine(st AlertStatus) mrkdwn {
	var parts []mrkdwn
	if st.AckBy != "" {
		parts = append(parts, textf(":eyes: acknowledged by %s", mention(st.AckBy)))
	}
	if st.MutedBy != "" {
		parts = append(parts, textf(":mute: muted until %s by %s: no new alert of this cause until then",
			st.MutedUntil.UTC().Format("Jan 2 15:04 MST"), mention(st.MutedBy)))
	}
	return join(parts, " · ")
}
