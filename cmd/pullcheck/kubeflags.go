package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"k8s.io/client-go/tools/clientcmd"
)

// addNamespaceFlag adds -n/--namespace, as kubectl has them: the namespace
// of a pod named without one.
func (f *diagnoseFlags) addNamespaceFlag(fs *flag.FlagSet) {
	fs.StringVar(&f.namespace, "n", "", "namespace of the pod (shorthand)")
	fs.StringVar(&f.namespace, "namespace", "", "namespace of the pod, when it is named without one")
}

// clientConfig resolves the kubeconfig like kubectl: --kubeconfig,
// $KUBECONFIG, ~/.kube/config, then the in-cluster service account; the
// flags override the context, its cluster, user and namespace.
func (f diagnoseFlags) clientConfig() clientcmd.ClientConfig {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.kubeconfig
	ov := &clientcmd.ConfigOverrides{CurrentContext: f.kubeContext}
	ov.Context.Cluster, ov.Context.AuthInfo, ov.Context.Namespace = f.cluster, f.user, f.namespace
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, ov)
}

func kubeconfigError(err error) error {
	if clientcmd.IsEmptyConfig(err) {
		return errors.New("no Kubernetes configuration: set KUBECONFIG, pass --kubeconfig, or run pullcheck in a cluster")
	}
	return fmt.Errorf("kubeconfig: %w", err)
}

// qualify turns a pod argument into "<namespace>/<pod>": a name without a
// namespace takes -n, or in plugin mode the context's namespace (kubectl's
// resolution: -n, the context's namespace, the in-cluster namespace,
// "default"). Without either it is returned as given, for the parser to
// explain.
func (f diagnoseFlags) qualify(arg string) (string, error) {
	if ns, _, ok := strings.Cut(arg, "/"); ok {
		if f.namespace != "" && ns != f.namespace {
			return "", usagef("%q names namespace %q but -n says %q: give one (example: -n shop web-7d9f)", arg, ns, f.namespace)
		}
		return arg, nil
	}
	switch {
	case f.namespace != "":
		return f.namespace + "/" + arg, nil
	case !f.contextNamespace:
		return arg, nil
	}
	ns, _, err := f.clientConfig().Namespace()
	if err != nil {
		return "", kubeconfigError(err)
	}
	return ns + "/" + arg, nil
}

// kubectlPodArgs reads kubectl's spellings of a pod: "pods <name>",
// "po <name>" and "pod/<name>" are "pod <name>".
func kubectlPodArgs(pos []string) []string {
	if len(pos) == 1 {
		for _, p := range []string{"pod/", "pods/", "po/"} {
			if name, ok := strings.CutPrefix(pos[0], p); ok {
				return []string{"pod", name}
			}
		}
	}
	if len(pos) > 0 && (pos[0] == "pods" || pos[0] == "po") {
		return append([]string{"pod"}, pos[1:]...)
	}
	return pos
}

// flagError turns the flag package's error into a message that names the
// flag as typed and the flags the command has.
func flagError(fs *flag.FlagSet, args []string, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return usagef("%v", err)
	}
	return usagef("unknown flag %s (%s takes %s)", typed(args, name), fs.Name(), strings.Join(flagNames(fs), ", "))
}

// typed finds how the user spelt flag name: -x or --x.
func typed(args []string, name string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		if spelt, _, _ := strings.Cut(a, "="); strings.HasPrefix(spelt, "-") && strings.TrimLeft(spelt, "-") == name {
			return spelt
		}
	}
	return "-" + name
}

// flagNames lists a flag set's flags in order of name, as kubectl writes
// them: -x, --long.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(fl *flag.Flag) { names = append(names, dashed(fl.Name)) })
	return names
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
