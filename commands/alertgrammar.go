package commands

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Verbs of what on-call does about an alert; they reach pullcheck through
// the buttons of an alert's root message: "ack incident 3f2a9c1b7d0e",
// "mute storm 9c1b7d0e3f2a 1d".
const (
	Ack  Verb = "ack"
	Mute Verb = "mute"
)

// Kinds of alerts.
const (
	IncidentAlert = "incident"
	StormAlert    = "storm"
)

// AlertRef names a posted alert: an incident or a storm, by its ID.
type AlertRef struct {
	Kind string // IncidentAlert or StormAlert
	ID   string
}

// String is "incident 3f2a9c1b7d0e".
func (r AlertRef) String() string { return r.Kind + " " + r.ID }

// Actions of the offers on an alert's root message.
const (
	AckAction      diagnose.Action = "ack"
	MuteHourAction diagnose.Action = "mute-1h"
	MuteDayAction  diagnose.Action = "mute-1d"
)

// muteFor are the lengths a mute may have, by their word in the grammar.
var muteFor = map[string]time.Duration{"1h": time.Hour, "1d": 24 * time.Hour}

// alertID matches the IDs pullcheck gives alerts (hex, dormant ones with
// a leading "~" and base64url).
var alertID = regexp.MustCompile(`^~?[A-Za-z0-9_-]{1,32}$`)

// AlertOffers are the buttons of an alert's root message: acknowledge,
// and mute for an hour or a day. They change only pullcheck's own state,
// so read-only mode keeps them.
func AlertOffers(alert AlertRef) []Offer {
	ack := Command{Verb: Ack, Alert: alert}
	hour := Command{Verb: Mute, Alert: alert, For: time.Hour}
	day := Command{Verb: Mute, Alert: alert, For: 24 * time.Hour}
	return []Offer{{Action: AckAction, Title: "Acknowledge", Value: ack.String()},
		{Action: MuteHourAction, Title: "Mute 1 h", Value: hour.String()},
		{Action: MuteDayAction, Title: "Mute 1 day", Value: day.String()}}
}

// parseAlert reads "ack <kind> <id>" and "mute <kind> <id> <1h|1d>".
func parseAlert(v Verb, args []string) (Command, error) {
	want := 2
	if v == Mute {
		want = 3
	}
	if len(args) != want {
		return Command{}, usagef("%s expects %s (example: %s)", v, alertUsage(v), alertExample(v))
	}
	c := Command{Verb: v, Alert: AlertRef{Kind: strings.ToLower(args[0]), ID: args[1]}}
	if c.Alert.Kind != IncidentAlert && c.Alert.Kind != StormAlert {
		return Command{}, usagef("%q is not an alert kind (incident or storm)", clip(args[0]))
	}
	if !alertID.MatchString(c.Alert.ID) {
		return Command{}, usagef("%q is not an alert ID", clip(args[1]))
	}
	if v == Mute {
		d, ok := muteFor[strings.ToLower(args[2])]
		if !ok {
			return Command{}, usagef("an alert is muted for 1h or 1d, not %q", clip(args[2]))
		}
		c.For = d
	}
	return c, nil
}

func alertUsage(v Verb) string {
	if v == Mute {
		return "<incident|storm> <id> <1h|1d>"
	}
	return "<incident|storm> <id>"
}

func alertExample(v Verb) string {
	if v == Mute {
		return "mute incident 3f2a9c1b7d0e 1h"
	}
	return "ack incident 3f2a9c1b7d0e"
}

// alertString is the canonical text of an ack or mute command.
func (c Command) alertString() string {
	if c.Verb == Ack {
		return fmt.Sprintf("ack %s", c.Alert)
	}
	word := "1h"
	if c.For == 24*time.Hour {
		word = "1d"
	}
	return fmt.Sprintf("mute %s %s", c.Alert, word)
}
