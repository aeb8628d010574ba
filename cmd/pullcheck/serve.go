package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/slack-go/slack"

	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// runServe serves Slack over socket mode until interrupted.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var f diagnoseFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "path to the kubeconfig file")
	fs.StringVar(&f.kubeContext, "context", "", "kubeconfig context")
	useSandbox := fs.Bool("sandbox", false, "serve the built-in sandbox instead of a cluster (demo)")
	if pos, err := parseInterspersed(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("serve takes no arguments (example: pullcheck serve --kubeconfig ~/.kube/config)")
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	if err := cfg.ValidateServe(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc, closeFn, err := service(cfg, f, *useSandbox, logger)
	if err != nil {
		return err
	}
	defer closeFn()
	b, err := bot.New(bot.Config{AppToken: cfg.SlackAppToken, BotToken: cfg.SlackBotToken, APIURL: cfg.SlackAPIURL,
		Workers: cfg.Workers, Logger: logger}, svc)
	if err != nil {
		return err
	}
	svc.Auth = commands.NewAuthorizer(cfg.OnCallUsers, cfg.OnCallGroups, groupMembers{b.API()}, 5*time.Minute, nil)
	logger.Info("pullcheck serving", "version", version, "read_only", cfg.ReadOnly, "sandbox", *useSandbox)
	return b.Run(ctx)
}

// service wires the command path to a cluster, or to the sandbox.
func service(cfg *config.Config, f diagnoseFlags, useSandbox bool, logger *slog.Logger) (*commands.Service, func(), error) {
	svc := &commands.Service{ReadOnly: cfg.ReadOnly, Logger: logger}
	if useSandbox {
		dm, err := sandbox.NewDemo()
		if err != nil {
			return nil, nil, fmt.Errorf("starting the sandbox: %w", err)
		}
		w := dm.Main
		opts := w.EngineOptions(w.BotKey)
		opts.Cluster, opts.Logger = sandbox.ClusterID, logger
		svc.Engine, svc.Kube, svc.IBM = diagnose.New(opts), w.Kube, opts.IBM
		svc.Fixes = fix.New(w.Kube, opts.IBM, sandbox.ClusterID)
		return svc, dm.Close, nil
	}
	kube, err := kubeClient(f)
	if err != nil {
		return nil, nil, err
	}
	opts := engineOptions(cfg, kube, logger)
	svc.Engine, svc.Kube, svc.IBM = diagnose.New(opts), kube, opts.IBM
	svc.Fixes = fix.New(kube, opts.IBM, cfg.Cluster)
	return svc, func() {}, nil
}

// groupMembers adapts slack-go to commands.GroupMembers.
type groupMembers struct{ api *slack.Client }

func (g groupMembers) GetUserGroupMembersContext(ctx context.Context, group string) ([]string, error) {
	return g.api.GetUserGroupMembersContext(ctx, group)
}
