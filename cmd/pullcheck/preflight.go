package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/preflight"
)

// stdin is what "-f -" reads; tests replace it.
var stdin io.Reader = os.Stdin

type preflightFlags struct {
	diagnoseFlags
	files                   listFlag
	namespace, dockerConfig string
	platforms               listFlag
	recursive, offline      bool
	parallel                int
}

// listFlag collects a repeated flag; commas separate values too.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func parsePreflightFlags(args []string) (*preflightFlags, error) {
	f := &preflightFlags{}
	fs := newPreflightFlagSet(f)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, err
	}
	return f, f.validate(pos)
}

// newPreflightFlagSet binds preflight's flags to f (also for completion).
func newPreflightFlagSet(f *preflightFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&f.files, "f", "manifest file, directory of .yaml/.yml/.json files, or - for standard input (repeatable)")
	fs.BoolVar(&f.recursive, "R", false, "read directories recursively")
	fs.BoolVar(&f.recursive, "recursive", false, "read directories recursively")
	fs.StringVar(&f.namespace, "n", "", "namespace of objects that name none (default: the kubeconfig context's, else default)")
	fs.StringVar(&f.namespace, "namespace", "", "namespace of objects that name none")
	fs.StringVar(&f.output, "o", "text", "output format: text, json or sarif")
	fs.BoolVar(&f.offline, "offline", false, "ask no cluster and no IBM Cloud API: references, domains, and the registries")
	fs.StringVar(&f.dockerConfig, "docker-config", "", "with --offline: a docker config.json whose credentials the registry probes use")
	fs.Var(&f.platforms, "platform", "node platforms to check images against, e.g. linux/amd64,linux/arm64 (default: the cluster's nodes)")
	fs.IntVar(&f.parallel, "parallel", preflight.DefaultParallel, "diagnoses run at once")
	f.addKubeFlags(fs)
	return fs
}

func (f *preflightFlags) validate(pos []string) error {
	switch {
	case len(pos) > 0:
		return usagef("preflight takes no arguments, got %q (manifests go in -f: pullcheck preflight -f deploy/)", pos[0])
	case len(f.files) == 0:
		return usagef("preflight needs manifests: -f <file|directory|-> (example: kustomize build . | pullcheck preflight -f -)")
	case f.output != "text" && f.output != "json" && f.output != "sarif":
		return usagef("-o %q: the output format is text, json or sarif (example: -o sarif)", f.output)
	case f.dockerConfig != "" && !f.offline:
		return usagef("--docker-config needs --offline (against a cluster, the pods' own pull secrets are used)")
	case f.offline && (f.kubeconfig != "" || f.kubeContext != ""):
		return usagef("--offline reads no cluster: drop --kubeconfig and --context")
	case f.parallel < 1:
		return usagef("--parallel %d: at least 1", f.parallel)
	}
	if f.namespace != "" && len(validation.IsDNS1123Label(f.namespace)) > 0 {
		return usagef("-n %q: not a valid namespace name (lower-case letters, digits and '-')", f.namespace)
	}
	for _, p := range f.platforms {
		if pl, err := v1.ParsePlatform(p); err != nil || pl.OS == "" || pl.Architecture == "" {
			return usagef("--platform %q: expected os/arch, e.g. linux/amd64", p)
		}
	}
	return nil
}

func runPreflight(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parsePreflightFlags(args)
	if err != nil {
		return err
	}
	m, err := preflight.Load(f.files, stdin, f.recursive)
	if err != nil {
		return err
	}
	if m.Objects == 0 {
		return fmt.Errorf("no Kubernetes objects in %s", strings.Join(m.Files, ", "))
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	checker, err := preflightChecker(f, m, cfg, logger)
	if err != nil {
		return err
	}
	run := checker.Run(ctx, m, f.parallel)
	if err := writePreflight(stdout, run, f.output); err != nil {
		return err
	}
	return verdictExit(run.Verdict())
}

// preflightChecker wires the checker: offline, or against the cluster with
// the manifests' own namespaces, service accounts and secrets laid over it.
func preflightChecker(f *preflightFlags, m *preflight.Manifests, cfg *config.Config, logger *slog.Logger) (*preflight.Checker, error) {
	if f.offline {
		m.Resolve(orDefault(f.namespace, "default"))
		var dc []byte
		if f.dockerConfig != "" {
			var err error
			if dc, err = os.ReadFile(f.dockerConfig); err != nil {
				return nil, fmt.Errorf("--docker-config: %w", err)
			}
		}
		c, err := preflight.NewOffline(m, preflight.OfflineOptions{DockerConfig: dc, Transport: http.DefaultTransport.(*http.Transport).Clone(),
			Platforms: f.platforms, Timeout: cfg.Timeout, Logger: logger})
		if err != nil {
			return nil, fmt.Errorf("--docker-config %s: %w", f.dockerConfig, err)
		}
		return c, nil
	}
	kube, err := kubeClient(f.diagnoseFlags)
	if err != nil {
		return nil, err
	}
	ns := f.namespace
	if ns == "" {
		if ns, err = contextNamespace(f.diagnoseFlags); err != nil {
			return nil, err
		}
	}
	m.Resolve(ns)
	eng := diagnose.New(engineOptions(cfg, preflight.Overlay(kube, m), logger))
	return preflight.NewChecker(eng, kube, preflight.WithPlatforms(f.platforms), preflight.WithTimeout(cfg.Timeout)), nil
}

// contextNamespace is the kubeconfig context's namespace, "default" when
// it names none (as kubectl).
func contextNamespace(f diagnoseFlags) (string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: f.kubeContext})
	ns, _, err := cc.Namespace()
	if err != nil {
		return "", fmt.Errorf("kubeconfig: %w", err)
	}
	return ns, nil
}

func writePreflight(w io.Writer, run *preflight.Run, output string) error {
	switch output {
	case "json":
		return preflight.WriteJSON(w, run)
	case "sarif":
		return preflight.WriteSARIF(w, run, version)
	}
	return preflight.WriteText(w, run)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
