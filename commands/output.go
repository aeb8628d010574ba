package commands

import (
	"context"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
)

// Output is where a request's answers go: a chat thread or a terminal.
type Output interface {
	// Private answers only the requester: usage, help, refusals, failures.
	Private(ctx context.Context, m Private) error
	// Open starts a conversation about a target: the root message.
	Open(ctx context.Context, kind, target string) (Conversation, error)
	// Resume continues the conversation a button was clicked in; ok is false
	// when the request did not come from one.
	Resume(ctx context.Context) (c Conversation, ok bool)
}

// PrivateKind says what a private answer is.
type PrivateKind string

// Private answer kinds.
const (
	UsageReply   PrivateKind = "usage"
	HelpReply    PrivateKind = "help"
	RefusalReply PrivateKind = "refusal"
	FailureReply PrivateKind = "failure"
	InfoReply    PrivateKind = "info"
)

// Private is an answer only the requester sees. Text is safe to show; Ref
// is the log reference of a failure.
type Private struct {
	Kind PrivateKind
	Text string
	Ref  string
	// By is the chat user who did what an info answer reports ("… by
	// @ana"). Chat shows it as a mention; Text never mentions anyone, as
	// it may quote the cluster.
	By string
}

// Conversation is one thread about one target.
type Conversation interface {
	// Step shows one check as it completes.
	Step(ctx context.Context, r diagnose.Result) error
	// Verdict shows the root cause and offers its fixes.
	Verdict(ctx context.Context, rep *diagnose.Report, offers []Offer) error
	// Finish updates the root message: to the report's verdict, or to
	// headline when rep is nil.
	Finish(ctx context.Context, rep *diagnose.Report, headline string) error
	// Audit records an applied fix: who, what, the API result.
	Audit(ctx context.Context, user string, res fix.Result) error
	// CloseOffers removes the buttons of the message that was clicked,
	// saying why (note); chat names the user who clicked.
	CloseOffers(ctx context.Context, note string) error
	// Note adds a line to the thread, shown as written (never as markup).
	Note(ctx context.Context, text string) error
}

// Offer is a fix button: Value is the command a click runs again.
type Offer struct {
	Action     diagnose.Action
	Title      string
	Value      string
	Disruptive bool
	// Confirm says exactly what will change; set for disruptive fixes.
	Confirm string
}
