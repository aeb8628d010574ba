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
	return fixCommand(ctx, args, diagnoseFlags{}, stdout, stderr)
}

// fixOptions are fix's own flags.
type fixOptions struct {
	dryRun, yes bool
	wait        time.Duration
}

// newFixFlagSet is fix's flags, bound to f and o.
func newFixFlagSet(f *diagnoseFlags, o *fixOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("fix", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.addKubeFlags(fs)
	f.addNamespaceFlag(fs)
	fs.BoolVar(&o.dryRun, "dry-run", false, "change nothing: Kubernetes server-side dry run")
	fs.BoolVar(&o.yes, "yes", false, "confirm a disruptive fix (restart-pod, apply-cluster-pull-secret)")
	fs.DurationVar(&o.wait, "wait", 2*time.Minute, "how long to follow the pod after the fix (0: do not wait)")
	return fs
}

// fixCommand is fix, as pullcheck or as kubectl's plugin (f.contextNamespace).
func fixCommand(ctx context.Context, args []string, f diagnoseFlags, stdout, stderr io.Writer) error {
	var o fixOptions
	fs := newFixFlagSet(&f, &o)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("fix expects <action> <namespace>/<pod> [<finding>] [<argument>=<value> …] (example: pullcheck fix copy-pull-secret shop/web-7d9f --dry-run)")
	}
	pod, err := f.qualify(pos[1])
	if err != nil {
		return err
	}
	text := "fix " + strings.Join(append([]string{pos[0], pod}, pos[2:]...), " ")
	if o.yes {
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
		Follow: commands.FollowOptions{Timeout: o.wait, Off: o.wait <= 0}})
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout+o.wait)
	defer cancel()
	err = svc.Handle(ctx, commands.Request{User: "cli", Text: text, DryRun: o.dryRun}, commands.NewTextOutput(stdout))
	svc.Wait()
	if err != nil {
		return &exitError{code: exitRootCause}
	}
	return nil
}
