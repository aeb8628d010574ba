package bot_test

import (
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/commands"
)

// TestChannelTravels: the channel of a slash command, a mention and a
// click reaches the command path, where channel bindings apply. Bound to
// diagnose only, the channel diagnoses; a click on a fix button is
// refused privately and changes nothing; a mention about another namespace
// is refused too.
func TestChannelTravels(t *testing.T) {
	h := start(t)
	h.svc.Access = commands.NewAccess([]commands.Binding{{Channel: channel, Namespaces: []string{"team-*"},
		Rights: []commands.Right{commands.RightDiagnose}}}, nil, "kube-system")
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(onCall, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-copy-pull-secret")
	h.click(onCall, verdict, "fix-copy-pull-secret")
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == onCall && strings.Contains(m.Text, "may not apply fixes in namespace team-a from this channel")
	}, 0)
	if h.secretExists("team-a", "all-icr-io") {
		t.Error("a click in a channel bound to diagnose only applied a fix")
	}
	env, err := h.slack.Mention(visitor, channel, "<@UBOT> namespace billing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == visitor && strings.Contains(m.Text, "may not diagnose in namespace billing from this channel")
	}, 0)
}
