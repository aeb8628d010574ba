package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/internal/canary"
)

// TestServeSandbox runs the real serve command against the built-in sandbox
// and a fake Slack: a slash command gets its thread; a missing token stops
// start-up naming the variable.
func TestServeSandbox(t *testing.T) {
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-test", BotToken: "xoxb-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	t.Setenv("SLACK_APP_TOKEN", "xapp-test")
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-test")
	t.Setenv("SLACK_API_URL", fs.APIURL())
	t.Setenv("PULLCHECK_ONCALL_USERS", "U0ONCALL")
	t.Setenv("PULLCHECK_HTTP_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--sandbox"}, &bytes.Buffer{}, &stderr) }()
	if err := fs.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("serve did not connect: %v\n%s", err, stderr.String())
	}
	env, err := fs.SlashCommand("U0VISITOR", "C1", "pod ghost/web-5f7c9d-abcde")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(ctx, env); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitCall(ctx, func(c fakeslack.Call) bool {
		return c.Method == "chat.update" && strings.Contains(c.Form.Get("text"), "pod-not-found")
	}); err != nil {
		t.Fatalf("no verdict: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if strings.Contains(stderr.String(), "xoxb-test") || strings.Contains(stderr.String(), "xapp-test") {
		t.Error("serve logged a token")
	}
}

func TestServeRefusesBadTokens(t *testing.T) {
	t.Setenv("SLACK_APP_TOKEN", "")
	t.Setenv("SLACK_BOT_TOKEN", "xapp-wrong-kind")
	code, _, stderr := runCLI(t, "serve", "--sandbox")
	for _, want := range []string{"SLACK_APP_TOKEN is not set", "xapp-", "SLACK_BOT_TOKEN does not start with xoxb-"} {
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q: want %q", code, stderr, want)
		}
	}
	if strings.Contains(stderr, "xapp-wrong-kind") {
		t.Error("the token value was echoed")
	}
	t.Setenv("SLACK_APP_TOKEN", "xapp-1")
	t.Setenv("SLACK_BOT_TOKEN", "xoxb-1")
	if code, _, stderr := runCLI(t, "serve", "extra"); code != exitUsage || !strings.Contains(stderr, "serve takes no arguments") {
		t.Errorf("serve extra: %d %q", code, stderr)
	}
}

// TestServeSandboxAlerts: serve against the sandbox posts an alert for a
// pod that breaks while it runs, and its Home tab lists it.
func TestServeSandboxAlerts(t *testing.T) {
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-test", BotToken: "xoxb-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	for k, v := range map[string]string{"SLACK_APP_TOKEN": "xapp-test", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": fs.APIURL(),
		"PULLCHECK_HTTP_ADDR": "127.0.0.1:0", "PULLCHECK_ALERT_CHANNEL": "C0ALERTS", "PULLCHECK_ALERT_ROUTES": "checkout=C0CHECKOUT",
		"PULLCHECK_ALERT_GRACE": "0s", "PULLCHECK_ALERT_HOLD": "1s", "PULLCHECK_QUOTA_SCHEDULE": "off", "PULLCHECK_HYGIENE_SCHEDULE": "off"} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--sandbox", "--sandbox-break", "2s"}, &bytes.Buffer{}, &stderr)
	}()
	alert, err := fs.WaitCall(ctx, func(c fakeslack.Call) bool {
		return c.Method == "chat.postMessage" && c.Form.Get("channel") == "C0CHECKOUT" && c.Form.Get("thread_ts") == ""
	})
	if err != nil {
		t.Fatalf("no alert for the broken checkout/web: %v", err)
	}
	if txt := alert.Form.Get("text"); !strings.Contains(txt, "checkout") || !strings.Contains(txt, "image-tag-not-found") {
		t.Errorf("alert text %q", txt)
	}
	// The Home tab lists the alert once the leader has saved it.
	for n := 1; ; n++ {
		if _, err := fs.HomeOpened("U0VISITOR"); err != nil {
			t.Fatal(err)
		}
		v, err := fs.WaitView(ctx, "U0VISITOR", n)
		if err != nil {
			t.Fatalf("no Home tab: %v", err)
		}
		if strings.Contains(string(v.Blocks), "image-tag-not-found") && strings.Contains(string(v.Blocks), "Deployment/checkout/web") {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestServeNeverLeaksSecrets runs the real serve command, connected to a
// sandbox with canary credentials, and answers diagnoses, a namespace, a
// fix with its follow-up and quota; no planted secret, Slack token or
// pullcheck's own key reaches Slack or serve's logs, in any encoding.
func TestServeNeverLeaksSecrets(t *testing.T) {
	const appToken, botToken = "xapp-1-canary-app-0123456789abcdef", "xoxb-canary-bot-0123456789abcdef"
	_, pods, secrets := connectSandbox(t)
	secrets = append(secrets, appToken, botToken)
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: appToken, BotToken: botToken})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	for k, v := range map[string]string{"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken, "SLACK_API_URL": fs.APIURL(),
		"PULLCHECK_ONCALL_USERS": "U0ONCALL", "PULLCHECK_HTTP_ADDR": "127.0.0.1:0"} {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr canary.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, &bytes.Buffer{}, &stderr) }()
	if err := fs.WaitConnected(ctx, 1); err != nil {
		t.Fatalf("serve did not connect: %v\n%s", err, stderr.String())
	}
	ask := func(user, text string, answered func(fakeslack.Call) bool) {
		t.Helper()
		env, err := fs.SlashCommand(user, "C1", text)
		if err == nil {
			_, err = fs.WaitAck(ctx, env)
		}
		if err == nil {
			_, err = fs.WaitCall(ctx, answered)
		}
		if err != nil {
			t.Fatalf("%s: %v\n%s", text, err, stderr.String())
		}
	}
	for _, p := range pods {
		name := p[strings.Index(p, "/")+1:]
		ask("U0VISITOR", "pod "+p, func(c fakeslack.Call) bool {
			return c.Method == "chat.update" && strings.Contains(c.Form.Get("text"), name)
		})
	}
	ask("U0VISITOR", "namespace canary", func(c fakeslack.Call) bool {
		return c.Method == "chat.update" && strings.Contains(c.Form.Get("text"), "failing pod")
	})
	ask("U0ONCALL", "fix copy-pull-secret "+pods[len(pods)-1], func(c fakeslack.Call) bool {
		return c.Method == "chat.postMessage" && strings.Contains(c.Form.Get("blocks"), "fix-patch-service-account")
	})
	ask("U0ONCALL", "quota", func(c fakeslack.Call) bool {
		return c.Method == "chat.postEphemeral" && strings.Contains(c.Form.Get("text"), "Registry quota")
	})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	texts := map[string]string{"serve's logs": stderr.String()}
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
	for _, leak := range canary.Scan(texts, canary.Forms(secrets...)) {
		t.Error(leak)
	}
}
