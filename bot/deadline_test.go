package bot_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/internal/blackhole"
)

// timedOutStep is a step that timed out; the group is its check.
var timedOutStep = regexp.MustCompile("`([a-z-]+)` timed out after [0-9]")

// TestHangingRegistryFreesTheWorker: with one worker and a registry that
// accepts connections and never answers, a slash command ends at its
// deadline with a thread that names the checks that timed out, and the
// same worker then serves the next command.
func TestHangingRegistryFreesTheWorker(t *testing.T) {
	bh, err := blackhole.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bh.Close)
	h := startWith(t, setup{workers: 1, requestTimeout: 500 * time.Millisecond,
		registry: func(rt http.RoundTripper) http.RoundTripper { return bh.Transport(rt, "us.icr.io") }})
	pod := scenario(t, "team-a").Build(h.world)

	root := h.command(visitor, "pod team-a/"+pod)
	if bh.Accepted() == 0 {
		t.Fatal("the diagnosis never reached the black hole")
	}
	// The checks message is folded by an edit that may land after the
	// verdict: wait for it.
	deadline := time.Now().Add(10 * time.Second)
	var timedOut []string
	for len(timedOut) == 0 && time.Now().Before(deadline) {
		for _, m := range h.slack.Thread(channel, root.TS) {
			if c := timedOutStep.FindStringSubmatch(m.Text + " " + string(m.Blocks)); c != nil {
				timedOut = append(timedOut, c[1])
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(timedOut) == 0 {
		t.Errorf("no message of the thread says which checks timed out:%s", h.dump())
	}

	env, err := h.slack.SlashCommand(visitor, channel, "help")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.slack.WaitAck(h.ctx, env); err != nil {
		t.Fatal(err)
	}
	h.waitMessage(func(m fakeslack.Message) bool { return m.Ephemeral && m.User == visitor }, 0)
}
