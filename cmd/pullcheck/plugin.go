package main

import (
	"context"
	"io"
	"strings"
)

// pluginName is how kubectl's users call pullcheck as a plugin.
const pluginName = "kubectl pullcheck"

// invocation is what argv[0] made of pullcheck.
type invocation int

const (
	asPullcheck        invocation = iota
	asPlugin                      // kubectl-pullcheck: kubectl pullcheck …
	asPluginCompletion            // kubectl_complete-pullcheck: kubectl completes the plugin's arguments
)

// invokedAs tells from argv[0]'s base name how pullcheck was started: a
// copy or link named kubectl-pullcheck (kubectl-pullcheck.exe on Windows)
// on PATH is kubectl's plugin.
func invokedAs(argv0 string) invocation {
	base := strings.ToLower(argv0[strings.LastIndexAny(argv0, `/\`)+1:])
	switch strings.TrimSuffix(base, ".exe") {
	case "kubectl-pullcheck":
		return asPlugin
	case "kubectl_complete-pullcheck":
		return asPluginCompletion
	}
	return asPullcheck
}

// runPlugin is pullcheck as kubectl's plugin. "pod <pod>" (or anything that
// starts with a flag) is diagnose; a pod named without a namespace, and
// without -n, is in the kubeconfig context's namespace, as in kubectl.
// Every other command is pullcheck's own.
func runPlugin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	kubectl := diagnoseFlags{contextNamespace: true}
	if len(args) == 0 {
		return usagef("no command given (example: kubectl pullcheck pod web-7d9f -n shop)")
	}
	switch cmd := args[0]; {
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		_, err := io.WriteString(stdout, pluginUsage())
		return err
	case cmd == "diagnose":
		return diagnoseCommand(ctx, "diagnose", args[1:], kubectl, stdout, stderr)
	case cmd == "fix":
		return fixCommand(ctx, args[1:], kubectl, stdout, stderr)
	case cmd == completeCommand:
		return runComplete(ctx, true, args[1:], stdout)
	case isPodArg(cmd) || (strings.HasPrefix(cmd, "-") && cmd != "--version"):
		return diagnoseCommand(ctx, "pod", args, kubectl, stdout, stderr)
	}
	return run(ctx, args, stdout, stderr)
}

// isPodArg: kubectl's ways to say "pod" (pod, pods, po, pod/<name>).
func isPodArg(s string) bool {
	switch kind, _, _ := strings.Cut(s, "/"); kind {
	case "pod", "pods", "po":
		return true
	}
	return false
}

const pluginUsageHead = `kubectl pullcheck tells why a Kubernetes pod cannot pull its image from IBM Cloud Container Registry.

Usage:
  kubectl pullcheck pod <pod> [-n namespace] [-c container] [-o text|json]
        [--context name] [--cluster name] [--user name] [--kubeconfig path]
                                   diagnose a pod; without -n, in the kubeconfig context's namespace, as kubectl does
`

const pluginUsageTail = `Completion (kubectl 1.26 or later): link kubectl_complete-pullcheck to this binary on PATH.
`

// pluginUsage is pullcheck's usage as the plugin's: its own commands,
// called as kubectl pullcheck.
func pluginUsage() string {
	_, rest, _ := strings.Cut(usage, "Usage:\n")
	lines := strings.SplitAfter(rest, "\n")
	var b strings.Builder
	b.WriteString(pluginUsageHead)
	for _, l := range lines {
		if strings.HasPrefix(l, "Installed as kubectl-pullcheck") {
			continue
		}
		b.WriteString(strings.Replace(l, "  pullcheck ", "  kubectl pullcheck ", 1))
	}
	b.WriteString(pluginUsageTail)
	return b.String()
}

// examplesAs rewrites the examples in a usage error for prog.
func examplesAs(prog, msg string) string {
	if prog == "pullcheck" {
		return msg
	}
	return strings.ReplaceAll(msg, "example: pullcheck ", "example: "+prog+" ")
}
