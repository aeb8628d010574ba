// Package blocks renders pullcheck's chat messages as Slack Block Kit: the
// root message of a diagnosis, one thread reply per check, the verdict with
// its fix buttons, the audit line of an applied fix, and the short replies
// (usage, help, refusals, failures).
//
// Every renderer is a pure function from pullcheck's vocabulary (package
// diagnose) to a Message, and every Message it returns passes Validate
// whatever the input: text that would exceed a Block Kit limit is cut at a
// rune boundary with a visible note ("… (truncated, 1234 more characters)",
// "… and 37 more facts"), code blocks stay closed, and buttons that cannot be
// shown are named in a note instead of being sent. Slack rejects a message
// that breaks a single limit, and a diagnosis that cannot be posted helps no
// one, so the renderers degrade and never fail.
//
// Text that comes from the cluster, the registry or the user (summaries,
// evidence, names, image references) is escaped, so a pod or an error message
// cannot mention @channel, a user or a link. Mentions of Slack users are only
// kept where this package builds them (Audit) or where the caller composes the
// text itself (Note, ButtonsDone, Refusal, Failure), and even there only the
// plain user form <@U…>; <!channel>, <!here> and links are always escaped.
//
// Buttons are data the caller (package commands) decides on; this package
// only renders them. A button's value is a pre-typed command, so a click and
// a typed command share one path.
//
// The package imports slack-go and diagnose only; it never talks to Slack or
// Kubernetes. Posting, threading and chat.update belong to package bot.
package blocks
