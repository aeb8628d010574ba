package blocks_test

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// clicker is the user pullcheck names itself: who clicked, who applied.
const clicker = "U0CLICK"

// hostileReport is a finished diagnosis whose every text from the cluster,
// the registry or IBM Cloud is v: names, image, summaries, evidence, the
// remedies' titles, effects and manual commands.
func hostileReport(verdict d.Verdict, v string) *d.Report {
	rep := report(verdict)
	rep.Request.Namespace, rep.Request.Pod, rep.Container, rep.Image = v, v, v, v
	for i := range rep.Results {
		r := &rep.Results[i]
		r.Summary = v
		r.Evidence = append(r.Evidence, d.Fact{Name: v, Value: v})
		for j := range r.Remedies {
			m := &r.Remedies[j]
			m.Title, m.Effect, m.Manual = v, v, v
		}
	}
	if rep.RootCause != nil {
		rep.RootCause.Remedies = append(rep.RootCause.Remedies, d.Remedy{Action: d.Action(v), Risk: d.Risk(v), Title: v, Effect: v, Manual: v})
	}
	rep.Results = append(rep.Results, d.Result{ID: d.FindingID(v), Status: d.Inconclusive, Summary: v})
	return rep
}

// hostileButtons are offers whose titles, values and confirmations quote v,
// as titles of remedies that name cluster objects do.
func hostileButtons(v string) []blocks.Button {
	return append(fixButtons(), blocks.Button{ActionID: v, Text: v, Value: v, Danger: true,
		Confirm: &blocks.Confirm{Title: v, Text: v, OK: v, Deny: v}})
}

// everyMessage renders every message pullcheck posts, with v in every field
// that can come from the cluster, a registry, IBM Cloud or a user.
func everyMessage(v string) map[string]blocks.Message {
	rep, unsure := hostileReport(d.RootCauseFound, v), hostileReport(d.VerdictUnproved, v)
	btns := hostileButtons(v)
	showAll := &blocks.Button{ActionID: "show-all-checks", Text: "Show all checks", Value: v}
	sweep := blocks.SweepFinding(v, v, []string{v, v}, btns)
	msgs := map[string]blocks.Message{
		"Diagnosing":                  blocks.Diagnosing(v, v),
		"LiveChecks first":            blocks.LiveChecks(rep.Results[:1], 35),
		"LiveChecks partial":          blocks.LiveChecks(rep.Results[:4], 35),
		"LiveChecks all":              blocks.LiveChecks(rep.Results, 0),
		"Checks":                      blocks.Checks(rep, showAll),
		"Checks inconclusive":         blocks.Checks(unsure, showAll),
		"Checks without button":       blocks.Checks(rep, nil),
		"AllChecks":                   blocks.AllChecks(rep, false),
		"AllChecks fresh":             blocks.AllChecks(unsure, true),
		"Verdict":                     blocks.Verdict(rep, btns),
		"Verdict inconclusive":        blocks.Verdict(unsure, btns),
		"Root":                        blocks.Root(v, v, rep),
		"Root inconclusive":           blocks.Root(v, v, unsure),
		"Audit":                       blocks.Audit(clicker, v, v, false),
		"Audit dry run":               blocks.Audit(clicker, v, v, true),
		"Audit of no user ID":         blocks.Audit(v, v, v, false),
		"Note":                        blocks.Note(v),
		"NoteBy":                      blocks.NoteBy(v, clicker),
		"NoteBy no user ID":           blocks.NoteBy(v, v),
		"Usage":                       blocks.Usage(v),
		"Help":                        blocks.Help(),
		"Refusal":                     blocks.Refusal(v),
		"Failure":                     blocks.Failure(v, v),
		"AlertRoot":                   blocks.AlertRoot(v, 3, rep),
		"Storm":                       blocks.Storm(v, v, 1000, 200, []string{v, v}, []string{v, v, v}),
		"SweepFinding":                sweep,
		"WithoutButtons verdict":      blocks.WithoutButtons(blocks.Verdict(rep, btns), v, clicker),
		"WithoutButtons sweep":        blocks.WithoutButtons(sweep, v, clicker),
		"WithoutButtons no user ID":   blocks.WithoutButtons(blocks.Verdict(rep, btns), v, v),
		"WithoutButtons forgotten":    blocks.WithoutButtons(blocks.Message{}, v, clicker),
		"WithActionsID of a verdict":  blocks.Verdict(rep, btns).WithActionsID("fixes/" + v),
		"WithoutButtons inconclusive": blocks.WithoutButtons(blocks.Verdict(unsure, btns), v, clicker),
	}
	for i, m := range blocks.Listing(v, []string{v, v, v}) {
		msgs[fmt.Sprint("Listing ", i)] = m
	}
	return msgs
}

// FuzzNoForgedMarkup renders every message with a hostile string in every
// cluster field and with a harmless one of the same length: the hostile
// render may carry no <…> sequence the harmless one lacks (so the only
// live markup is the mentions pullcheck makes itself), no & that is not an
// entity, and no unclosed code block. Run it with
// go test ./bot/blocks -run '^$' -fuzz FuzzNoForgedMarkup -fuzztime 15s.
func FuzzNoForgedMarkup(f *testing.F) {
	for _, s := range []string{
		"<!channel>", "<!here> <!everyone>", "<@U123>", "<@W0ABC|boss>", "<#C123>", "<#C123|general>",
		"<!subteam^S123>", "<!subteam^S123|@oncall>", "<http://evil.example|click me>", "<mailto:a@b.c|mail>",
		"<!date^1392734382^{date}|x>", "&", "&amp;", "&lt;!channel&gt;", "<", ">", "<<!channel>>", "<@U1><@U2>",
		"```", "``", "`", "a```b```c", "@channel @here http://evil.example #general", "*bold* _it_ ~s~ :skull:",
		"\n> quoted\n", "\xff<\xfe!here>", "é😀<!channel>", strings.Repeat("<!here>", 600),
	} {
		f.Add(s, uint16(1))
		f.Add(s, uint16(700))
	}
	harmless := map[int]map[string]map[string]int{} // by size: message -> token counts
	f.Fuzz(func(t *testing.T, s string, n uint16) {
		size := int(n%1500) + 1
		if harmless[size] == nil {
			harmless[size] = map[string]map[string]int{}
			for name, m := range everyMessage(long("x", size)) {
				harmless[size][name] = tokenCounts(t, m)
			}
		}
		for name, m := range everyMessage(long(s, size)) {
			if err := blocks.Validate(m); err != nil {
				t.Fatalf("%s: Validate: %v", name, err)
			}
			allowed := maps.Clone(harmless[size][name])
			for _, txt := range texts(t, m) {
				if !utf8.ValidString(txt) {
					t.Errorf("%s: invalid UTF-8 in %q", name, txt)
				}
				checkInert(t, name, txt, allowed)
			}
		}
	})
}

// entity matches the entities escaping makes.
var entity = regexp.MustCompile(`&(amp|lt|gt);`)

// checkInert fails on markup in txt beyond what allowed still holds
// (allowed is used up as tokens are found), a lone < or >, a bare &, and
// an unclosed code block.
func checkInert(t *testing.T, name, txt string, allowed map[string]int) {
	t.Helper()
	toks := markup.FindAllString(txt, -1)
	for _, tok := range toks {
		if allowed[tok] == 0 {
			t.Errorf("%s: markup %q that pullcheck did not make, in %q", name, tok, txt)
			continue
		}
		allowed[tok]--
	}
	if strings.Count(txt, "<") != len(toks) || strings.Count(txt, ">") != len(toks) {
		t.Errorf("%s: a lone < or > in %q", name, txt)
	}
	if strings.Count(txt, "&") != len(entity.FindAllString(txt, -1)) {
		t.Errorf("%s: a bare & in %q", name, txt)
	}
	if strings.Count(txt, "```")%2 != 0 {
		t.Errorf("%s: an unclosed code block in %q", name, txt)
	}
}

// tokenCounts counts the <…> sequences of every text of m.
func tokenCounts(t *testing.T, m blocks.Message) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, txt := range texts(t, m) {
		for _, tok := range markup.FindAllString(txt, -1) {
			n[tok]++
		}
	}
	return n
}

// TestPullcheckMentionsSurvive: the harmless render of everyMessage keeps
// the mentions pullcheck makes, so FuzzNoForgedMarkup compares against
// something.
func TestPullcheckMentionsSurvive(t *testing.T) {
	for _, name := range []string{"Audit", "NoteBy", "WithoutButtons verdict", "WithoutButtons sweep"} {
		if got := tokenCounts(t, everyMessage("x")[name]); got["<@"+clicker+">"] == 0 {
			t.Errorf("%s does not mention %s: %v", name, clicker, got)
		}
	}
}
