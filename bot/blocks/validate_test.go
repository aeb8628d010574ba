package blocks_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
)

func md(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}
func pt(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func btn(id, text, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(id, value, pt(text))
}

// payload is a message as Slack receives it.
type payload struct {
	text   string
	blocks []slack.Block
}

func msg(bs ...slack.Block) payload { return payload{"fallback", bs} }

func TestValidateRejects(t *testing.T) {
	x := strings.Repeat
	many := func(n int, b slack.Block) []slack.Block {
		out := make([]slack.Block, n)
		for i := range out {
			out[i] = b
		}
		return out
	}
	texts := func(n int) []slack.MixedElement {
		out := make([]slack.MixedElement, n)
		for i := range out {
			out[i] = md("x")
		}
		return out
	}
	buttons := func(n int) []slack.BlockElement {
		out := make([]slack.BlockElement, n)
		for i := range out {
			out[i] = btn(x("b", i+1), "x", "")
		}
		return out
	}
	fields := make([]*slack.TextBlockObject, 11)
	for i := range fields {
		fields[i] = md("f")
	}
	confirm := func(title, text, ok, deny string) slack.Block {
		return slack.NewActionBlock("", btn("a", "x", "").WithConfirm(slack.NewConfirmationBlockObject(pt(title), pt(text), pt(ok), pt(deny))))
	}
	tests := []struct {
		name string
		msg  payload
		want string
	}{
		{"empty fallback", payload{text: " "}, "fallback text is empty"},
		{"long fallback", payload{text: x("é", 40001)}, "fallback text has 40001 characters"},
		{"51 blocks", msg(many(51, slack.NewDividerBlock())...), "51 blocks, limit 50"},
		{"nil block", msg(nil), "nil block"},
		{"long header", msg(slack.NewHeaderBlock(pt(x("h", 151)))), "text has 151 characters, limit 150"},
		{"mrkdwn header", msg(slack.NewHeaderBlock(md("h"))), `type "mrkdwn", want plain_text`},
		{"long section", msg(slack.NewSectionBlock(md(x("ß", 3001)), nil, nil)), "text has 3001 characters, limit 3000"},
		{"empty section text", msg(slack.NewSectionBlock(md(""), nil, nil)), "text is empty"},
		{"bare section", msg(slack.NewSectionBlock(nil, nil, nil)), "neither text nor fields"},
		{"11 fields", msg(slack.NewSectionBlock(nil, fields, nil)), "11 fields, limit 10"},
		{"long field", msg(slack.NewSectionBlock(nil, []*slack.TextBlockObject{md(x("f", 2001))}, nil)), "limit 2000"},
		{"11 context elements", msg(slack.NewContextBlock("", texts(11)...)), "11 elements, want 1 to 10"},
		{"empty context", msg(slack.NewContextBlock("")), "0 elements"},
		{"26 buttons", msg(slack.NewActionBlock("", buttons(26)...)), "26 elements, want 1 to 25"},
		{"long button text", msg(slack.NewActionBlock("", btn("a", x("t", 76), ""))), "text has 76 characters, limit 75"},
		{"long value", msg(slack.NewActionBlock("", btn("a", "t", x("v", 2001)))), "value has 2001 characters"},
		{"long action_id", msg(slack.NewActionBlock("", btn(x("a", 256), "t", ""))), "action_id has 256 characters"},
		{"duplicate action_id", msg(slack.NewActionBlock("", btn("a", "t", ""), btn("a", "u", ""))), `action_id "a" is not unique`},
		{"duplicate block_id", msg(slack.NewActionBlock("b", btn("a", "t", "")), slack.NewActionBlock("b", btn("c", "t", ""))), `block_id "b" is not unique`},
		{"long block_id", msg(slack.NewDividerBlock(), slack.NewContextBlock(x("i", 256), md("x"))), "block_id has 256 characters"},
		{"long confirm title", msg(confirm(x("t", 101), "x", "ok", "no")), "confirm title: text has 101 characters"},
		{"long confirm text", msg(confirm("t", x("x", 301), "ok", "no")), "confirm text: text has 301 characters"},
		{"long confirm ok", msg(confirm("t", "x", x("o", 31), "no")), "confirm ok: text has 31 characters"},
		{"long confirm deny", msg(confirm("t", "x", "ok", x("d", 31))), "confirm deny: text has 31 characters"},
		{"unknown block", msg(slack.NewImageBlock("https://x/y.png", "alt", "", nil)), "is not checked by Validate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := blocks.ValidatePayload(tt.msg.text, tt.msg.blocks)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	m := msg(slack.NewHeaderBlock(pt("h")), slack.NewDividerBlock(),
		slack.NewSectionBlock(md("*ok*"), []*slack.TextBlockObject{md("a"), pt("b")}, nil),
		slack.NewContextBlock("c1", md("x"), pt("y")),
		slack.NewActionBlock("a1", btn("x", "X", "v"), btn("y", "Y", "")))
	if err := blocks.ValidatePayload(m.text, m.blocks); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestImportDirection keeps STYLE.md's layering: rendering imports the
// standard library, slack-go and diagnose's vocabulary, nothing else (so
// never client-go itself; diagnose brings it in transitively).
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "github.com/pullcheck/pullcheck/bot/blocks").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, imp := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(imp, "/")
		if strings.Contains(first, ".") && imp != "github.com/slack-go/slack" && imp != "github.com/pullcheck/pullcheck/diagnose" {
			t.Errorf("bot/blocks imports %s", imp)
		}
	}
}
