package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/alerts/sweep"
	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/bot/blocks"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestHomeTab: opening the App Home publishes, for that user, the open
// alerts with who acknowledged them, the sweeps' last results and the
// on-call set, within a Home tab's limits.
func TestHomeTab(t *testing.T) {
	sources := &bot.HomeSources{OnCallUsers: []string{onCall}, OnCallGroups: []string{group}, Cluster: sandbox.ClusterID}
	h := startWith(t, setup{home: sources})
	sources.Alerts = alerts.NewConfigMapStore(h.world.Kube, "pullcheck")
	sources.Sweeps = sweep.NewConfigMapStore(h.world.Kube, "pullcheck")
	at := time.Now().UTC().Truncate(time.Hour)
	if err := sources.Sweeps.Save(context.Background(), sweep.State{
		Quota:  map[string][]sweep.Sample{"us-south/storage": {{At: at, Used: 41 << 30, Limit: 50 << 30}}},
		Posted: map[string]string{"quota/us-south/storage": sweep.SeverityWarning, "hygiene/team-b": "warning 123"},
	}); err != nil {
		t.Fatal(err)
	}
	a := h.alerting()
	root := a.alert("team-a", scenario(t, "team-a").Build(h.world))
	a.statusAfter(onCall, root, "alert-ack", "acknowledged by <@"+onCall)

	if _, err := h.slack.HomeOpened(visitor); err != nil {
		t.Fatal(err)
	}
	view, err := h.slack.WaitView(h.ctx, visitor, 1)
	if err != nil {
		t.Fatal(err)
	}
	var bl slack.Blocks
	if err := json.Unmarshal(view.Blocks, &bl); err != nil {
		t.Fatal(err)
	}
	if err := blocks.ValidateViewBlocks(bl.BlockSet); err != nil {
		t.Errorf("the view breaks a Block Kit limit: %v", err)
	}
	text := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">").Replace(string(view.Blocks))
	for _, want := range []string{
		"*Open alerts* (1)",
		"`pull-secret-not-copied` in Deployment/team-a/web · cluster `" + sandbox.ClusterID + "` · 1 pod(s) · open ",
		"acknowledged by <@" + onCall + ">",
		":warning: us-south storage: 41.0 GiB of 50.0 GiB (82 %)",
		"1 namespace with pull-secret problems: team-b",
		"*On call*: <@" + onCall + ">, <!subteam^" + group + ">",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the Home tab lacks %q:\n%s", want, text)
		}
	}
	if n := len(h.slack.Views(onCall)); n != 0 {
		t.Errorf("%d views published for a user who did not open the tab", n)
	}
}
