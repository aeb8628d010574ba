package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
)

// completionCluster answers __complete from a fake clientset; it records
// the kubeconfig flags each client was made with.
func completionCluster(t *testing.T) *[]diagnoseFlags {
	t.Helper()
	ns := func(name string) runtime.Object { return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}} }
	pod := func(ns, name, waiting string, phase corev1.PodPhase, containers ...string) runtime.Object {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Status: corev1.PodStatus{Phase: phase}}
		for _, c := range containers {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: c, Image: "us.icr.io/shop/" + c + ":1.0"})
		}
		p.Spec.InitContainers = []corev1.Container{{Name: "migrate", Image: "us.icr.io/shop/migrate:1.0"}}
		if waiting != "" {
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: containers[0], State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting}}}}
		}
		return p
	}
	kube := fake.NewClientset(ns("shop"), ns("team-a"), ns("kube-system"),
		pod("shop", "web-7d9f", "ImagePullBackOff", corev1.PodPending, "web", "sidecar"),
		pod("shop", "api-5c4b", "", corev1.PodRunning, "api"),
		pod("team-a", "web-1", "ErrImagePull", corev1.PodPending, "web"))
	var seen []diagnoseFlags
	prev := completionClient
	completionClient = func(f diagnoseFlags) (kubernetes.Interface, error) {
		seen = append(seen, f)
		return kube, nil
	}
	t.Cleanup(func() { completionClient = prev })
	return &seen
}

func TestComplete(t *testing.T) {
	completionCluster(t)
	t.Setenv("KUBECONFIG", writeKubeconfig(t, "shop"))
	const (
		nss      = "kube-system/\nshop/\nteam-a/\n:6\n"
		shopPods = "api-5c4b\tRunning\nweb-7d9f\tImagePullBackOff\n:4\n"
	)
	tests := []struct {
		name   string
		plugin bool
		args   []string
		want   string
	}{
		{"commands", false, []string{""}, "completion\tprint a shell completion script\ndemo\tthe diagnosis against a built-in sandbox\n" +
			"diagnose\tdiagnose a pod\nfix\tre-diagnose a pod and apply one of its fixes\nhelp\tshow the usage\npreflight\tcheck rendered manifests before deploying\nserve\tthe Slack bot\nversion\tprint the version\n:4\n"},
		{"a command's prefix", false, []string{"d"}, "demo\tthe diagnosis against a built-in sandbox\ndiagnose\tdiagnose a pod\n:4\n"},
		{"no arguments at all", false, nil, "completion\tprint a shell completion script\ndemo\tthe diagnosis against a built-in sandbox\n" +
			"diagnose\tdiagnose a pod\nfix\tre-diagnose a pod and apply one of its fixes\nhelp\tshow the usage\npreflight\tcheck rendered manifests before deploying\nserve\tthe Slack bot\nversion\tprint the version\n:4\n"},
		{"diagnose's verb", false, []string{"diagnose", ""}, "pod\ta pod: <namespace>/<pod>, or <pod> with -n\n:4\n"},
		{"namespaces before the slash", false, []string{"diagnose", "pod", ""}, nss},
		{"a namespace's prefix", false, []string{"diagnose", "pod", "sh"}, "shop/\n:6\n"},
		{"pods after the slash", false, []string{"diagnose", "pod", "shop/"}, "shop/api-5c4b\tRunning\nshop/web-7d9f\tImagePullBackOff\n:4\n"},
		{"a pod's prefix", false, []string{"diagnose", "pod", "shop/w"}, "shop/web-7d9f\tImagePullBackOff\n:4\n"},
		{"pods of -n", false, []string{"diagnose", "pod", "-n", "team-a", ""}, "web-1\tErrImagePull\n:4\n"},
		{"pods of --namespace=, split by bash", false, []string{"diagnose", "--namespace", "=", "shop", "pod", ""}, shopPods},
		{"-n's value", false, []string{"diagnose", "pod", "-n", ""}, "kube-system\nshop\nteam-a\n:4\n"},
		{"-n's value after bash's =", false, []string{"diagnose", "pod", "--namespace", "=", "t"}, "team-a\n:4\n"},
		{"--namespace=value in one word", false, []string{"diagnose", "pod", "--namespace=s"}, "--namespace=shop\n:4\n"},
		{"-o's value", false, []string{"diagnose", "pod", "shop/web-7d9f", "-o", ""}, "json\tthe report as JSON (pullcheck.report/v1)\ntext\teach check as it completes, then the verdict\n:4\n"},
		{"the pod's containers", false, []string{"diagnose", "pod", "shop/web-7d9f", "-c", ""}, "migrate\tinit: us.icr.io/shop/migrate:1.0\n" +
			"web\tus.icr.io/shop/web:1.0\nsidecar\tus.icr.io/shop/sidecar:1.0\n:4\n"},
		{"--kubeconfig takes a file", false, []string{"diagnose", "--kubeconfig", ""}, ":0\n"},
		{"contexts", false, []string{"diagnose", "--context", ""}, "dev\tdev-cluster\nprod\tprod-cluster\n:4\n"},
		{"clusters", false, []string{"fix", "--cluster", "p"}, "prod-cluster\thttps://127.0.0.1:1\n:4\n"},
		{"users", false, []string{"serve", "--user", ""}, "oncall\n:4\n"},
		{"diagnose's flags", false, []string{"diagnose", "--c"}, "--cluster\tkubeconfig cluster (default: the context's)\n--context\tkubeconfig context (default: the current context)\n:4\n"},
		{"a bool flag takes no value", false, []string{"fix", "--dry-run", ""}, "apply-cluster-pull-secret\ncopy-pull-secret\npatch-service-account\nrestart-pod\nsync-pull-secret\n:4\n"},
		{"fix's pod", false, []string{"fix", "restart-pod", "team-a/"}, "team-a/web-1\tErrImagePull\n:4\n"},
		{"shells", false, []string{"completion", ""}, "bash\nfish\nzsh\n:4\n"},
		{"demo workloads", false, []string{"demo", "team-b"}, "team-b\tthe copy exists but the service account does not list it\n:4\n"},
		{"version's flag", false, []string{"version", "--"}, "--verbose\twith the Go version, platform and user ID\n:4\n"},
		{"nothing after the last argument", false, []string{"diagnose", "pod", "shop/web-7d9f", ""}, ":4\n"},
		{"an unknown command", false, []string{"frobnicate", ""}, ":4\n"},

		{"plugin: commands and pod", true, []string{"p"}, "pod\tdiagnose a pod\npreflight\tcheck rendered manifests before deploying\n:4\n"},
		{"plugin: pods of the context's namespace", true, []string{"pod", ""}, shopPods},
		{"plugin: pods of -n", true, []string{"pod", "-n", "team-a", "w"}, "web-1\tErrImagePull\n:4\n"},
		// dev names no namespace: kubectl's "default", which has no pods here.
		{"plugin: pods of another context's namespace", true, []string{"pod", "--context", "dev", ""}, ":4\n"},
		{"plugin: flags first", true, []string{"-"}, "-c\tcontainer name (default: the first container that fails to pull)\n" +
			"--cluster\tkubeconfig cluster (default: the context's)\n--context\tkubeconfig context (default: the current context)\n" +
			"--kubeconfig\tpath to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)\n-n\tnamespace of the pod (shorthand)\n" +
			"--namespace\tnamespace of the pod, when it is named without one\n-o\toutput format: text or json\n--user\tkubeconfig user (default: the context's)\n:4\n"},
		{"plugin: -n before pod", true, []string{"-n", "team-a", "pod", ""}, "web-1\tErrImagePull\n:4\n"},
		{"plugin: fix in the context's namespace", true, []string{"fix", "restart-pod", "a"}, "api-5c4b\tRunning\n:4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := runComplete(context.Background(), tt.plugin, tt.args, &out); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("__complete %q (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// TestCompleteUsesTheLinesKubeconfig: namespaces and pods come from the
// cluster the line names (--kubeconfig, --context, --cluster, --user).
func TestCompleteUsesTheLinesKubeconfig(t *testing.T) {
	seen := completionCluster(t)
	kc := writeKubeconfig(t, "shop")
	var out bytes.Buffer
	args := []string{"diagnose", "--kubeconfig", kc, "--context=dev", "--cluster", "prod-cluster", "--user", "oncall", "pod", "shop/"}
	if err := runComplete(context.Background(), false, args, &out); err != nil {
		t.Fatal(err)
	}
	want := diagnoseFlags{output: "text", kubeconfig: kc, kubeContext: "dev", cluster: "prod-cluster", user: "oncall"}
	if len(*seen) != 1 {
		t.Fatalf("%d clients made, want 1", len(*seen))
	}
	if diff := cmp.Diff(want, (*seen)[0], cmp.AllowUnexported(diagnoseFlags{})); diff != "" {
		t.Errorf("flags (-want +got):\n%s", diff)
	}
}

// TestCompleteThroughTheCLI: the hidden command is reachable as pullcheck
// __complete and as kubectl_complete-pullcheck, and hidden from help.
func TestCompleteThroughTheCLI(t *testing.T) {
	completionCluster(t)
	t.Setenv("KUBECONFIG", writeKubeconfig(t, "team-a"))
	if code, stdout, _ := runCLI(t, "__complete", "diagnose", "pod", "team-a/"); code != 0 || stdout != "team-a/web-1\tErrImagePull\n:4\n" {
		t.Errorf("pullcheck __complete: %d %q", code, stdout)
	}
	var out, errOut bytes.Buffer
	if code := entry(context.Background(), []string{"kubectl_complete-pullcheck", "pod", ""}, &out, &errOut); code != 0 || out.String() != "web-1\tErrImagePull\n:4\n" {
		t.Errorf("kubectl_complete-pullcheck: %d %q %q", code, out.String(), errOut.String())
	}
	if _, stdout, _ := runCLI(t, "help"); strings.Contains(stdout, completeCommand) {
		t.Errorf("help shows %s", completeCommand)
	}
}
