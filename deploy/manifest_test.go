package deploy

import (
	"os"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"sigs.k8s.io/yaml"
)

// TestSlackAppManifest checks the manifest against slack-go's model of it,
// field by field (unknown fields are errors), and pins what pullcheck needs:
// socket mode, the command, interactivity, mentions, the Home tab, and
// least scopes.
func TestSlackAppManifest(t *testing.T) {
	b, err := os.ReadFile("slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m slack.Manifest
	if err := yaml.UnmarshalStrict(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if !m.Settings.SocketModeEnabled || !m.Settings.Interactivity.IsEnabled {
		t.Error("socket mode and interactivity must be on")
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != "/pullcheck" {
		t.Errorf("slash commands: %+v", m.Features.SlashCommands)
	}
	if diff := cmp.Diff([]string{"app_mention", "app_home_opened"}, m.Settings.EventSubscriptions.BotEvents); diff != "" {
		t.Errorf("bot events (-want +got):\n%s", diff)
	}
	if !m.Features.AppHome.HomeTabEnabled {
		t.Error("the Home tab must be on")
	}
	scopes := append([]string(nil), m.OAuthConfig.Scopes.Bot...)
	sort.Strings(scopes)
	if diff := cmp.Diff([]string{"app_mentions:read", "chat:write", "commands", "usergroups:read", "users:read"}, scopes); diff != "" {
		t.Errorf("bot scopes (-want +got):\n%s", diff)
	}
}
