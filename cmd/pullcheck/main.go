// Command pullcheck tells why a Kubernetes pod cannot pull its image from
// IBM Cloud Container Registry.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	_ "time/tzdata" // time zones for sweeps, in images without zoneinfo
)

// version is stamped at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

// Exit codes of pullcheck diagnose and preflight.
const (
	exitPullsFine    = 0
	exitRootCause    = 1
	exitInconclusive = 2
	exitUsage        = 3
)

const usage = `pullcheck tells why a Kubernetes pod cannot pull its image from IBM Cloud Container Registry.

Usage:
  pullcheck diagnose pod <namespace>/<pod> [-c container] [-o text|json] [--kubeconfig path] [--context name]
                                   also <pod> -n <namespace>; --cluster and --user as in kubectl
  pullcheck preflight -f <file|dir|-> [-n namespace] [-o text|json|sarif] [--kubeconfig path] [--context name]
                   [--offline [--docker-config path]] [--platform os/arch,…] [-R] [--parallel 16]
                                   before deploying: could the pods of rendered manifests pull their images?
  pullcheck fix <action> <namespace>/<pod> [<finding>] [<argument>=<value> …] [--yes] [--dry-run] [--wait 2m]
                                   re-diagnose the pod and apply one of its fixes (copy-pull-secret, sync-pull-secret,
                                   patch-service-account, restart-pod, apply-cluster-pull-secret); when several of
                                   the action apply, name one with its finding and arguments; --yes confirms a
                                   disruptive one (restart-pod, apply-cluster-pull-secret)
  pullcheck serve [--kubeconfig path] [--sandbox]
                                   the Slack bot (socket mode; needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN)
  pullcheck demo [namespace/pod]   run the diagnosis against a built-in sandbox (no cluster, network or token needed)
  pullcheck version
  pullcheck completion bash|zsh|fish
                                   print a shell completion script (source <(pullcheck completion bash))

Exit codes of diagnose and preflight: 0 the pod (every image) pulls fine, 1 root cause found, 2 inconclusive,
3 usage or configuration error.
Environment: IBMCLOUD_API_KEY (pullcheck's own key, optional), KUBECONFIG; see the README for every setting.
Installed as kubectl-pullcheck on PATH, it is a kubectl plugin: kubectl pullcheck pod <pod> [-n namespace].
`

// usageError is a bad command line; main prints it with the usage hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// exitError carries an exit code without a message.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := entry(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// entry runs pullcheck as argv[0] names it: itself, kubectl's plugin
// (kubectl-pullcheck) or the plugin's completion (kubectl_complete-pullcheck).
func entry(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	switch invokedAs(argv[0]) {
	case asPlugin:
		return exitCodeAs(pluginName, runPlugin(ctx, argv[1:], stdout, stderr), stderr)
	case asPluginCompletion:
		return exitCodeAs(pluginName, runComplete(ctx, true, argv[1:], stdout), stderr)
	}
	return exitCode(run(ctx, argv[1:], stdout, stderr), stderr)
}

func exitCode(err error, stderr io.Writer) int { return exitCodeAs("pullcheck", err, stderr) }

// exitCodeAs maps err to the exit code, and prints it as prog's.
func exitCodeAs(prog string, err error, stderr io.Writer) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s: %s\nRun '%s help' for usage.\n", prog, examplesAs(prog, ue.msg), prog)
		return exitUsage
	}
	fmt.Fprintf(stderr, "%s: %s\n", prog, err)
	return exitUsage
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("no command given (example: pullcheck diagnose pod shop/web-7d9f)")
	}
	switch args[0] {
	case "diagnose":
		return runDiagnose(ctx, args[1:], stdout, stderr)
	case "demo":
		return runDemo(ctx, args[1:], stdout)
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "fix":
		return runFix(ctx, args[1:], stdout, stderr)
	case "preflight":
		return runPreflight(ctx, args[1:], stdout, stderr)
	case "completion":
		return runCompletion(args[1:], stdout)
	case completeCommand:
		return runComplete(ctx, false, args[1:], stdout)
	case "version", "--version":
		if len(args) > 1 && (args[1] == "--verbose" || args[1] == "-v") {
			_, err := fmt.Fprintf(stdout, "pullcheck %s (%s, %s/%s, uid %d)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH, os.Getuid())
			return err
		}
		_, err := fmt.Fprintf(stdout, "pullcheck %s\n", version)
		return err
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	}
	return usagef("unknown command %q (commands: diagnose, preflight, fix, serve, demo, version, completion, help)", args[0])
}
