package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/config"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/registry"
)

type diagnoseFlags struct {
	container, output, kubeconfig, kubeContext string
}

// addKubeFlags adds --kubeconfig and --context, as kubectl has them.
func (f *diagnoseFlags) addKubeFlags(fs *flag.FlagSet) {
	fs.StringVar(&f.kubeconfig, "kubeconfig", "", "path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)")
	fs.StringVar(&f.kubeContext, "context", "", "kubeconfig context (default: the current context)")
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("pod shop/web -o json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func runDiagnose(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f diagnoseFlags
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.container, "c", "", "container name (default: the first container that fails to pull)")
	fs.StringVar(&f.output, "o", "text", "output format: text or json")
	f.addKubeFlags(fs)
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
	if len(pos) != 2 || pos[0] != "pod" {
		return diagnose.Request{}, usagef("diagnose expects: pod <namespace>/<pod> (example: pullcheck diagnose pod shop/web-7d9f)")
	}
	ref, err := commands.ParseObjectRef("pod", pos[1])
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
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: f.kubeContext})
	rc, err := cc.ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, errors.New("no Kubernetes configuration: set KUBECONFIG, pass --kubeconfig, or run pullcheck in a cluster")
		}
		return nil, fmt.Errorf("kubeconfig: %w", err)
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
