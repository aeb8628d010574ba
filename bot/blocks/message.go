package blocks

import (
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
// notifications and clients without Block Kit, and the blocks.
type Message struct {
	// Text is the notification text: plain words, no mrkdwn decoration,
	// escaped like the blocks.
	Text   string
	Blocks []slack.Block
}

// mrkdwn is a mrkdwn text object; s must already be escaped.
func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// plainText is a plain_text text object with emoji shortcodes rendered.
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

// section is a section block of escaped mrkdwn, cut to fit.
func section(s string) *slack.SectionBlock {
	return slack.NewSectionBlock(mrkdwn(fit(orElse(s, "…"), maxSectionText)), nil, nil)
}

// contextLine is a context block with one line of escaped mrkdwn, cut to fit.
func contextLine(s string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(fit(orElse(s, "…"), maxSectionText)))
}

// message assembles a Message; the fallback text is flattened and cut.
func message(fallback string, blocks ...slack.Block) Message {
	return Message{Text: fit(orElse(oneLine(fallback), "pullcheck"), maxFallback), Blocks: blocks}
}

// Diagnosing is the root message while a diagnosis runs, e.g. "Diagnosing
// pod shop/web-7d9f…". kind and target are echoed escaped.
func Diagnosing(kind, target string) Message {
	what := escape(oneLine(orElse(kind, "target")))
	return message("Diagnosing "+what+" "+fit(escape(oneLine(target)), 500)+"…",
		section(":hourglass_flowing_sand: Diagnosing "+what+" "+code(target, 500)+"…"),
		contextLine("Each check is posted in this thread as it completes."))
}

// Note is a plain follow-up line in a thread ("resolved in 42s", "still
// failing: …"). User mentions <@U…> in text are kept; all else is escaped.
func Note(text string) Message {
	s := escapeKeepUsers(orElse(text, "(no details)"))
	return message(s, section(s))
}

// Audit records an applied fix in the thread: "<@U1> applied
// copy-pull-secret: created shop/all-icr-io". user is a Slack user ID; a
// dry run says that nothing changed.
func Audit(user, action, summary string, dryRun bool) Message {
	who, what := mention(user), code(action, 200)
	sum := fit(escape(oneLine(orElse(summary, "no details"))), 2000)
	line := ":hammer_and_wrench: " + who + " applied " + what + ": " + sum
	text := who + " applied " + escape(oneLine(action)) + ": " + sum
	if dryRun {
		line = ":test_tube: " + who + " dry-ran " + what + " (nothing changed): " + sum
		text = who + " dry-ran " + escape(oneLine(action)) + " (nothing changed): " + sum
	}
	return message(text, section(line))
}

// Replies to the person who asked (usage, help, refusals, failures) are
// often ephemeral and may travel in a socket-mode ack, which Slack caps at
// 20 KiB, so their variable parts are cut short.

// slashCommand is how people reach pullcheck in Slack.
const slashCommand = "/pullcheck"

// form is one production of the command grammar, shown in Usage and Help.
type form struct {
	syntax, meaning, example string
}

// grammar lists the commands in the order people reach for them.
var grammar = []form{
	{"pod <ns>/<name>", "diagnose one pod", "pod shop/web-7d9f"},
	{"deployment <ns>/<name>", "diagnose the failing pod of a deployment", "deployment shop/web"},
	{"namespace <ns>", "diagnose every failing pod in a namespace", "namespace shop"},
	{"image <ref> [in <ns>]", "check that an image can be pulled, with the pull secrets of a namespace", "image us.icr.io/shop/web:1.2 in shop"},
	{"quota [region]", "show registry storage and pull-traffic quota", "quota us-south"},
	{"help", "explain what pullcheck does", "help"},
}

// grammarText renders the grammar as a mrkdwn list with examples.
func grammarText() string {
	var b strings.Builder
	b.WriteString("*Usage:* " + code(slashCommand+" <command>", 100))
	for _, f := range grammar {
		b.WriteString("\n• " + code(f.syntax, 100) + ": " + escape(f.meaning) +
			", e.g. " + code(slashCommand+" "+f.example, 200))
	}
	return b.String()
}

// Usage is the ephemeral reply to a request pullcheck cannot parse: the
// problem (escaped, since it usually echoes the input) and the grammar.
func Usage(problem string) Message {
	p := fit(escape(oneLine(orElse(problem, "That is not a pullcheck command."))), 1000)
	return message(p+" Try "+slashCommand+" help.",
		section(":warning: "+p),
		section(grammarText()),
		contextLine(code(slashCommand+" help", 100)+" explains what each check and button does."))
}

// Help is the reply to "help": what pullcheck does, the grammar, what the
// marks in a thread mean and how fixes are applied.
func Help() Message {
	return message("pullcheck diagnoses image-pull failures from IBM Cloud Container Registry. Commands: "+
		escape(slashCommand+" pod <ns>/<name>, deployment <ns>/<name>, namespace <ns>, image <ref> [in <ns>], quota [region], help"),
		slack.NewHeaderBlock(plainText("pullcheck")),
		section("pullcheck tells you why a pod cannot pull its image from IBM Cloud Container Registry "+
			"(icr.io) and how to fix it. It runs IBM's image-pull runbook as one chain of checks: "+
			"the pod and its events, the pull secrets and service account, the registry probed with "+
			"the pod's own credentials, and the IBM Cloud account behind them."),
		section(grammarText()),
		section("*In the thread* each check replies as it completes: "+statusLegend()+
			".\nThe verdict names one root cause and its fixes, each with the command you could run instead."),
		section("*Fix buttons* re-check their preconditions before they change anything and are "+
			"recorded in the thread. Only on-call may apply them; fixes that disturb running "+
			"workloads ask for confirmation first. Once a fix is applied its buttons are removed."),
		contextLine("pullcheck only reads while it diagnoses; it changes nothing until someone presses a fix button."))
}

// statusLegend explains the status emoji of a step.
func statusLegend() string {
	var parts []string
	for _, s := range statuses {
		parts = append(parts, statusEmoji(s)+" "+string(s))
	}
	return strings.Join(parts, ", ")
}

// Refusal is an ephemeral refusal ("only on-call may apply fixes"). User
// mentions <@U…> in text are kept; all else is escaped.
func Refusal(text string) Message {
	s := fit(escapeKeepUsers(orElse(text, "This request was refused.")), 1000)
	return message(s, section(":no_entry: "+s))
}

// Failure is a user-safe error with the reference ID that the logs carry,
// so that the user can quote it. User mentions in text are kept.
func Failure(text, ref string) Message {
	s := fit(escapeKeepUsers(orElse(text, "Something went wrong.")), 1000)
	blocks := []slack.Block{section(":boom: " + s)}
	if strings.TrimSpace(ref) == "" {
		return message(s, blocks...)
	}
	blocks = append(blocks, contextLine("Reference "+code(ref, 200)+": quote it when you ask for help."))
	return message(s+" (reference "+fit(escape(oneLine(ref)), 200)+")", blocks...)
}
