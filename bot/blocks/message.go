package blocks

import (
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// Limits of Block Kit that the renderers plan for; Validate checks them.
const (
	maxBlocks        = 50
	maxHeader        = 150
	maxSectionText   = 3000
	maxFields        = 10
	maxFieldText     = 2000
	maxContextElems  = 10
	maxActionElems   = 25
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxID            = 255
	maxConfirmTitle  = 100
	maxConfirmText   = 300
	maxConfirmButton = 30
	maxMessageText   = 40000
	// maxFallback keeps notification text short; Slack allows far more.
	maxFallback = 3000
)

// Message is one chat message: the fallback text Slack shows in
// notifications and clients without Block Kit, and the blocks. Only the
// renderers of this package make one, so that every text in it went
// through the same escaping; the bot posts it with MsgOptions.
type Message struct {
	text   mrkdwn
	blocks []slack.Block
}

// Text is the notification text: plain words, no mrkdwn decoration,
// escaped like the blocks.
func (m Message) Text() string { return m.text.s }

// Blocks are the message's blocks (a copy of the list).
func (m Message) Blocks() []slack.Block { return slices.Clone(m.blocks) }

// MsgOptions are the options that post m with chat.postMessage,
// chat.postEphemeral or chat.update: its text and blocks, with Slack's
// own parsing of the text turned off (parse=none, link_names=false), so
// that a bare "@channel" or URL in the cluster's words stays text.
func (m Message) MsgOptions() []slack.MsgOption {
	return []slack.MsgOption{slack.MsgOptionText(m.text.s, false), slack.MsgOptionBlocks(m.blocks...),
		slack.MsgOptionParse(false), slack.MsgOptionLinkNames(false)}
}

// textObject is a mrkdwn text object. It is verbatim: Slack still renders
// the formatting and the mentions pullcheck made, but does not turn bare
// URLs, channel names or "@here" in the text into links or mentions.
func textObject(m mrkdwn) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, m.s, false, true)
}

// plainText is a plain_text text object with emoji shortcodes rendered.
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

// section is a section block of mrkdwn, cut to fit.
func section(m mrkdwn) *slack.SectionBlock {
	return slack.NewSectionBlock(textObject(fit(m.or("…"), maxSectionText)), nil, nil)
}

// contextLine is a context block with one line of mrkdwn, cut to fit.
func contextLine(m mrkdwn) *slack.ContextBlock {
	return slack.NewContextBlock("", textObject(fit(m.or("…"), maxSectionText)))
}

// message assembles a Message; the fallback text is flattened and cut.
func message(fallback mrkdwn, blocks ...slack.Block) Message {
	return Message{text: fit(fallback.oneLine().or("pullcheck"), maxFallback), blocks: blocks}
}

// Diagnosing is the root message while a diagnosis runs, e.g. "Diagnosing
// pod shop/web-7d9f…".
func Diagnosing(kind, target string) Message {
	what := untrusted(oneLine(orElse(kind, "target")))
	return message(textf("Diagnosing %s %s…", what, line(target, 500)),
		section(textf(":hourglass_flowing_sand: Diagnosing %s %s…", what, code(target, 500))),
		contextLine(lit("The checks appear in this thread as they complete.")))
}

// Note is a plain follow-up line in a thread ("resolved in 42s", "still
// failing: …"). All of text is shown as written: it often quotes the
// cluster, so no part of it can mention anyone.
func Note(text string) Message {
	m := untrusted(orElse(text, "(no details)"))
	return message(m, section(m))
}

// NoteBy is Note ending with a mention of the user who did what text
// reports: "this fix was already applied by @ana". user is a Slack user
// ID that pullcheck got from Slack.
func NoteBy(text, user string) Message {
	m := textf("%s by %s", untrusted(orElse(text, "(no details)")), mention(user))
	return message(m, section(m))
}

// Audit records an applied fix in the thread: "<@U1> applied
// copy-pull-secret: created shop/all-icr-io". user is a Slack user ID; a
// dry run says that nothing changed.
func Audit(user, action, summary string, dryRun bool) Message {
	who, what := mention(user), code(action, 200)
	sum, act := line(orElse(summary, "no details"), 2000), untrusted(oneLine(action))
	if dryRun {
		return message(textf("%s dry-ran %s (nothing changed): %s", who, act, sum),
			section(textf(":test_tube: %s dry-ran %s (nothing changed): %s", who, what, sum)))
	}
	return message(textf("%s applied %s: %s", who, act, sum),
		section(textf(":hammer_and_wrench: %s applied %s: %s", who, what, sum)))
}

// WithoutButtons is m with its actions blocks replaced by a line saying
// why (note) and who clicked (user, a Slack user ID; "" when unknown).
// Sent with chat.update on a clicked verdict or sweep finding, it leaves a
// second click nothing to press. note is shown as written: it often quotes
// the cluster.
func WithoutButtons(m Message, note, user string) Message {
	var kept []slack.Block
	for _, bl := range m.blocks {
		if bl.BlockType() != slack.MBTAction {
			kept = append(kept, bl)
		}
	}
	why := untrusted(oneLine(orElse(note, "fix applied")))
	closed := textf(":lock: %s (buttons removed)", why)
	if strings.TrimSpace(user) != "" {
		closed = textf(":lock: %s (clicked by %s; buttons removed)", why, mention(user))
	}
	kept = append(kept, contextLine(fit(closed, 1000)))
	if len(kept) > maxBlocks {
		kept = append(kept[:maxBlocks-1], kept[len(kept)-1])
	}
	if m.text.blank() { // a message this bot no longer remembers
		return message(why, kept...)
	}
	return Message{text: m.text, blocks: kept}
}

// WithActionsID is m with the block ID of its actions blocks set to id
// (cut to Slack's 255 characters), so that a click can be traced to its
// thread.
func (m Message) WithActionsID(id string) Message {
	out := Message{text: m.text, blocks: slices.Clone(m.blocks)}
	for i, bl := range out.blocks {
		if a, ok := bl.(*slack.ActionBlock); ok {
			c := *a
			c.BlockID = clipRunes(strings.ToValidUTF8(id, "_"), maxID)
			out.blocks[i] = &c
		}
	}
	return out
}
