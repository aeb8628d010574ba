package blocks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// TestInjectionEscaped: markup in cluster-provided text must reach Slack as
// text, never as a mention or link.
func TestInjectionEscaped(t *testing.T) {
	evil := "<!channel> <!here> <@U123> <https://evil.example|click here> &"
	rep := report(d.RootCauseFound)
	rep.RootCause.Summary = evil
	rep.Request.Pod, rep.Container, rep.Image = evil, evil, evil
	rep.RootCause.Remedies[0].Title, rep.RootCause.Remedies[0].Manual = evil, evil
	r := d.Result{ID: d.FindingID(evil), Status: d.Fail, Summary: evil, Evidence: []d.Fact{{Name: evil, Value: evil}}}
	for name, m := range map[string]blocks.Message{
		"LiveChecks": blocks.LiveChecks([]d.Result{r}, 1),
		"Checks":     blocks.Checks(&d.Report{Results: []d.Result{r}}, nil),
		"AllChecks":  blocks.AllChecks(&d.Report{Results: []d.Result{r}}, false),
		"Verdict":    blocks.Verdict(rep, nil),
		"Root":       blocks.Root(evil, evil, rep),
		"Diagnosing": blocks.Diagnosing(evil, evil),
		"Audit":      blocks.Audit(evil, evil, evil, false),
		"Usage":      blocks.Usage(evil),
	} {
		t.Run(name, func(t *testing.T) {
			for _, s := range texts(t, m) {
				for _, bad := range []string{"<!channel>", "<!here>", "<@U123>", "<https:"} {
					if strings.Contains(s, bad) {
						t.Errorf("%s reaches Slack unescaped in %q", bad, s)
					}
				}
			}
			if !strings.Contains(strings.Join(texts(t, m), "\n"), "&lt;!channel&gt;") {
				t.Errorf("the escaped text is missing; it should be shown, not dropped")
			}
		})
	}
}

// TestOnlyPullcheckMentions: mentions pullcheck makes of the users it got
// from Slack are live; every mention in text is shown as text, whoever
// composed it.
func TestOnlyPullcheckMentions(t *testing.T) {
	tests := []struct {
		name string
		msg  blocks.Message
		want string
	}{
		{"audit", blocks.Audit("U1", "copy-pull-secret", "<@U9> created", false),
			":hammer_and_wrench: <@U1> applied `copy-pull-secret`: &lt;@U9&gt; created"},
		{"note", blocks.Note("fixed by <@U1> <!here>"), "fixed by &lt;@U1&gt; &lt;!here&gt;"},
		{"note by", blocks.NoteBy("applied <@U9>", "U1"), "applied &lt;@U9&gt; by <@U1>"},
		{"note by no ID", blocks.NoteBy("applied", "<@U9>"), "applied by `&lt;@U9&gt;`"},
		{"refusal", blocks.Refusal("ask <@U2> <!channel>"), ":no_entry: ask &lt;@U2&gt; &lt;!channel&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.msg.Blocks()[0].(*slack.SectionBlock).Text.Text
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWithoutButtons: after chat.update, a second click must find nothing
// to press; the rest of the message stays, and the closing line names the
// user who clicked and quotes the note as text.
func TestWithoutButtons(t *testing.T) {
	verdict := blocks.Verdict(report(d.RootCauseFound), fixButtons())
	done := blocks.WithoutButtons(verdict, "no longer needed: <!channel> <@U9>", "U1")
	vb, db := verdict.Blocks(), done.Blocks()
	for _, b := range db {
		if _, ok := b.(*slack.ActionBlock); ok {
			t.Fatalf("WithoutButtons still has an actions block")
		}
	}
	if diff := cmp.Diff(vb[:len(vb)-1], db[:len(db)-1]); diff != "" {
		t.Errorf("WithoutButtons changed the verdict (-verdict +done):\n%s", diff)
	}
	last := db[len(db)-1].(*slack.ContextBlock).ContextElements.Elements[0].(*slack.TextBlockObject).Text
	if want := ":lock: no longer needed: &lt;!channel&gt; &lt;@U9&gt; (clicked by <@U1>; buttons removed)"; last != want {
		t.Errorf("closing line %q, want %q", last, want)
	}
	if verdict.Text() != done.Text() {
		t.Errorf("fallback text changed: %q → %q", verdict.Text(), done.Text())
	}
	if forgotten := blocks.WithoutButtons(blocks.Message{}, "fixed <!here>", ""); forgotten.Text() != "fixed &lt;!here&gt;" {
		t.Errorf("a forgotten message closes with text %q", forgotten.Text())
	}
}

// actionsOf returns the buttons of a message's first actions block and the
// text of the context blocks after it.
func actionsOf(m blocks.Message) (btns []*slack.ButtonBlockElement, notes []string) {
	for _, b := range m.Blocks() {
		switch b := b.(type) {
		case *slack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				btns = append(btns, e.(*slack.ButtonBlockElement))
			}
		case *slack.ContextBlock:
			if btns != nil {
				notes = append(notes, b.ContextElements.Elements[0].(*slack.TextBlockObject).Text)
			}
		}
	}
	return btns, notes
}

func TestButtons(t *testing.T) {
	in := []blocks.Button{
		{ActionID: "apply", Text: "A", Value: "apply a"},
		{ActionID: "apply", Text: "B", Value: "apply b"},
		{Text: "C", Value: "apply c"},
		{ActionID: "x", Text: "Huge", Value: strings.Repeat("v", 2001)},
		{ActionID: "rm", Text: "Delete", Value: "apply restart-pod", Danger: true, Primary: true},
	}
	btns, notes := actionsOf(blocks.Verdict(report(d.PullsFine), in))
	var ids []string
	for _, b := range btns {
		ids = append(ids, b.ActionID)
	}
	if diff := cmp.Diff([]string{"apply", "apply-2", "button-3", "rm"}, ids); diff != "" {
		t.Errorf("action IDs (-want +got):\n%s", diff)
	}
	rm := btns[3]
	if rm.Style != slack.StyleDanger || rm.Confirm == nil || rm.Confirm.Confirm.Text != "Apply" || rm.Confirm.Deny.Text != "Cancel" {
		t.Errorf("danger button = style %q confirm %+v; want danger with a default confirm", rm.Style, rm.Confirm)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "`Huge` not shown") {
		t.Errorf("notes = %q, want one naming the button left out", notes)
	}
}

func TestTooManyButtons(t *testing.T) {
	var in []blocks.Button
	for i := range 30 {
		in = append(in, blocks.Button{ActionID: fmt.Sprint("b", i), Text: "B", Value: "v"})
	}
	btns, notes := actionsOf(blocks.Verdict(report(d.PullsFine), in))
	if len(btns) != 25 || len(notes) != 1 || !strings.Contains(notes[0], "5 more buttons not shown") {
		t.Errorf("%d buttons, notes %q; want 25 and a note of 5 more", len(btns), notes)
	}
}

func TestEvidenceCut(t *testing.T) {
	r := d.Result{ID: d.PodPullingOK, Status: d.Warn, Summary: "s"}
	for i := range 300 {
		r.Evidence = append(r.Evidence, d.Fact{Name: fmt.Sprint("fact ", i), Value: "v"})
	}
	m := blocks.Checks(&d.Report{Results: []d.Result{r}}, nil)
	got := m.Blocks()[2].(*slack.ContextBlock).ContextElements.Elements[0].(*slack.TextBlockObject).Text
	if !strings.HasSuffix(got, "\n… and 275 more facts") || strings.Count(got, "\n• ") != 24 {
		t.Errorf("evidence = %q, want 25 facts and a note of 275 more", got)
	}
}
