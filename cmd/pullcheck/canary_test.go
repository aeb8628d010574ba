package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/internal/canary"
)

// connectSandbox makes diagnose, fix and serve use a sandbox world with
// pull secrets holding canary credentials, and pullcheck's key from the
// configuration. It returns the world's pods and every secret to look for.
func connectSandbox(t *testing.T) (w *sandbox.World, pods, secrets []string) {
	t.Helper()
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	prev := connect
	connect = func(cfg *config.Config, _ diagnoseFlags, logger *slog.Logger) (diagnose.Options, error) {
		o := w.EngineOptions(cfg.APIKey)
		o.Cluster, o.Logger = sandbox.ClusterID, logger
		return o, nil
	}
	t.Cleanup(func() { connect = prev })
	t.Setenv(config.KeyAPIKey, w.BotKey)
	pods, secrets = canary.Plant(w)
	s, _ := sandbox.Named("team-a")
	pods = append(pods, "team-a/"+s.Build(w))
	return w, pods, secrets
}

// TestCLINeverPrintsSecrets runs pullcheck diagnose (text and JSON) on pods
// with canary credentials and pullcheck fix (a dry run, then the copy of
// the cluster's pull secret) and looks for every secret, in every
// encoding, on stdout and stderr.
func TestCLINeverPrintsSecrets(t *testing.T) {
	w, pods, secrets := connectSandbox(t)
	texts := map[string]string{}
	run := func(args ...string) {
		code, stdout, stderr := runCLI(t, args...)
		if code == exitUsage {
			t.Fatalf("pullcheck %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		texts["pullcheck "+strings.Join(args, " ")] = stdout + stderr
	}
	for _, p := range pods {
		run("diagnose", "pod", p)
		run("diagnose", "pod", p, "-o", "json")
	}
	team := pods[len(pods)-1]
	run("fix", "copy-pull-secret", team, "--dry-run")
	run("fix", "copy-pull-secret", team, "--wait", "0")
	if _, err := w.Kube.CoreV1().Secrets("team-a").Get(context.Background(), sandbox.AllICRIO, metav1.GetOptions{}); err != nil {
		t.Fatal("pullcheck fix did not copy the secret: its output was not the one under test")
	}
	for _, leak := range canary.Scan(texts, canary.Forms(secrets...)) {
		t.Error(leak)
	}
}
