package blocks

import (
	"strings"
	"unicode/utf8"
)

// escaper turns the three characters Slack's mrkdwn treats as control
// characters into entities, as Slack documents, so that text cannot form
// <!channel>, <@U…>, <#C…> or a link.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// unescaper undoes escaper; it is used only to count how many characters of
// the source were cut.
var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// flattener keeps one-line fields on one line, as the text report does.
var flattener = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

// escape makes any text safe as mrkdwn: valid UTF-8, entities for & < >,
// and no two backticks in a row, so that it cannot open or close a code
// block. Only text.go calls it: untrusted, and textf for what it formats.
func escape(s string) string {
	return defuseFences(escaper.Replace(strings.ToValidUTF8(s, "\uFFFD")))
}

// defuseFences puts a zero-width space between backticks in a row, so that
// no ``` can form, even next to a backtick of the surrounding text.
func defuseFences(s string) string {
	if !strings.Contains(s, "``") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if r == '`' && prev == '`' {
			b.WriteRune('\u200b')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
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

// line is untrusted s on one line, cut to max runes.
func line(s string, max int) mrkdwn { return fit(untrusted(oneLine(s)), max) }

// code renders s as inline code of at most max runes. Backticks would end
// the span early, so they become quotes.
func code(s string, max int) mrkdwn {
	s = strings.ReplaceAll(oneLine(s), "`", "'")
	if strings.TrimSpace(s) == "" {
		return lit("_none_")
	}
	return cat(lit("`"), fit(untrusted(s), max-2), lit("`"))
}

// codeBlock renders s as a ``` block of at most max runes. A cut goes inside
// the fence and the note after it, so the fence always closes.
func codeBlock(s string, max int) mrkdwn {
	body := untrusted(s)
	const fences = len("```\n") + len("\n```")
	if runes(body.s)+fences <= max {
		return cat(lit("```\n"), body, lit("\n```"))
	}
	note := truncNote(runes(body.s))
	head, n := cut(body, max-fences-runes(note.s)-1)
	return cat(lit("```\n"), head, lit("\n```\n"), truncNote(n))
}

// plain renders s as plain_text content of at most max runes. Slack shows
// plain_text as it is and never parses it for mentions or links, so it
// needs no escaping.
func plain(s, def string, max int) string {
	s = orElse(oneLine(strings.ToValidUTF8(s, "\uFFFD")), def)
	if runes(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
