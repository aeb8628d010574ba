package commands

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// TextOutput writes answers to a terminal, in the same order and words as
// the chat thread.
type TextOutput struct {
	mu  sync.Mutex
	out io.Writer
}

// NewTextOutput returns an Output writing to w.
func NewTextOutput(w io.Writer) *TextOutput { return &TextOutput{out: w} }

var _ Output = (*TextOutput)(nil)

func (t *TextOutput) printf(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.out, format, args...)
}

// Private prints the answer; failures carry their reference.
func (t *TextOutput) Private(_ context.Context, m Private) error {
	switch {
	case m.Ref != "":
		t.printf("%s (reference %s)\n", m.Text, m.Ref)
	case m.Kind == UsageReply:
		t.printf("%s\nCommands: %s\n", m.Text, Grammar)
	case m.By != "":
		t.printf("%s by %s\n", m.Text, m.By)
	default:
		t.printf("%s\n", m.Text)
	}
	return nil
}

// Open prints a header.
func (t *TextOutput) Open(_ context.Context, kind, target string) (Conversation, error) {
	t.printf("%s %s…\n", kind, target)
	return textConversation{t}, nil
}

// Resume is never possible at a terminal.
func (t *TextOutput) Resume(context.Context) (Conversation, bool) { return nil, false }

type textConversation struct{ t *TextOutput }

func (c textConversation) Step(_ context.Context, r diagnose.Result) error {
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	return diagnose.WriteResultText(c.t.out, r)
}

func (c textConversation) Verdict(_ context.Context, rep *diagnose.Report, _ []Offer) error {
	c.t.mu.Lock()
	defer c.t.mu.Unlock()
	return diagnose.WriteVerdictText(c.t.out, rep)
}

func (c textConversation) Finish(_ context.Context, _ *diagnose.Report, headline string) error {
	if headline != "" {
		c.t.printf("%s\n", headline)
	}
	return nil
}

func (c textConversation) Audit(_ context.Context, user string, res fix.Result) error {
	mode := "applied"
	if res.DryRun {
		mode = "dry run of"
	}
	c.t.printf("%s %s %s: %s\n", user, mode, res.Action, res.Summary)
	return nil
}

func (c textConversation) CloseOffers(context.Context, string) error { return nil }

func (c textConversation) Note(_ context.Context, text string) error {
	c.t.printf("%s\n", text)
	return nil
}
