package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
)

// runFix applies one fix from the terminal, through the same path as a
// button: re-diagnose the pod, apply the remedy the command names when the
// fresh diagnosis still calls for it; a disruptive one only with --yes.
func runFix(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f diagnoseFlags
	fs := flag.NewFlagSet("fix", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.addKubeFlags(fs)
	dryRun := fs.Bool("dry-run", false, "change nothing: Kubernetes server-side dry run")
	yes := fs.Bool("yes", false, "confirm a disruptive fix (restart-pod, apply-cluster-pull-secret)")
	wait := fs.Duration("wait", 2*time.Minute, "how long to follow the pod after the fix (0: do not wait)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("fix expects <action> <namespace>/<pod> [<finding>] [<argument>=<value> …] (example: pullcheck fix copy-pull-secret shop/web-7d9f --dry-run)")
	}
	text := "fix " + strings.Join(pos, " ")
	if *yes {
		text += " --yes"
	}
	if _, err := commands.Parse(text); err != nil {
		return usagef("%v", err)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if cfg.ReadOnly {
		return fmt.Errorf("%s is set: fixes are disabled", config.KeyReadOnly)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts, err := connect(cfg, f, logger)
	if err != nil {
		return err
	}
	svc := commands.New(commands.Options{Diagnose: opts,
		Auth: commands.NewAuthorizer([]string{"cli"}, nil, nil, 0, nil), Timeout: cfg.Timeout, Logger: logger, CopySources: cfg.CopySources,
		Follow: commands.FollowOptions{Timeout: *wait, Off: *wait <= 0}})
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout+*wait)
	defer cancel()
	err = svc.Handle(ctx, commands.Request{User: "cli", Text: text, DryRun: *dryRun}, commands.NewTextOutput(stdout))
	svc.Wait()
	if err != nil {
		return &exitError{code: exitRootCause}
	}
	return nil
}
