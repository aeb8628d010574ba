package blocks

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// Button is a fix or rerun button. Package commands decides which buttons
// exist and what their values (pre-typed commands) are; blocks only renders
// them.
//
// ActionID should be unique within a message: Slack rejects duplicates, so a
// repeated ActionID is sent with a suffix ("-2", "-3") and an empty one as
// "button-N". A Danger button always gets a confirm dialog, Confirm or not.
type Button struct {
	ActionID, Text, Value string
	Danger, Primary       bool
	Confirm               *Confirm
}

// Confirm is Slack's confirm dialog shown before a button's action is sent.
// Empty fields get neutral defaults.
type Confirm struct{ Title, Text, OK, Deny string }

// actionsBlockID names the verdict's actions block, so that handlers and
// chat.update can find it.
const actionsBlockID = "pullcheck-fixes"

// actions renders buttons as one actions block, or nil when none can be
// shown, and notes about the buttons left out.
func actions(buttons []Button) (*slack.ActionBlock, []mrkdwn) {
	var (
		elems []slack.BlockElement
		notes []mrkdwn
		ids   = map[string]bool{}
	)
	for i, b := range buttons {
		if len(elems) == maxActionElems {
			notes = append(notes, textf("%d more buttons not shown; run the fixes by command.", len(buttons)-i))
			break
		}
		if runes(b.Value) > maxButtonValue {
			notes = append(notes, textf("Button %s not shown: its command is longer than Slack allows.",
				code(plain(b.Text, "(unnamed)", maxButtonText), 100)))
			continue
		}
		elems = append(elems, button(b, uniqueID(b.ActionID, i, ids)))
	}
	if len(elems) == 0 {
		return nil, notes
	}
	return slack.NewActionBlock(actionsBlockID, elems...), notes
}

// button renders one button; a danger button always asks for confirmation.
func button(b Button, actionID string) *slack.ButtonBlockElement {
	el := slack.NewButtonBlockElement(actionID, strings.ToValidUTF8(b.Value, "\uFFFD"),
		plainText(plain(b.Text, "Apply", maxButtonText)))
	switch {
	case b.Danger:
		el.WithStyle(slack.StyleDanger)
	case b.Primary:
		el.WithStyle(slack.StylePrimary)
	}
	if b.Confirm != nil || b.Danger {
		el.WithConfirm(confirm(b))
	}
	return el
}

// confirm renders a button's confirm dialog, filling what the caller left
// empty.
func confirm(b Button) *slack.ConfirmationBlockObject {
	c := Confirm{}
	if b.Confirm != nil {
		c = *b.Confirm
	}
	what := plain(b.Text, "this fix", maxConfirmText-40)
	text := plain(c.Text, what+": this may disturb running workloads.", maxConfirmText)
	obj := slack.NewConfirmationBlockObject(
		plainText(plain(c.Title, "Are you sure?", maxConfirmTitle)),
		plainText(text),
		plainText(plain(c.OK, "Apply", maxConfirmButton)),
		plainText(plain(c.Deny, "Cancel", maxConfirmButton)))
	if b.Danger {
		obj.WithStyle(slack.StyleDanger)
	}
	return obj
}

// uniqueID returns id, or a stand-in when it is empty, cut to Slack's
// length and made unique among the IDs already in seen.
func uniqueID(id string, i int, seen map[string]bool) string {
	id = strings.ToValidUTF8(strings.TrimSpace(id), "_")
	if id == "" {
		id = "button-" + strconv.Itoa(i+1)
	}
	base := clipRunes(id, maxID)
	for n := 2; seen[base]; n++ {
		suffix := "-" + strconv.Itoa(n)
		base = clipRunes(id, maxID-len(suffix)) + suffix
	}
	seen[base] = true
	return base
}

// clipRunes keeps the first max runes of s, without a note: identifiers are
// not read by people.
func clipRunes(s string, max int) string {
	if runes(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
