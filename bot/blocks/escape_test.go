package blocks

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<!channel> & <@U123>", "&lt;!channel&gt; &amp; &lt;@U123&gt;"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
		{"&lt;!here&gt;", "&amp;lt;!here&amp;gt;"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"a`b", "a`b"},
		{"a```b", "a`\u200b`\u200b`b"},
		{"``", "`\u200b`"},
	}
	for _, tt := range tests {
		if got := untrusted(tt.in).s; got != tt.want {
			t.Errorf("untrusted(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMention(t *testing.T) {
	tests := []struct{ in, want string }{
		{"U1", "<@U1>"},
		{"W0ABC", "<@W0ABC>"},
		{"U1> <!channel", "`U1&gt; &lt;!channel`"},
		{"<@U1>", "`&lt;@U1&gt;`"},
		{"", "someone"},
	}
	for _, tt := range tests {
		if got := mention(tt.in).s; got != tt.want {
			t.Errorf("mention(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// word stands for any named type a renderer might format.
type word string

func TestTextf(t *testing.T) {
	got := textf("%s said %s %d times (%s)", mention("U1"), "<!here>", 3, word("<#C1>")).s
	if want := "<@U1> said &lt;!here&gt; 3 times (&lt;#C1&gt;)"; got != want {
		t.Errorf("textf = %q, want %q", got, want)
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name string
		in   string // already mrkdwn
		max  int
		want string
	}{
		{"fits", "short", 10, "short"},
		{"ascii", strings.Repeat("a", 100), 50, strings.Repeat("a", 16) + "… (truncated, 84 more characters)"},
		{"multi-byte", strings.Repeat("é", 100), 50, strings.Repeat("é", 16) + "… (truncated, 84 more characters)"},
		{"entity kept whole", strings.Repeat("a", 15) + "&amp;" + strings.Repeat("b", 80), 50,
			strings.Repeat("a", 15) + "… (truncated, 81 more characters)"},
		{"mention kept whole", strings.Repeat("a", 14) + "<@U123>" + strings.Repeat("b", 80), 50,
			strings.Repeat("a", 14) + "… (truncated, 87 more characters)"},
		{"tiny limit", "abcdef", 4, "abc…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fit(mrkdwn{tt.in}, tt.max).s
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fit (-want +got):\n%s", diff)
			}
			if n := utf8.RuneCountInString(got); n > tt.max || !utf8.ValidString(got) {
				t.Errorf("fit gave %d runes (max %d), valid UTF-8 %v", n, tt.max, utf8.ValidString(got))
			}
		})
	}
}

func TestCodeBlock(t *testing.T) {
	if got, want := codeBlock("kubectl get pods <x>", 100).s, "```\nkubectl get pods &lt;x&gt;\n```"; got != want {
		t.Errorf("codeBlock = %q, want %q", got, want)
	}
	got := codeBlock(strings.Repeat("ü", 500), 100).s
	want := "```\n" + strings.Repeat("ü", 57) + "\n```\n… (truncated, 443 more characters)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cut codeBlock (-want +got):\n%s", diff)
	}
	if n := utf8.RuneCountInString(got); n > 100 {
		t.Errorf("cut codeBlock has %d runes, max 100", n)
	}
	if got := codeBlock("a```b", 100).s; strings.Count(got, "```") != 2 {
		t.Errorf("codeBlock(%q) = %q: the fence is broken", "a```b", got)
	}
}

func TestPlainAndCode(t *testing.T) {
	if got, want := plain(strings.Repeat("ß", 80), "x", 75), strings.Repeat("ß", 74)+"…"; got != want {
		t.Errorf("plain = %q, want %q", got, want)
	}
	if got := plain(" \n", "Apply", 75); got != "Apply" {
		t.Errorf("plain of blank = %q, want the default", got)
	}
	if got, want := code("a`b\nc", 20).s, "`a'b c`"; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
	if got, want := code("", 20).s, "_none_"; got != want {
		t.Errorf("code of empty = %q, want %q", got, want)
	}
}
