package blocks

import (
	"strings"

	"github.com/slack-go/slack"
)

// Replies to the person who asked (usage, help, refusals, failures) are
// often ephemeral and may travel in a socket-mode ack, which Slack caps at
// 20 KiB, so their variable parts are cut short. Their text is shown as
// written: it echoes what was typed, or an error that may quote the
// cluster or IBM Cloud.

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
func grammarText() mrkdwn {
	parts := []mrkdwn{textf("*Usage:* %s", code(slashCommand+" <command>", 100))}
	for _, f := range grammar {
		parts = append(parts, textf("• %s: %s, e.g. %s", code(f.syntax, 100), f.meaning, code(slashCommand+" "+f.example, 200)))
	}
	return join(parts, "\n")
}

// Usage is the ephemeral reply to a request pullcheck cannot parse: the
// problem (it usually echoes the input) and the grammar.
func Usage(problem string) Message {
	p := line(orElse(problem, "That is not a pullcheck command."), 1000)
	return message(textf("%s Try %s help.", p, slashCommand),
		section(textf(":warning: %s", p)),
		section(grammarText()),
		contextLine(textf("%s explains what each check and button does.", code(slashCommand+" help", 100))))
}

// Help is the reply to "help": what pullcheck does, the grammar, what the
// marks in a thread mean and how fixes are applied.
func Help() Message {
	return message(textf("pullcheck diagnoses image-pull failures from IBM Cloud Container Registry. Commands: %s",
		slashCommand+" pod <ns>/<name>, deployment <ns>/<name>, namespace <ns>, image <ref> [in <ns>], quota [region], help"),
		slack.NewHeaderBlock(plainText("pullcheck")),
		section(lit("pullcheck tells you why a pod cannot pull its image from IBM Cloud Container Registry "+
			"(icr.io) and how to fix it. It runs IBM's image-pull runbook as one chain of checks: "+
			"the pod and its events, the pull secrets and service account, the registry probed with "+
			"the pod's own credentials, and the IBM Cloud account behind them.")),
		section(grammarText()),
		section(textf("*In the thread* one message shows the checks as they complete, grouped by stage: %s. "+
			"Once the diagnosis is done, the checks that passed fold into a count; *Show all checks* lists every one, only to you.\n"+
			"The verdict names one root cause and its fixes, each with the command you could run instead.", statusLegend())),
		section(lit("*Fix buttons* re-check their preconditions before they change anything and are "+
			"recorded in the thread. Only on-call may apply them; fixes that disturb running "+
			"workloads ask for confirmation first. Once a fix is applied its buttons are removed. "+
			"*Fix it* applies every step of the verdict's plan in order and stops at the first that fails.")),
		section(lit("*Alerts* offer *Acknowledge* (the alert shows who is on it) and *Mute* for an hour or a day "+
			"(no new alert for that workload and cause until then); only on-call may click them. "+
			"The app's *Home* tab lists the open alerts, the last sweeps and who is on call.")),
		contextLine(lit("pullcheck only reads while it diagnoses; it changes nothing until someone presses a fix button.")))
}

// statusLegend explains the status emoji of a step.
func statusLegend() mrkdwn {
	var parts []mrkdwn
	for _, s := range statuses {
		parts = append(parts, textf("%s %s", statusEmoji(s), string(s)))
	}
	return join(parts, ", ")
}

// Refusal is an ephemeral refusal ("only on-call may apply fixes").
func Refusal(text string) Message {
	s := fit(untrusted(orElse(text, "This request was refused.")), 1000)
	return message(s, section(textf(":no_entry: %s", s)))
}

// Failure is a user-safe error with the reference ID that the logs carry,
// so that the user can quote it.
func Failure(text, ref string) Message {
	s := fit(untrusted(orElse(text, "Something went wrong.")), 1000)
	blocks := []slack.Block{section(textf(":boom: %s", s))}
	if strings.TrimSpace(ref) == "" {
		return message(s, blocks...)
	}
	blocks = append(blocks, contextLine(textf("Reference %s: quote it when you ask for help.", code(ref, 200))))
	return message(textf("%s (reference %s)", s, line(ref, 200)), blocks...)
}
