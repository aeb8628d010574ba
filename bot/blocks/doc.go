// Package blocks renders pullcheck's chat messages as Slack Block Kit: the
// root message of a diagnosis, the one thread message that shows its checks
// by stage (live as they complete, folded once done, and in full for
// "Show all checks"), the verdict with its fix buttons, the audit line of
// an applied fix, the short replies (usage, help, refusals, failures),
// alerts, storms and sweep findings.
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
// Every text that becomes mrkdwn goes through one choke point, the mrkdwn
// type of text.go: any string is escaped on the way in (untrusted), so a pod
// name, a kubelet message, an IBM error or a remedy that quotes them cannot
// mention @channel, a user, a channel or a group, show a disguised link, or
// open a code block. The only live markup is a mention pullcheck makes of a
// user ID it got from Slack (who clicked, who applied: Audit, NoteBy,
// WithoutButtons); text a caller composes (Note, Refusal, Failure, the note
// of WithoutButtons) is escaped whole, since it often quotes the cluster.
// mrkdwn text objects are verbatim and messages are posted with parse=none,
// so Slack does not turn bare URLs or "@here" into links or mentions either.
// TestOneChokePoint holds the rule in the source; FuzzNoForgedMarkup holds
// it for every renderer.
//
// Buttons are data the caller (package commands) decides on; this package
// only renders them. A button's value is a pre-typed command, so a click and
// a typed command share one path.
//
// The package imports slack-go and diagnose only; it never talks to Slack or
// Kubernetes. Posting, threading and chat.update belong to package bot.
package blocks
