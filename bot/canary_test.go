package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/canary"
)

// slackTexts is everything the fake Slack received, by where it came:
// every Web API call's form fields (but the token field, where the bot
// token belongs), every ack and every response_url post.
func slackTexts(fs *fakeslack.Server) map[string]string {
	texts := map[string]string{}
	for i, c := range fs.Calls() {
		for k, v := range c.Form {
			if k != "token" {
				texts[fmt.Sprintf("call %d %s field %s", i, c.Method, k)] = strings.Join(v, "\n")
			}
		}
	}
	for _, a := range fs.Acks() {
		texts["ack "+a.EnvelopeID] = string(a.Payload)
	}
	for i, p := range fs.ResponseURLPosts() {
		texts[fmt.Sprintf("response_url post %d", i)] = string(p.Body)
	}
	return texts
}

// TestSecretsNeverReachSlackOrLogs drives every kind of request through the
// bot — diagnoses of pods with canary credentials, a mention, a namespace,
// quota, a fix click and its follow-up — and looks for every planted
// secret, in every encoding, in every Slack Web API call, ack and
// response_url post, and in the logs at debug level.
func TestSecretsNeverReachSlackOrLogs(t *testing.T) {
	var logs canary.Buffer
	h := startWith(t, setup{logs: &logs})
	pods, secrets := canary.Plant(h.world)
	secrets = append(secrets, "xapp-test")
	for _, p := range pods {
		h.command(visitor, "pod "+p)
	}
	env, err := h.slack.Mention(visitor, channel, "<@"+fakeslack.BotUserID+"> pod "+pods[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.command(visitor, "namespace canary")
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-copy-pull-secret")
	h.click(onCall, verdict, "fix-copy-pull-secret")
	h.waitMessage(func(m fakeslack.Message) bool { // the follow-up's re-diagnosis
		b, _ := buttonsIn(t, m)
		return m.ThreadTS == root.TS && m.TS > verdict.TS && b["fix-patch-service-account"] != ""
	}, 0)
	quota, err := h.slack.SlashCommand(onCall, channel, "quota")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, quota); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && strings.Contains(m.Text, "Registry quota") }, 0)
	if !h.secretExists("team-a", sandbox.AllICRIO) {
		t.Fatal("the fix was not applied: the canary test did not see the copy")
	}

	texts := slackTexts(h.slack)
	texts["logs"] = logs.String()
	for _, leak := range canary.Scan(texts, canary.Forms(secrets...)) {
		t.Error(leak)
	}
	if !strings.Contains(texts["logs"], `"level":"DEBUG"`) {
		t.Error("no debug logs were captured: the logs were not searched")
	}
}
