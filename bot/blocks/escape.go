package blocks

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// escaper turns the three characters Slack's mrkdwn treats as control
// characters into entities, so that text cannot form <!channel>, <@U…> or a
// link.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// unescaper undoes escaper; it is used only to count how many characters of
// the source were cut.
var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// userMention matches the only mention callers may pass through: a plain
// user or enterprise user ID.
var userMention = regexp.MustCompile(`<@[UW][A-Z0-9]{1,20}>`)

// userID matches a Slack user ID as Audit receives it.
var userID = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// flattener keeps one-line fields on one line, as the text report does.
var flattener = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// escape makes cluster- or user-provided text safe as mrkdwn: entities for
// & < >, and no ``` that could open a code block and swallow what follows.
func escape(s string) string {
	return defuseFences(escaper.Replace(strings.ToValidUTF8(s, "\uFFFD")))
}

// defuseFences puts a zero-width space after every second backtick in a row,
// so that no run of three remains.
func defuseFences(s string) string {
	if !strings.Contains(s, "```") {
		return s
	}
	var b strings.Builder
	run := 0
	for _, r := range s {
		if r != '`' {
			run = 0
		} else if run++; run == 3 {
			b.WriteRune('\u200b')
			run = 1
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeKeepUsers escapes text the caller composed, except for user mentions
// of the form <@U123>, which the caller may have built on purpose.
func escapeKeepUsers(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	last := 0
	for _, m := range userMention.FindAllStringIndex(s, -1) {
		b.WriteString(escaper.Replace(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(escaper.Replace(s[last:]))
	return b.String()
}

// mention renders a Slack user ID as a mention, or as escaped text when it
// is not a user ID (so a crafted "ID" cannot smuggle in markup).
func mention(user string) string {
	if userID.MatchString(user) {
		return "<@" + user + ">"
	}
	if strings.TrimSpace(user) == "" {
		return "someone"
	}
	return code(user, 100)
}

// oneLine flattens s to a single line.
func oneLine(s string) string { return flattener.Replace(s) }

// orElse returns s, or def when s is blank.
func orElse(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// runes counts characters the way the Block Kit limits do.
func runes(s string) int { return utf8.RuneCountInString(s) }

// truncNote says how much was cut.
func truncNote(n int) string { return fmt.Sprintf("… (truncated, %d more characters)", n) }

// cut shortens escaped mrkdwn to at most max runes without splitting a rune,
// an entity (&amp;) or a kept mention; it returns the kept head and how many
// characters of the unescaped source were left out.
func cut(s string, max int) (string, int) {
	if runes(s) <= max {
		return s, 0
	}
	head := s
	if max <= 0 {
		head = ""
	} else {
		i, n := 0, 0
		for i = range s {
			if n == max {
				break
			}
			n++
		}
		head = s[:i]
	}
	if a := strings.LastIndexByte(head, '&'); a >= 0 && !strings.Contains(head[a:], ";") {
		head = head[:a]
	}
	if a := strings.LastIndexByte(head, '<'); a >= 0 && !strings.Contains(head[a:], ">") {
		head = head[:a]
	}
	return head, runes(unescaper.Replace(s[len(head):]))
}

// fit shortens escaped mrkdwn to at most max runes, ending it with a note of
// how much was cut.
func fit(s string, max int) string {
	if runes(s) <= max {
		return s
	}
	room := max - runes(truncNote(runes(s)))
	if room < 0 {
		head, _ := cut(s, max-1)
		return head + "…"
	}
	head, n := cut(s, room)
	return head + truncNote(n)
}

// code renders s as inline code of at most max runes. Backticks would end
// the span early, so they become quotes.
func code(s string, max int) string {
	s = strings.ReplaceAll(oneLine(s), "`", "'")
	if strings.TrimSpace(s) == "" {
		return "_none_"
	}
	return "`" + fit(escape(s), max-2) + "`"
}

// codeBlock renders s as a ``` block of at most max runes. A cut goes inside
// the fence and the note after it, so the fence always closes.
func codeBlock(s string, max int) string {
	body := escape(s)
	const fences = len("```\n") + len("\n```")
	if runes(body)+fences <= max {
		return "```\n" + body + "\n```"
	}
	head, n := cut(body, max-fences-runes(truncNote(runes(body)))-1)
	return "```\n" + head + "\n```\n" + truncNote(n)
}

// plain renders s as plain_text content of at most max runes (plain text is
// not parsed for mentions, so it needs no escaping).
func plain(s, def string, max int) string {
	s = orElse(oneLine(strings.ToValidUTF8(s, "\uFFFD")), def)
	if runes(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
