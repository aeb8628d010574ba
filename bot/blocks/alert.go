package blocks

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/diagnose"
)

// maxListed bounds the namespaces and workloads an alert names inline; the
// rest go to its thread.
const maxListed = 10

// AlertRoot is an incident alert's root message: the workload, the pods
// affected, and the root cause, as pullcheck found it unprompted.
func AlertRoot(workload string, pods int, rep *diagnose.Report) Message {
	line, fallback := headline(rep)
	who := fit(escape(oneLine(workload)), 300)
	head := fmt.Sprintf(":rotating_light: *Image pull failure* in %s (%d pod(s))", who, pods)
	text := fmt.Sprintf("Image pull failure in %s: %s", who, fallback)
	return message(text, section(head), section(line), contextLine(subject(rep)+" · details and fixes in the thread"))
}

// Steps renders every check of a report in one message: one line each.
// Alerts use it instead of one reply per check, to stay quiet.
func Steps(rep *diagnose.Report) Message {
	var lines []string
	for _, r := range rep.Results {
		if skipped(r.Status) {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s %s", statusEmoji(r.Status), code(string(r.ID), maxFindingLen),
			fit(escape(oneLine(r.Summary)), 300)))
	}
	var bl []slack.Block
	for _, chunk := range chunks(lines, maxSectionText) {
		if len(bl) == maxBlocks-1 {
			bl = append(bl, contextLine("… more checks in `pullcheck diagnose -o json`"))
			break
		}
		bl = append(bl, section(chunk))
	}
	if len(bl) == 0 {
		bl = append(bl, section("no checks ran"))
	}
	return message(fmt.Sprintf("%d checks", len(rep.Results)), bl...)
}

// Storm is the root message of a grouped alert: one cause, the count, and
// the namespaces and workloads most affected (the rest in the thread).
func Storm(cause, summary string, pods, workloads int, namespaces, names []string) Message {
	head := fmt.Sprintf(":rotating_light: *%d pod(s) in %d workload(s) cannot pull their images*: `%s`",
		pods, workloads, escape(oneLine(cause)))
	text := fmt.Sprintf("%d pods in %d workloads cannot pull their images: %s", pods, workloads, escape(oneLine(cause)))
	return message(text, section(head), section(fit(escape(oneLine(summary)), maxSummary)),
		section("*Namespaces:* "+listed(namespaces)), section("*Workloads:* "+listed(names)),
		contextLine("one alert for all of them; the full list and the fixes are in the thread"))
}

// maxListingSections bounds one listing message (each section holds up to
// 3000 characters of names).
const maxListingSections = 10

// Listing names workloads in the thread, in as few messages as fit the
// limits (ten full sections each).
func Listing(title string, names []string) []Message {
	var lines []string
	for _, n := range names {
		lines = append(lines, "• "+fit(escape(oneLine(n)), 300))
	}
	sections := chunks(lines, maxSectionText)
	var out []Message
	for i := 0; i < len(sections); i += maxListingSections {
		head := title
		if i > 0 {
			head = title + " (continued)"
		}
		bl := []slack.Block{section("*" + escape(head) + "*")}
		for _, c := range sections[i:min(i+maxListingSections, len(sections))] {
			bl = append(bl, section(c))
		}
		out = append(out, message(head, bl...))
	}
	return out
}

func listed(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	shown := names
	if len(shown) > maxListed {
		shown = shown[:maxListed]
	}
	var parts []string
	for _, n := range shown {
		parts = append(parts, fit(escape(oneLine(n)), 150))
	}
	s := strings.Join(parts, ", ")
	if more := len(names) - len(shown); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return fit(s, maxSectionText)
}

// chunks joins lines into texts of at most max runes each.
func chunks(lines []string, max int) []string {
	var out []string
	var b strings.Builder
	for _, l := range lines {
		l = fit(l, max)
		if b.Len() > 0 && runes(b.String())+1+runes(l) > max {
			out = append(out, b.String())
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// SweepFinding is a sweep's message: a severity, a title, detail lines and
// fix buttons.
func SweepFinding(severity, title string, lines []string, buttons []Button) Message {
	emoji := map[string]string{"ok": ":white_check_mark:", "warning": ":warning:", "critical": ":rotating_light:"}[severity]
	if emoji == "" {
		emoji = ":information_source:"
	}
	head := fit(escape(oneLine(title)), maxSummary)
	bl := []slack.Block{section(emoji + " *" + head + "*")}
	var escaped []string
	for _, l := range lines {
		escaped = append(escaped, fit(escape(oneLine(l)), 500))
	}
	for i, c := range chunks(escaped, maxSectionText) {
		if i == maxListingSections {
			bl = append(bl, contextLine("… more lines left out"))
			break
		}
		bl = append(bl, section(c))
	}
	if len(buttons) > 0 {
		a, notes := actions(buttons)
		if a != nil {
			bl = append(bl, a)
		}
		for _, n := range notes {
			bl = append(bl, contextLine(n))
		}
	}
	return message(oneLine(emoji+" "+head), bl...)
}
