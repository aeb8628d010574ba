package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

type diagnoseFlags struct {
	container, output, kubeconfig, kubeContext string
	// cluster and user override the context's, as kubectl's --cluster and --user.
	cluster, user string
	// namespace is -n/--namespace: the namespace of a pod named without one.
	namespace string
	// contextNamespace: a pod named without a namespace, and without -n, is
	// in the kubeconfig context's namespace, as kubectl has it (plugin mode).
	contextNamespace bool
}

// addKubeFlags adds --kubeconfig, --context, --cluster and --user, as kubectl
// has them.
func (f *diagnoseFlags) addKubeFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
	fs.StringVar(&f.kubeContext, "context", "", "kubeconfig context (default: the current context)")
	fs.StringVar(&f.cluster, "cluster", "", "kubeconfig cluster (default: the context's)")
	fs.StringVar(&f.user, "user", "", "kubeconfig user (default: the context's)")
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("pod shop/web -o json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, args, err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// newDiagnoseFlagSet is diagnose's flags, bound to f.
func newDiagnoseFlagSet(name string, f *diagnoseFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.container, "c", "", "container name (default: the first container that fails to pull)")
	fs.StringVar(&f.output, "o", "text", "output format: text or json")
	f.addKubeFlags(fs)
	f.addNamespaceFlag(fs)
	return fs
}

func runDiagnose(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return diagnoseCommand(ctx, "diagnose", args, diagnoseFlags{}, stdout, stderr)
}

// diagnoseCommand is diagnose, and kubectl pullcheck's pod (name "pod",
// f.contextNamespace set).
func diagnoseCommand(ctx context.Context, name string, args []string, f diagnoseFlags, stdout, stderr io.Writer) error {
	fs := newDiagnoseFlagSet(name, &f)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	req, err := diagnoseRequest(pos, f)
	if err != nil {
		return err
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts, err := connect(cfg, f, logger)
	if err != nil {
		return err
	}
	eng := diagnose.New(opts)
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	return diagnoseAndPrint(ctx, eng, req, f.output, stdout)
}

func diagnoseRequest(pos []string, f diagnoseFlags) (diagnose.Request, error) {
	pos = kubectlPodArgs(pos)
	if (len(pos) != 2 || pos[0] != "pod") && f.contextNamespace {
		return diagnose.Request{}, usagef("expected: pod <pod> [-n namespace] (example: kubectl pullcheck pod web-7d9f -n shop)")
	}
	if len(pos) != 2 || pos[0] != "pod" {
		return diagnose.Request{}, usagef("diagnose expects: pod <namespace>/<pod> (example: pullcheck diagnose pod shop/web-7d9f)")
	}
	arg, err := f.qualify(pos[1])
	if err != nil {
		return diagnose.Request{}, err
	}
	ref, err := commands.ParseObjectRef("pod", arg)
	if err != nil {
		return diagnose.Request{}, usagef("%v", err)
	}
	if f.container != "" {
		if err := commands.ValidateContainerName(f.container); err != nil {
			return diagnose.Request{}, usagef("%v", err)
		}
	}
	if f.output != "text" && f.output != "json" {
		return diagnose.Request{}, usagef("-o %q: the output format is text or json (example: -o json)", f.output)
	}
	return diagnose.Request{Namespace: ref.Namespace, Pod: ref.Name, Container: f.container}, nil
}

// kubeClient resolves the cluster like kubectl: --kubeconfig, $KUBECONFIG,
// ~/.kube/config, then the in-cluster service account; --context picks one.
func kubeClient(f diagnoseFlags) (kubernetes.Interface, error) {
	rc, err := restConfig(f)
	if err != nil {
		return nil, err
	}
	return kubernetes.NewForConfig(rc)
}

// restConfig is kubeClient's client configuration.
func restConfig(f diagnoseFlags) (*rest.Config, error) {
	rc, err := f.clientConfig().ClientConfig()
	if err != nil {
		return nil, kubeconfigError(err)
	}
	bound(rc)
	return rc, nil
}

// bound gives every request to an API server a deadline, and names
// pullcheck in the API server's logs.
func bound(rc *rest.Config) {
	rc.Timeout = 15 * time.Second
	rc.UserAgent = "pullcheck/" + version
}

// connect wires the diagnosis of diagnose, fix and serve to the cluster
// and IBM Cloud; tests connect it to a sandbox instead.
var connect = func(cfg *config.Config, f diagnoseFlags, logger *slog.Logger) (diagnose.Options, error) {
	kube, err := kubeClient(f)
	if err != nil {
		return diagnose.Options{}, err
	}
	return engineOptions(cfg, kube, logger), nil
}

// engineOptions wires the real clients: the system's TLS roots (SSL_CERT_FILE
// honoured) and resolver, IBM endpoints from config, every request bounded.
func engineOptions(cfg *config.Config, kube kubernetes.Interface, logger *slog.Logger) diagnose.Options {
	tr := newTransport(cfg.Timeout)
	hc := &http.Client{Transport: tr, Timeout: requestTimeout}
	return diagnose.Options{
		Kube:      kube,
		Registry:  registry.New(tr),
		IBM:       ibmcloud.New(cfg.Endpoints, hc, cfg.APIKey),
		Cluster:   cfg.Cluster,
		QuotaWarn: cfg.QuotaWarn,
		Logger:    logger,
	}
}

// diagnoseAndPrint streams text results as they arrive, or prints JSON at
// the end, and maps the verdict to the exit code.
func diagnoseAndPrint(ctx context.Context, eng *diagnose.Engine, req diagnose.Request, output string, stdout io.Writer) error {
	var emit func(diagnose.Result)
	if output == "text" {
		fmt.Fprintf(stdout, "Diagnosing pod %s…\n", req)
		emit = func(r diagnose.Result) { _ = diagnose.WriteResultText(stdout, r) }
	}
	rep := eng.Diagnose(ctx, req, emit)
	var err error
	if output == "json" {
		err = diagnose.WriteJSON(stdout, rep)
	} else {
		err = diagnose.WriteVerdictText(stdout, rep)
	}
	if err != nil {
		return err
	}
	return verdictExit(rep.Verdict)
}

func verdictExit(v diagnose.Verdict) error {
	switch v {
	case diagnose.PullsFine:
		return nil
	case diagnose.RootCauseFound:
		return &exitError{code: exitRootCause}
	}
	return &exitError{code: exitInconclusive}
}
