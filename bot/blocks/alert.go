package blocks

import (
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/diagnose"
)

// maxListed bounds the namespaces and workloads an alert names inline; the
// rest go to its thread.
const maxListed = 10

// AlertRoot is an incident alert's root message: the workload, the pods
// affected, and the root cause, as pullcheck found it unprompted.
func AlertRoot(workload string, pods int, rep *diagnose.Report) Message {
	head, fallback := headline(rep)
	who := line(workload, 300)
	about := lit("")
	if rep != nil {
		about = cat(subject(rep), lit(" · "))
	}
	return message(textf("Image pull failure in %s: %s", who, fallback),
		section(textf(":rotating_light: *Image pull failure* in %s (%d pod(s))", who, pods)),
		section(head),
		contextLine(textf("%sthe checks and the fixes are in the thread", about)))
}

// Storm is the root message of a grouped alert: one cause, the count, and
// the namespaces and workloads most affected (the rest in the thread).
func Storm(cause, summary string, pods, workloads int, namespaces, names []string) Message {
	return message(textf("%d pods in %d workloads cannot pull their images: %s", pods, workloads, line(cause, maxFindingLen)),
		section(textf(":rotating_light: *%d pod(s) in %d workload(s) cannot pull their images*: %s", pods, workloads, code(cause, maxFindingLen))),
		section(line(summary, maxSummary)),
		section(textf("*Namespaces:* %s", listed(namespaces))), section(textf("*Workloads:* %s", listed(names))),
		contextLine(lit("one alert for all of them; the full list and the fixes are in the thread")))
}

// maxListingSections bounds one listing message (each section holds up to
// 3000 characters of names).
const maxListingSections = 10

// Listing names workloads in the thread, in as few messages as fit the
// limits (ten full sections each).
func Listing(title string, names []string) []Message {
	var lines []mrkdwn
	for _, n := range names {
		lines = append(lines, textf("• %s", line(n, 300)))
	}
	sections := chunks(lines, maxSectionText)
	var out []Message
	for i := 0; i < len(sections); i += maxListingSections {
		head := line(title, maxSummary)
		if i > 0 {
			head = textf("%s (continued)", head)
		}
		bl := []slack.Block{section(textf("*%s*", head))}
		for _, c := range sections[i:min(i+maxListingSections, len(sections))] {
			bl = append(bl, section(c))
		}
		out = append(out, message(head, bl...))
	}
	return out
}

// listed names up to maxListed names and counts the rest.
func listed(names []string) mrkdwn {
	if len(names) == 0 {
		return lit("none")
	}
	shown := names[:min(len(names), maxListed)]
	parts := make([]mrkdwn, 0, len(shown))
	for _, n := range shown {
		parts = append(parts, line(n, 150))
	}
	s := join(parts, ", ")
	if more := len(names) - len(shown); more > 0 {
		s = textf("%s and %d more", s, more)
	}
	return fit(s, maxSectionText)
}

// chunks joins lines into texts of at most max runes each.
func chunks(lines []mrkdwn, max int) []mrkdwn {
	var out, cur []mrkdwn
	size := 0
	for _, l := range lines {
		l = fit(l, max)
		if len(cur) > 0 && size+1+runes(l.s) > max {
			out = append(out, join(cur, "\n"))
			cur, size = nil, 0
		}
		if len(cur) > 0 {
			size++
		}
		cur = append(cur, l)
		size += runes(l.s)
	}
	if len(cur) > 0 {
		out = append(out, join(cur, "\n"))
	}
	return out
}

// SweepFinding is a sweep's message: a severity, a title, detail lines and
// fix buttons.
func SweepFinding(severity, title string, lines []string, buttons []Button) Message {
	emoji := map[string]mrkdwn{"ok": lit(":white_check_mark:"), "warning": lit(":warning:"), "critical": lit(":rotating_light:")}[severity]
	if emoji.blank() {
		emoji = lit(":information_source:")
	}
	head := line(title, maxSummary)
	bl := []slack.Block{section(textf("%s *%s*", emoji, head))}
	var details []mrkdwn
	for _, l := range lines {
		details = append(details, line(l, 500))
	}
	for i, c := range chunks(details, maxSectionText) {
		if i == maxListingSections {
			bl = append(bl, contextLine(lit("… more lines left out")))
			break
		}
		bl = append(bl, section(c))
	}
	if a, notes := actions(buttons); a != nil || len(notes) > 0 {
		if a != nil {
			bl = append(bl, a)
		}
		for _, n := range notes {
			bl = append(bl, contextLine(n))
		}
	}
	return message(textf("%s %s", emoji, head), bl...)
}
