package blocks

import (
	"fmt"
	"regexp"
	"strings"
)

// mrkdwn is text that Slack parses as markup, made safe to send. It is the
// one way text reaches Slack as mrkdwn: every mrkdwn text object and every
// fallback text is built from one (see textObject and Message), and a
// value can only be made
//
//   - by untrusted(s), for any string: from the cluster, a registry, IBM
//     Cloud or a user, and pullcheck's own words that embed them. & < >
//     become entities and ``` fences are broken, so the text reads as
//     written and never mentions, links or opens a code block;
//   - by mention(user), a live mention of a Slack user ID that pullcheck
//     got from Slack itself (who clicked, who asked), never one read from
//     text, and by groupMention(group) for the on-call user groups of
//     pullcheck's configuration;
//   - by lit("…"), for constants written in this package: literal only
//     takes untyped constants, so a string variable does not compile;
//   - from other mrkdwn values: cat, join, textf, and the helpers that cut,
//     quote or flatten.
//
// TestOneChokePoint holds the rule in the source: no mrkdwn{…} outside
// this file, no literal(…) conversion, no Slack text object but from
// textObject and plainText, and no Slack text outside this package.
type mrkdwn struct{ s string }

// literal is mrkdwn written in this package's source.
type literal string

// lit is text written here: pullcheck's own words, emoji and formatting.
func lit(s literal) mrkdwn { return mrkdwn{string(s)} }

// untrusted is s as mrkdwn that reads as s and is never markup.
func untrusted(s string) mrkdwn { return mrkdwn{escape(s)} }

// userID matches a Slack user ID as Slack sends it in events.
var userID = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// mention renders a Slack user ID as a live mention, or as quoted text when
// it is not a user ID, so that a crafted "ID" cannot smuggle in markup.
func mention(user string) mrkdwn {
	if userID.MatchString(user) {
		return mrkdwn{"<@" + user + ">"}
	}
	if strings.TrimSpace(user) == "" {
		return lit("someone")
	}
	return code(user, 100)
}

// groupID matches a Slack user-group ID as Slack gives it.
var groupID = regexp.MustCompile(`^S[A-Z0-9]{1,20}$`)

// groupMention renders a Slack user-group ID from pullcheck's configuration
// as a live mention of the group, or as quoted text when it is not a group
// ID.
func groupMention(group string) mrkdwn {
	if groupID.MatchString(group) {
		return mrkdwn{"<!subteam^" + group + ">"}
	}
	return code(group, 100)
}

// cat joins parts with nothing between them.
func cat(parts ...mrkdwn) mrkdwn { return join(parts, "") }

// join joins parts with sep between them.
func join(parts []mrkdwn, sep literal) mrkdwn {
	ss := make([]string, len(parts))
	for i, p := range parts {
		ss[i] = p.s
	}
	return mrkdwn{strings.Join(ss, string(sep))}
}

// textf formats args into format: mrkdwn values as they are, numbers as
// numbers, and anything else (strings included) escaped as untrusted text.
func textf(format literal, args ...any) mrkdwn {
	safe := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case mrkdwn:
			safe[i] = a.s
		case int, int64, uint, float64:
			safe[i] = a
		default:
			safe[i] = escape(fmt.Sprint(a))
		}
	}
	return mrkdwn{fmt.Sprintf(string(format), safe...)}
}

// blank reports whether m shows nothing.
func (m mrkdwn) blank() bool { return strings.TrimSpace(m.s) == "" }

// or is m, or def when m is blank.
func (m mrkdwn) or(def literal) mrkdwn {
	if m.blank() {
		return lit(def)
	}
	return m
}

// oneLine flattens m to a single line (escaping leaves line breaks alone,
// and a flattened line break makes no markup).
func (m mrkdwn) oneLine() mrkdwn { return mrkdwn{flattener.Replace(m.s)} }

// truncNote says how much was cut.
func truncNote(n int) mrkdwn { return textf("… (truncated, %d more characters)", n) }

// cut shortens m to at most max runes without splitting a rune, an entity
// (&amp;) or a mention; it returns the kept head and how many characters of
// the unescaped source were left out.
func cut(m mrkdwn, max int) (mrkdwn, int) {
	s := m.s
	if runes(s) <= max {
		return m, 0
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
	return mrkdwn{head}, runes(unescaper.Replace(s[len(head):]))
}

// fit shortens m to at most max runes, ending it with a note of how much
// was cut.
func fit(m mrkdwn, max int) mrkdwn {
	if runes(m.s) <= max {
		return m
	}
	room := max - runes(truncNote(runes(m.s)).s)
	if room < 0 {
		head, _ := cut(m, max-1)
		return cat(head, lit("…"))
	}
	head, n := cut(m, room)
	return cat(head, truncNote(n))
}
