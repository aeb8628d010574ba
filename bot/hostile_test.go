package bot_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// hostile is cluster text that would mention everyone, a user, a channel
// and a group, and show a disguised link, were it posted as it is.
const hostile = "<!channel> <!here> <!everyone> <@U0EVIL> <#C0EVIL> <!subteam^S0EVIL> <http://evil.example|click me> &amp; ``` `"

// TestClusterTextCannotMention diagnoses a pod whose kubelet message is
// hostile, then lets the cluster turn hostile under a verdict before its
// fix is clicked, so that the note replacing the verdict quotes it: no
// message, update or ephemeral reply pullcheck sends carries markup it did
// not make itself, which is only the mention of the user who clicked.
func TestClusterTextCannotMention(t *testing.T) {
	h := startWith(t, setup{unlimited: true})
	evil := h.world.Deploy(sandbox.Workload{Namespace: "team-x", Name: "web", Image: "us.icr.io/shop/web:1.0",
		PodOnlySecrets: []string{sandbox.AllICRIO}, Reason: "ErrImagePull", Kubelet: "rpc error: code = Unknown desc = " + hostile})
	h.command(visitor, "pod team-x/"+evil)

	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-copy-pull-secret")
	turnHostile(t, h, "team-a", pod)
	h.click(onCall, verdict, "fix-copy-pull-secret")
	closed := h.waitMessage(func(m fakeslack.Message) bool { return m.TS == verdict.TS && m.Updates > 0 }, 0)
	if got := strings.Join(mrkdwnTexts(t, string(closed.Blocks)), "\n"); !strings.Contains(got, "clicked by <@"+onCall+">") {
		t.Errorf("the closed verdict does not name who clicked: %s", got)
	}
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "no longer needed")
	}, 0)

	checkNoForgedMarkup(t, h, "<@"+onCall+">")
}

// turnHostile plays a cluster that changes under a verdict: someone else
// copies the pull secret, and a rollout sets a hostile image reference, so
// that the fix is no longer needed and the note saying so quotes the image.
func turnHostile(t *testing.T, h *harness, ns, pod string) {
	t.Helper()
	ctx := context.Background()
	secrets := h.world.Kube.CoreV1().Secrets
	def, err := secrets("default").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cp := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: sandbox.AllICRIO}, Type: def.Type, Data: def.Data}
	if _, err := secrets(ns).Create(ctx, cp, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pods := h.world.Kube.CoreV1().Pods(ns)
	p, err := pods.Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Spec.Containers[0].Image = "us.icr.io/shop/web:1.1" + hostile
	p.Status.ContainerStatuses[0].State.Waiting = &corev1.ContainerStateWaiting{Reason: "InvalidImageName", Message: hostile}
	if _, err := pods.Update(ctx, p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// markup matches what Slack parses in mrkdwn: <…> sequences and entities.
var (
	markup = regexp.MustCompile(`<[^<>]*>`)
	entity = regexp.MustCompile(`&(amp|lt|gt);`)
)

// checkNoForgedMarkup fails on any <…> sequence other than allowed, any &
// that is not an entity and any unclosed code block, in the text of every chat call and in every
// mrkdwn text of its blocks; plain_text is never parsed for markup.
func checkNoForgedMarkup(t *testing.T, h *harness, allowed ...string) {
	t.Helper()
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	calls := 0
	for _, c := range h.slack.Calls() {
		if !strings.HasPrefix(c.Method, "chat.") {
			continue
		}
		calls++
		texts := append([]string{c.Form.Get("text")}, mrkdwnTexts(t, c.Form.Get("blocks"))...)
		for _, s := range texts {
			for _, m := range markup.FindAllString(s, -1) {
				if !ok[m] {
					t.Errorf("%s carries markup %q pullcheck did not make: %q", c.Method, m, s)
				}
			}
			if strings.Count(s, "&") != len(entity.FindAllString(s, -1)) {
				t.Errorf("%s carries an unescaped &: %q", c.Method, s)
			}
			if strings.Count(s, "```")%2 != 0 {
				t.Errorf("%s carries an unclosed code block: %q", c.Method, s)
			}
		}
	}
	if calls == 0 {
		t.Fatal("no chat calls recorded")
	}
}

// mrkdwnTexts returns every mrkdwn text in a blocks form field, and fails
// on a text object that is neither mrkdwn nor plain_text.
func mrkdwnTexts(t testing.TB, raw string) []string {
	t.Helper()
	if raw == "" {
		return nil
	}
	var tree any
	if err := json.Unmarshal([]byte(raw), &tree); err != nil {
		t.Fatalf("blocks %s: %v", raw, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				switch v["type"] {
				case "mrkdwn":
					out = append(out, s)
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
