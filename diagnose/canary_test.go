package diagnose_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	d "github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// TestSecretsNeverLeave diagnoses every sandbox workload, with and without
// pullcheck's own key, and checks that no API key, password, token or
// .dockerconfigjson content reaches the text, the JSON or the logs. Every
// secret in the sandbox starts with "sbx"; the canary workload adds an API
// key, a password and a bearer token named as such.
func TestSecretsNeverLeave(t *testing.T) {
	dm, err := sandbox.NewDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer dm.Close()
	canaries := []string{"sbx", "canary-apikey-", "canary-password-", "canary-bearer-", `"auths"`, "Bearer "}
	dm.Main.Namespace("canary", sandbox.NamespaceSetup{})
	dm.Main.PullSecret("canary", "keys", sandbox.DockerConfig("iamapikey", "canary-apikey-0123456789abcdef", "us.icr.io"))
	dm.Main.PullSecret("canary", "pass", sandbox.DockerConfig("someone", "canary-password-0123456789", "de.icr.io"))
	dm.Main.PullSecret("canary", "bearer", sandbox.DockerConfig("iambearer", "canary-bearer-0123456789", "jp.icr.io"))
	cases := append([]sandbox.Case(nil), dm.Cases...)
	for _, img := range []string{"us.icr.io/shop/web:1.0", "de.icr.io/shop-eu/web:1.0", "jp.icr.io/shop-jp/web:1.0"} {
		pod := dm.Main.Deploy(sandbox.Workload{Namespace: "canary", Name: "c" + strings.Split(img, ".")[0], Image: img,
			PodSecrets: []string{"keys", "pass", "bearer"}, Reason: "ImagePullBackOff", Kubelet: "401 Unauthorized"})
		cases = append(cases, sandbox.Case{Request: d.Request{Namespace: "canary", Pod: pod}, World: dm.Main})
	}
	var out, logs bytes.Buffer
	for _, withKey := range []bool{true, false} {
		for _, c := range cases {
			key := ""
			if withKey {
				key = c.World.BotKey
			}
			opts := c.World.EngineOptions(key)
			opts.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			rep := d.New(opts).Diagnose(testContext(t), c.Request, nil)
			if err := d.WriteText(&out, rep); err != nil {
				t.Fatal(err)
			}
			if err := d.WriteJSON(&out, rep); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, text := range map[string]string{"output": out.String(), "logs": logs.String()} {
		for _, c := range canaries {
			if i := strings.Index(text, c); i >= 0 {
				t.Errorf("%s contains %q: …%s…", name, c, text[max(0, i-80):min(len(text), i+80)])
			}
		}
	}
	if !strings.Contains(out.String(), "sha256:") {
		t.Error("no key fingerprints in the output: the canary workloads were not diagnosed")
	}
}
