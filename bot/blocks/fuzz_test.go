package blocks_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// checkLimits fails the test unless m passes Validate and every text in it
// is valid UTF-8 with its code fences closed and no markup pullcheck did
// not make (only mentions of users it names itself).
func checkLimits(t *testing.T, m blocks.Message) {
	t.Helper()
	if err := blocks.Validate(m); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, s := range texts(t, m) {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in %q", s)
		}
		if n := strings.Count(s, "```"); n%2 != 0 {
			t.Errorf("%d code fences (unbalanced) in %q", n, s)
		}
		for _, tok := range markup.FindAllString(s, -1) {
			if !ownMention.MatchString(tok) {
				t.Errorf("unescaped markup %q in %q", tok, s)
			}
		}
	}
}

var (
	// markup is what Slack parses in mrkdwn: <…> sequences.
	markup = regexp.MustCompile(`<[^<>]*>`)
	// ownMention is the only markup pullcheck makes: a user it names.
	ownMention = regexp.MustCompile(`^<@[UW][A-Z0-9]+>$`)
)

// texts returns m's fallback text and every mrkdwn text of its blocks, and
// fails on a mrkdwn text that is not verbatim (Slack would link bare URLs
// and names in it) or a text object that is neither mrkdwn nor plain_text
// (which Slack shows as written, never as markup).
func texts(t *testing.T, m blocks.Message) []string {
	t.Helper()
	raw, err := json.Marshal(m.Blocks())
	if err != nil {
		t.Fatalf("marshalling blocks: %v", err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	out := []string{m.Text()}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				switch v["type"] {
				case "mrkdwn":
					out = append(out, s)
					if v["verbatim"] != true {
						t.Errorf("mrkdwn text %q is not verbatim", s)
					}
				case "plain_text":
				default:
					t.Errorf("text %q of type %v", s, v["type"])
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(tree)
	return out
}

// long repeats s into a string of about n runes (at least one rune).
func long(s string, n int) string {
	if s == "" {
		s = "x"
	}
	return strings.Repeat(s, n/max(1, utf8.RuneCountInString(s))+1)
}

func fuzzResult(status, id, summary, name, value string, facts, size int) d.Result {
	r := d.Result{ID: d.FindingID(long(id, size/10)), Status: d.Status(status), Summary: long(summary, size)}
	for i := range facts {
		r.Evidence = append(r.Evidence, d.Fact{Name: long(name, i%200), Value: long(value, size)})
	}
	return r
}

// FuzzChecks renders one fuzzed check in every form the thread shows it:
// live, folded into the finished checks message, and in the full list.
func FuzzChecks(f *testing.F) {
	f.Add("fail", "image-tag-not-found", "tag 1.1 not found <!channel>", "registry", "HTTP 404 & more", uint16(3), uint16(50))
	f.Add("warn", "ß", "é😀", "<@U1>", "```", uint16(400), uint16(4000))
	f.Add("skip", "", "", "", "", uint16(0), uint16(0))
	f.Add("pass", "&&&", "<<<>>>", "&amp;", "\xff\xfe", uint16(60), uint16(3000))
	f.Fuzz(func(t *testing.T, status, id, summary, name, value string, facts, size uint16) {
		r := fuzzResult(status, id, summary, name, value, int(facts%500), int(size%6000))
		rep := &d.Report{Request: d.Request{Namespace: "shop", Pod: r.Summary}, Results: []d.Result{r, r}}
		checkLimits(t, blocks.LiveChecks(rep.Results, 35))
		checkLimits(t, blocks.Checks(rep, &blocks.Button{ActionID: "show-all-checks", Text: "Show all checks", Value: value}))
		checkLimits(t, blocks.AllChecks(rep, false))
	})
}

func FuzzVerdict(f *testing.F) {
	f.Add(uint8(1), "summary <!here>", "title", "effect", "kubectl delete pod x", "Restart", "apply restart-pod", "apply", uint8(3), uint8(4), uint16(100))
	f.Add(uint8(0), "é😀", "```", "&", "```\n```", "", "", "", uint8(40), uint8(60), uint16(5000))
	f.Add(uint8(2), "", "", "", "", "\xff", "v", "same", uint8(0), uint8(30), uint16(2100))
	f.Fuzz(func(t *testing.T, verdict uint8, summary, title, effect, manual, text, value, actionID string, nRem, nBtn uint8, size uint16) {
		n := int(size % 6000)
		rep := report([]d.Verdict{d.RootCauseFound, d.PullsFine, d.VerdictUnproved, "odd"}[verdict%4])
		rep.Request.Pod, rep.Container, rep.Image = long(title, n), long(text, n), long(value, n)
		for i := range rep.Results {
			rep.Results[i].Summary = long(summary, n)
		}
		if rep.RootCause != nil {
			rep.RootCause.Remedies = nil
			for i := range int(nRem % 40) {
				rep.RootCause.Remedies = append(rep.RootCause.Remedies, d.Remedy{
					Action: d.Action(long(actionID, i)), Title: long(title, n), Effect: long(effect, n),
					Risk: d.Disruptive, Manual: long(manual, n*(i%3)),
				})
			}
		}
		var buttons []blocks.Button
		for i := range int(nBtn % 60) {
			buttons = append(buttons, blocks.Button{
				ActionID: long(actionID, n*(i%2)), Text: long(text, n), Value: long(value, n*(i%3)),
				Danger: i%2 == 0, Primary: i%3 == 0,
				Confirm: &blocks.Confirm{Title: long(title, n), Text: long(effect, n), OK: long(text, n%50), Deny: text},
			})
		}
		checkLimits(t, blocks.Verdict(rep, buttons))
		checkLimits(t, blocks.WithoutButtons(blocks.Verdict(rep, buttons), long(summary, n), "U1"))
		checkLimits(t, blocks.Root(long(actionID, n), long(title, n), rep))
	})
}

// TestEveryRendererWithinLimits feeds every renderer oversized, multi-byte
// and hostile input.
func TestEveryRendererWithinLimits(t *testing.T) {
	big := long("é😀<!channel>&", 50000)
	rep := report(d.RootCauseFound)
	rep.RootCause.Summary = big
	for range 100 {
		rep.RootCause.Remedies = append(rep.RootCause.Remedies, d.Remedy{Title: big, Effect: big, Manual: big, Action: d.Action(big), Risk: d.Risk(big)})
	}
	rep.Results = append(rep.Results, fuzzResult("inconclusive", big, big, big, big, 300, 5000))
	buttons := make([]blocks.Button, 40)
	for i := range buttons {
		buttons[i] = blocks.Button{ActionID: "same", Text: big, Value: big[:1000*(i%3)], Danger: true, Confirm: &blocks.Confirm{}}
	}
	for name, m := range map[string]blocks.Message{
		"Diagnosing":     blocks.Diagnosing(big, big),
		"LiveChecks":     blocks.LiveChecks(rep.Results, 0),
		"Checks":         blocks.Checks(rep, &blocks.Button{ActionID: big, Text: big, Value: big}),
		"AllChecks":      blocks.AllChecks(rep, true),
		"Verdict":        blocks.Verdict(rep, buttons),
		"Verdict nil":    blocks.Verdict(nil, buttons),
		"Root":           blocks.Root(big, big, rep),
		"Root nil":       blocks.Root("", "", nil),
		"Audit":          blocks.Audit(big, big, big, true),
		"WithoutButtons": blocks.WithoutButtons(blocks.Verdict(rep, buttons), big, "U1"),
		"Note":           blocks.Note(big),
		"NoteBy":         blocks.NoteBy(big, big),
		"Usage":          blocks.Usage(big),
		"Refusal":        blocks.Refusal(big),
		"Failure":        blocks.Failure(big, big),
		"empty":          blocks.Note(""),
	} {
		t.Run(name, func(t *testing.T) { checkLimits(t, m) })
	}
}
