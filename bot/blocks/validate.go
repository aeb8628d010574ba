package blocks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// Validate checks m against every Block Kit limit pullcheck's messages can
// reach, and returns all problems found (errors.Join), each naming the
// block. Slack rejects a whole message for one broken limit, so every
// renderer here is tested to pass it for any input; the bot may also call it
// before posting.
//
// It checks: at most 50 blocks; header text ≤ 150; section text ≤ 3000 and at
// most 10 fields of ≤ 2000; context at most 10 elements; actions at most 25
// elements; button text ≤ 75 and value ≤ 2000; action_id and block_id ≤ 255
// and unique within the message; confirm title ≤ 100, text ≤ 300, ok and deny
// ≤ 30; no empty text; and a fallback Text that is non-empty and ≤ 40000.
// Block and element types it does not know are reported, not assumed fine.
func Validate(m Message) error { return ValidatePayload(m.text.s, m.blocks) }

// ValidatePayload is Validate for a message as Slack received it: its
// fallback text and blocks (read back from a chat.postMessage, say).
func ValidatePayload(text string, blocks []slack.Block) error {
	v := validator{blockIDs: map[string]bool{}, actionIDs: map[string]bool{}}
	if strings.TrimSpace(text) == "" {
		v.add("message", "fallback text is empty")
	} else if n := runes(text); n > maxMessageText {
		v.add("message", "fallback text has %d characters, limit %d", n, maxMessageText)
	}
	v.blocks("message", blocks, maxBlocks)
	return errors.Join(v.errs...)
}

// ValidateView is Validate for a Home tab view: at most 100 blocks, each
// within the limits of a message's.
func ValidateView(view View) error { return ValidateViewBlocks(view.blocks) }

// ValidateViewBlocks is ValidateView for a view as Slack received it.
func ValidateViewBlocks(blocks []slack.Block) error {
	v := validator{blockIDs: map[string]bool{}, actionIDs: map[string]bool{}}
	v.blocks("view", blocks, maxViewBlocks)
	return errors.Join(v.errs...)
}

// blocks checks a list of at most max blocks.
func (v *validator) blocks(where string, blocks []slack.Block, max int) {
	if len(blocks) > max {
		v.add(where, "%d blocks, limit %d", len(blocks), max)
	}
	for i, b := range blocks {
		v.block(fmt.Sprintf("block %d", i), b)
	}
}

// validator collects the problems of one message.
type validator struct {
	errs      []error
	blockIDs  map[string]bool
	actionIDs map[string]bool
}

// add records one problem at where.
func (v *validator) add(where, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...)))
}

// block checks one top-level block and its ID.
func (v *validator) block(where string, b slack.Block) {
	if b == nil {
		v.add(where, "nil block")
		return
	}
	where += " (" + string(b.BlockType()) + ")"
	v.id(where, "block_id", b.ID(), v.blockIDs)
	switch b := b.(type) {
	case *slack.SectionBlock:
		v.section(where, b)
	case *slack.ContextBlock:
		v.context(where, b)
	case *slack.ActionBlock:
		v.actions(where, b)
	case *slack.HeaderBlock:
		v.text(where+" text", b.Text, slack.PlainTextType, maxHeader)
	case *slack.DividerBlock:
	default:
		v.add(where, "block type %T is not checked by Validate", b)
	}
}

// section checks text, fields and a button accessory.
func (v *validator) section(where string, b *slack.SectionBlock) {
	if b.Text == nil && len(b.Fields) == 0 {
		v.add(where, "neither text nor fields")
	}
	if b.Text != nil {
		v.text(where+" text", b.Text, "", maxSectionText)
	}
	if len(b.Fields) > maxFields {
		v.add(where, "%d fields, limit %d", len(b.Fields), maxFields)
	}
	for i, f := range b.Fields {
		v.text(fmt.Sprintf("%s field %d", where, i), f, "", maxFieldText)
	}
	if b.Accessory != nil {
		if b.Accessory.ButtonElement == nil {
			v.add(where, "accessory other than a button is not checked by Validate")
		} else {
			v.button(where+" accessory", b.Accessory.ButtonElement)
		}
	}
}

// context checks the element count and each text element.
func (v *validator) context(where string, b *slack.ContextBlock) {
	els := b.ContextElements.Elements
	if len(els) == 0 || len(els) > maxContextElems {
		v.add(where, "%d elements, want 1 to %d", len(els), maxContextElems)
	}
	for i, e := range els {
		at := fmt.Sprintf("%s element %d", where, i)
		switch e := e.(type) {
		case *slack.TextBlockObject:
			v.text(at, e, "", maxSectionText)
		case *slack.ImageBlockElement:
		default:
			v.add(at, "element type %T is not checked by Validate", e)
		}
	}
}

// actions checks the element count and each button.
func (v *validator) actions(where string, b *slack.ActionBlock) {
	var els []slack.BlockElement
	if b.Elements != nil {
		els = b.Elements.ElementSet
	}
	if len(els) == 0 || len(els) > maxActionElems {
		v.add(where, "%d elements, want 1 to %d", len(els), maxActionElems)
	}
	for i, e := range els {
		at := fmt.Sprintf("%s element %d", where, i)
		if btn, ok := e.(*slack.ButtonBlockElement); ok {
			v.button(at, btn)
		} else {
			v.add(at, "element type %T is not checked by Validate", e)
		}
	}
}

// button checks text, action_id, value and confirm dialog.
func (v *validator) button(where string, b *slack.ButtonBlockElement) {
	v.text(where+" text", b.Text, slack.PlainTextType, maxButtonText)
	v.id(where, "action_id", b.ActionID, v.actionIDs)
	if n := runes(b.Value); n > maxButtonValue {
		v.add(where, "value has %d characters, limit %d", n, maxButtonValue)
	}
	if c := b.Confirm; c != nil {
		v.text(where+" confirm title", c.Title, slack.PlainTextType, maxConfirmTitle)
		v.text(where+" confirm text", c.Text, "", maxConfirmText)
		v.text(where+" confirm ok", c.Confirm, slack.PlainTextType, maxConfirmButton)
		if c.Deny != nil {
			v.text(where+" confirm deny", c.Deny, slack.PlainTextType, maxConfirmButton)
		}
	}
}

// text checks a text object's type (want, or either type when want is
// empty), that it is not blank, and its length.
func (v *validator) text(where string, t *slack.TextBlockObject, want string, max int) {
	switch {
	case t == nil:
		v.add(where, "missing")
		return
	case t.Type != slack.PlainTextType && t.Type != slack.MarkdownType:
		v.add(where, "type %q, want plain_text or mrkdwn", t.Type)
	case want != "" && t.Type != want:
		v.add(where, "type %q, want %s", t.Type, want)
	case t.Type == slack.MarkdownType && t.Emoji != nil:
		v.add(where, "mrkdwn text cannot set emoji")
	}
	if strings.TrimSpace(t.Text) == "" {
		v.add(where, "text is empty")
	}
	if n := runes(t.Text); n > max {
		v.add(where, "text has %d characters, limit %d", n, max)
	}
}

// id checks an optional block_id or action_id and records it in seen.
func (v *validator) id(where, kind, id string, seen map[string]bool) {
	if id == "" {
		return
	}
	if n := runes(id); n > maxID {
		v.add(where, "%s has %d characters, limit %d", kind, n, maxID)
	}
	if seen[id] {
		v.add(where, "%s %q is not unique", kind, id)
	}
	seen[id] = true
}
