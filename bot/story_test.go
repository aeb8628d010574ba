package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestStory walks the on-call story end to end through the real bot:
// slash command -> ack -> root message -> the checks in one thread message
// -> the verdict with buttons -> root updated; an unauthorised click changes
// nothing; authorised clicks copy the secret, patch the service account and
// restart the pod, each audited with its buttons removed; a double click
// applies once; the replacement pod runs and "resolved" is posted.
func TestStory(t *testing.T) {
	h := start(t)
	t0 := time.Now()
	lap := func(what string) { t.Logf("%6.2fs %s", time.Since(t0).Seconds(), what) }
	s := scenario(t, "team-a")
	pod := s.Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)

	lap("diagnosed")
	thread := h.slack.Thread(channel, root.TS)
	if n := len(thread); n != 2 {
		t.Fatalf("thread has %d replies, want the checks message and the verdict%s", n, h.dump())
	}
	h.finalChecks(thread[0].TS)
	if !strings.Contains(root.Text, string(diagnose.PullSecretNotCopied)) {
		t.Errorf("root message not updated to the root cause: %q", root.Text)
	}
	verdict := h.verdictWith(root.TS, "fix-copy-pull-secret")
	btns, _ := buttonsIn(t, verdict)
	if btns["fix-copy-pull-secret"] != "fix copy-pull-secret team-a/"+pod+" pull-secret-not-copied secret=all-icr-io" {
		t.Errorf("button value %q", btns["fix-copy-pull-secret"])
	}

	// An unauthorised click: a refusal only the visitor sees, nothing changes.
	h.click(visitor, verdict, "fix-copy-pull-secret")
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == visitor && strings.Contains(m.Text, "only on-call")
	}, 0)
	if h.secretExists("team-a", sandbox.AllICRIO) {
		t.Fatal("an unauthorised click created the secret")
	}

	lap("refused")
	// On-call (a user-group member) copies the secret.
	h.click(grouped, verdict, "fix-copy-pull-secret")
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "copy-pull-secret") && strings.Contains(m.Text, grouped)
	}, 0)
	if !h.secretExists("team-a", sandbox.AllICRIO) {
		t.Fatal("the secret was not copied")
	}
	h.waitMessage(func(m fakeslack.Message) bool {
		b, _ := buttonsIn(t, m)
		return m.TS == verdict.TS && m.Updates > 0 && len(b) == 0
	}, 0)

	lap("copied")
	// The re-diagnosis offers the service-account patch; two clicks at once apply it once.
	next := h.verdictWith(root.TS, "fix-patch-service-account")
	var wg sync.WaitGroup
	for _, u := range []string{onCall, grouped} {
		wg.Add(1)
		go func() { defer wg.Done(); h.click(u, next, "fix-patch-service-account") }()
	}
	wg.Wait()
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "already applied (or is being applied) by <@U0") // a live mention of the first
	}, 0)
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "patch-service-account") && !m.Ephemeral && m.TS > next.TS
	}, 0)
	sa, err := h.world.Kube.CoreV1().ServiceAccounts("team-a").Get(context.Background(), "default", metav1.GetOptions{})
	if err != nil || len(sa.ImagePullSecrets) != 1 || sa.ImagePullSecrets[0].Name != sandbox.AllICRIO {
		t.Fatalf("service account after two clicks: %+v, %v%s", sa.ImagePullSecrets, err, h.dump())
	}
	if n := countActions(h, "patch", "serviceaccounts"); n != 1 {
		t.Errorf("%d service-account patches, want 1", n)
	}

	lap("patched")
	// Restart: the pod is deleted; the controller's replacement (made here,
	// there is no controller manager) runs, and the thread says resolved.
	restart := h.verdictWith(root.TS, "fix-restart-pod")
	h.click(onCall, restart, "fix-restart-pod")
	h.waitMessage(func(m fakeslack.Message) bool {
		return strings.Contains(m.Text, "restart-pod") && m.ThreadTS == root.TS
	}, 0)
	replace(t, h, "team-a", pod)
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "resolved in")
	}, 0)

	lap("resolved")
	checkAllMessages(t, h)
	lap("checked")
}

func scenario(t *testing.T, name string) sandbox.Scenario {
	t.Helper()
	s, ok := sandbox.Named(name)
	if !ok {
		t.Fatalf("no sandbox scenario %q", name)
	}
	return s
}

func countActions(h *harness, verb, resource string) int {
	n := 0
	for _, a := range h.world.Kube.Actions() {
		if a.GetVerb() == verb && a.GetResource().Resource == resource {
			n++
		}
	}
	return n
}

// replace plays the ReplicaSet controller: a new pod of the same owner, running.
func replace(t *testing.T, h *harness, ns, old string) {
	t.Helper()
	pods := h.world.Kube.CoreV1().Pods(ns)
	// The audit line may reach Slack a moment before the delete is seen.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := pods.Get(context.Background(), old, metav1.GetOptions{}); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pod %s was not deleted", old)
		}
	}
	rs, err := h.world.Kube.AppsV1().ReplicaSets(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil || len(rs.Items) == 0 {
		t.Fatalf("no replica set: %v", err)
	}
	yes := true
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: old + "-new", CreationTimestamp: metav1.Now(),
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Items[0].Name, UID: rs.Items[0].UID, Controller: &yes}}},
		Spec:   rs.Items[0].Spec.Template.Spec,
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}}
	if _, err := pods.Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// checkAllMessages holds every recorded message to Block Kit's limits and
// proves no secret of the sandbox (all start with "sbx") reached Slack.
func checkAllMessages(t *testing.T, h *harness) {
	t.Helper()
	for _, m := range h.slack.Messages(channel) {
		var bl slack.Blocks
		if err := json.Unmarshal(m.Blocks, &bl); err != nil {
			t.Errorf("message %s: %v", m.TS, err)
			continue
		}
		if err := blocks.ValidatePayload(m.Text, bl.BlockSet); err != nil {
			t.Errorf("message %s breaks a Block Kit limit: %v", m.TS, err)
		}
		if strings.Contains(string(m.Blocks)+m.Text, "sbx") {
			t.Errorf("message %s leaks a secret: %s", m.TS, m.Blocks)
		}
	}
	for _, c := range h.slack.Calls() {
		for k, v := range c.Form {
			if k != "token" && strings.Contains(strings.Join(v, " "), "sbx") {
				t.Errorf("%s form field %s leaks a secret", c.Method, k)
			}
		}
	}
}
