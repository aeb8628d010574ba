package bot_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
)

// TestFixItStory: team-a's verdict offers Fix it, whose one confirmation
// lists the three steps; a visitor's click is refused; two on-call clicks
// at once apply copy, patch and restart once, each step audited in the
// thread; the replacement pod runs and the thread says resolved.
func TestFixItStory(t *testing.T) {
	h := start(t)
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-plan")
	btns, _ := buttonsIn(t, verdict)
	if want := "fixit team-a/" + pod + " copy-pull-secret,patch-service-account,restart-pod"; btns["fix-plan"] != want {
		t.Errorf("Fix it value %q, want %q", btns["fix-plan"], want)
	}
	for _, id := range []string{"fix-copy-pull-secret", "fix-patch-service-account", "fix-restart-pod"} {
		if btns[id] == "" {
			t.Errorf("the single step %s lost its button: %v", id, btns)
		}
	}
	confirm := confirmOf(t, verdict, "fix-plan")
	for _, step := range []string{"1. Copy all-icr-io into team-a", "2. Add all-icr-io to service account default", "3. Restart pod " + pod} {
		if confirm == nil || !strings.Contains(confirm.Text.Text, step) {
			t.Fatalf("the confirmation does not list %q: %+v", step, confirm)
		}
	}

	h.click(visitor, verdict, "fix-plan")
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == visitor && strings.Contains(m.Text, "only on-call engineers may apply fixes")
	}, 0)
	if h.secretExists("team-a", "all-icr-io") {
		t.Fatal("a visitor's Fix it changed the cluster")
	}

	clicked := time.Now()
	var wg sync.WaitGroup
	for _, u := range []string{onCall, grouped} {
		wg.Go(func() { h.click(u, verdict, "fix-plan") })
	}
	wg.Wait()
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "already applied (or is being applied) by <@U0")
	}, 0)
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "applied restart-pod")
	}, 0)
	replace(t, h, "team-a", pod)
	h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "resolved in")
	}, 0)
	t.Logf("fix-it: click to resolved %.1fs", time.Since(clicked).Seconds())

	var audits []string
	for _, m := range h.slack.Thread(channel, root.TS) {
		if _, what, ok := strings.Cut(m.Text, " applied "); ok && !m.Ephemeral {
			audits = append(audits, strings.Fields(what)[0])
		}
	}
	if want := []string{"copy-pull-secret:", "patch-service-account:", "restart-pod:"}; strings.Join(audits, " ") != strings.Join(want, " ") {
		t.Errorf("audit lines %v, want one per step %v", audits, want)
	}
	if n := countActions(h, "patch", "serviceaccounts"); n != 1 {
		t.Errorf("%d service-account patches, want 1", n)
	}
	if b, _ := buttonsIn(t, h.find(verdict.TS)); len(b) != 0 {
		t.Errorf("the verdict kept its buttons: %v", b)
	}
	checkAllMessages(t, h)
}

// TestFixItStopsAtTheFailingStep: the service account patch is refused;
// the thread says the plan stopped there, what was applied and what was
// not, and a fresh verdict offers what is left.
func TestFixItStopsAtTheFailingStep(t *testing.T) {
	h := start(t)
	h.world.Kube.PrependReactor("patch", "serviceaccounts", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "serviceaccounts"}, "default", errors.New("denied by policy"))
	})
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-plan")
	h.click(onCall, verdict, "fix-plan")
	stop := h.waitMessage(func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "fix it stopped at step 2 of 3 (patch-service-account)")
	}, 0)
	if !strings.Contains(stop.Text, "Applied: copy-pull-secret. Not applied: patch-service-account → restart-pod.") {
		t.Errorf("the stop does not say what was and was not applied: %q", stop.Text)
	}
	next := h.verdictWith(root.TS, "fix-patch-service-account")
	if next.TS <= stop.TS {
		t.Errorf("no fresh verdict after the stop%s", h.dump())
	}
	if b, _ := buttonsIn(t, h.find(verdict.TS)); len(b) != 0 {
		t.Errorf("the clicked verdict kept its buttons: %v", b)
	}
	if !h.secretExists("team-a", "all-icr-io") || countActions(h, "delete", "pods") != 0 {
		t.Errorf("want the copy applied and no pod deleted%s", h.dump())
	}
}

// TestFixItReadOnly: read-only mode offers no Fix it.
func TestFixItReadOnly(t *testing.T) {
	h := start(t)
	h.svc.ReadOnly = true
	pod := scenario(t, "team-a").Build(h.world)
	root := h.command(visitor, "pod team-a/"+pod)
	verdict := h.verdictWith(root.TS, "fix-rerun")
	if b, _ := buttonsIn(t, verdict); len(b) != 1 {
		t.Errorf("read-only verdict offers %v, want only the rerun", b)
	}
}

// confirmOf is the confirmation dialog of a message's button.
func confirmOf(t *testing.T, m fakeslack.Message, actionID string) *slack.ConfirmationBlockObject {
	t.Helper()
	for _, a := range actionBlocksOf(t, m) {
		for _, e := range a.Elements.ElementSet {
			if b, ok := e.(*slack.ButtonBlockElement); ok && b.ActionID == actionID {
				return b.Confirm
			}
		}
	}
	return nil
}

func actionBlocksOf(t *testing.T, m fakeslack.Message) []*slack.ActionBlock {
	t.Helper()
	var out []*slack.ActionBlock
	for _, b := range blocksOf(t, m) {
		if a, ok := b.(*slack.ActionBlock); ok {
			out = append(out, a)
		}
	}
	return out
}

func blocksOf(t *testing.T, m fakeslack.Message) []slack.Block {
	t.Helper()
	var bl slack.Blocks
	if err := json.Unmarshal(m.Blocks, &bl); err != nil {
		t.Fatalf("blocks of %s: %v", m.TS, err)
	}
	return bl.BlockSet
}
