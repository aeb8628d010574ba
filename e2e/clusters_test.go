//go:build e2e

package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/diagnose/sandbox/cloud"
)

const (
	westChannel = "C0WEST"
	cmdChannel  = "C0TEAM"
	// westID is the Kubernetes Service ID of the second cluster.
	westID = "cqwest0d0f2r7n5lp8g1"
)

// TestClusters: one real pullcheck serve for two real API servers at once.
// east is the hub (pullcheck runs there with deploy/base, and it is served
// as @in-cluster); west is a member (deploy/overlays/member, its token read
// from the Secret into the hub's kubeconfig with the README's kubectl
// commands). A broken pod in each: two alerts naming their clusters, routed
// by cluster; a fix click in each lands in its own cluster; a command for
// each (named, and from a bound channel); clusters lists them and the
// account's cluster nobody covers. Then west's API server stops: its
// commands fail at once, naming it; east's commands and alerts go on;
// /readyz and the metrics say which cluster answers.
func TestClusters(t *testing.T) {
	east, west := startControlPlane(t), startControlPlane(t)
	root := repoRoot(t)
	east.kubectl("apply", "-k", filepath.Join(root, "deploy", "overlays", "hub"))
	west.kubectl("apply", "-k", filepath.Join(root, "deploy", "overlays", "member"))
	if out := west.kubectl("get", "deployments,roles", "-n", "pullcheck", "-o", "name"); strings.TrimSpace(out) != "" {
		t.Errorf("the member overlay created %q", out)
	}
	hubToken := strings.TrimSpace(east.kubectl("create", "token", "pullcheck", "-n", "pullcheck", "--duration", "1h"))
	hubConfig := east.kubeconfig("pullcheck", hubToken)
	west.playTokenController(t, "pullcheck", "pullcheck-token")
	clustersConfig := filepath.Join(east.dir, "hub.kubeconfig")
	addMember(t, west, "west", clustersConfig)
	t.Run("member rbac", func(t *testing.T) { checkMemberAccess(t, clustersConfig, "west") })

	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	eastPod, westPod := seedCluster(t, east.admin, w), seedCluster(t, west.admin, w)
	setClusterID(t, west.admin, westID)
	w.Cloud.AddCluster(cloud.Cluster{ID: westID, Name: "shop-west", AccountID: sandbox.ClusterAccount, Region: "eu-de",
		ResourceGroup: sandbox.ResourceGroup, PullSecretApplied: true, MasterURL: west.url})
	w.Cloud.AddCluster(cloud.Cluster{ID: "cqanalytics00000000a", Name: "analytics", AccountID: sandbox.ClusterAccount, Region: "jp-tok",
		ResourceGroup: sandbox.ResourceGroup, Provider: "classic"})
	proxy := startProxy(t, w.Server.Addr())
	caFile := filepath.Join(east.dir, "ibm-ca.pem")
	if err := os.WriteFile(caFile, w.Server.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-e2e", BotToken: "xoxb-e2e"})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	ops := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	runServe(t, buildPullcheck(t, east.dir), east.dir, []string{"KUBECONFIG=" + hubConfig, "SSL_CERT_FILE=" + caFile,
		"HTTPS_PROXY=" + proxy.URL(), "IBMCLOUD_API_KEY=" + w.BotKey, "HOME=" + east.dir, "PATH=/usr/bin:/bin",
		"SLACK_APP_TOKEN=xapp-e2e", "SLACK_BOT_TOKEN=xoxb-e2e", "SLACK_API_URL=" + fs.APIURL(), "PULLCHECK_ONCALL_USERS=" + onCall,
		"PULLCHECK_CLUSTERS=east=@in-cluster,west=west", "PULLCHECK_KUBECONFIG=" + clustersConfig,
		"PULLCHECK_CHANNEL_CLUSTERS=" + westChannel + ":west", "PULLCHECK_ALERT_CHANNEL=" + alertChannel,
		"PULLCHECK_ALERT_ROUTES=west/*=" + westChannel, "PULLCHECK_ALERT_GRACE=0s", "PULLCHECK_ALERT_HOLD=1s",
		"PULLCHECK_QUOTA_SCHEDULE=off", "PULLCHECK_HYGIENE_SCHEDULE=off", "POD_NAMESPACE=pullcheck", "POD_NAME=pullcheck-e2e-0",
		"PULLCHECK_HTTP_ADDR=" + ops})

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s := &slackSide{t: t, ctx: ctx, fs: fs}

	// Two alerts, each naming its cluster, each in its cluster's channel.
	eastAlert := s.wait(alertChannel, "the alert of east", func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "in cluster east") && strings.Contains(m.Text, "pull-secret-not-copied")
	})
	westAlert := s.wait(westChannel, "the alert of west", func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "in cluster west") && strings.Contains(m.Text, "pull-secret-not-copied")
	})

	// A fix click in each thread lands in its own cluster.
	if v := s.click(alertChannel, eastAlert.TS, "fix-copy-pull-secret"); !strings.HasPrefix(v, "fix east copy-pull-secret shop/"+eastPod+" ") {
		t.Errorf("east's button runs %q", v)
	}
	waitFor(t, ctx, "east has shop/all-icr-io", func() bool { return hasCopy(ctx, east.admin) })
	if hasCopy(ctx, west.admin) {
		t.Fatal("the click in east's alert changed west")
	}
	if v := s.click(westChannel, westAlert.TS, "fix-copy-pull-secret"); !strings.HasPrefix(v, "fix west copy-pull-secret shop/"+westPod+" ") {
		t.Errorf("west's button runs %q", v)
	}
	waitFor(t, ctx, "west has shop/all-icr-io", func() bool { return hasCopy(ctx, west.admin) })

	// A command for each: one names its cluster, one comes from west's channel.
	s.command(cmdChannel, "pod east shop/"+eastPod)
	s.wait(cmdChannel, "east's diagnosis", func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && !m.Ephemeral && strings.Contains(m.Text, "shop/"+eastPod+" in cluster east") && m.Updates > 0
	})
	s.command(westChannel, "pod shop/"+westPod)
	s.wait(westChannel, "west's diagnosis", func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "shop/"+westPod+" in cluster west") && m.Updates > 0
	})
	s.command(cmdChannel, "pod shop/"+eastPod)
	s.wait(cmdChannel, "the choices", func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "which cluster? pullcheck serves east, west")
	})
	s.command(cmdChannel, "clusters")
	survey := s.wait(cmdChannel, "the survey", func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "pullcheck serves 2 clusters")
	})
	for _, want := range []string{"east (context @in-cluster) → shop-prod (" + sandbox.ClusterID, "west (context west) → shop-west (" + westID,
		"matched by cluster ID", "default/all-icr-io present, pull secret applied", "• analytics (cqanalytics00000000a, jp-tok"} {
		if !strings.Contains(survey.Text, want) {
			t.Errorf("clusters lacks %q:\n%s", want, survey.Text)
		}
	}
	if body := get(t, "http://"+ops+"/readyz"); !strings.Contains(body, "cluster west: answers; pod cache synced") {
		t.Errorf("readyz before west stops:\n%s", body)
	}

	// west stops: its commands fail at once, naming it; east goes on.
	west.stopAPI()
	s.command(westChannel, "pod shop/"+westPod)
	s.wait(westChannel, "west's failure", func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "cluster west does not answer") && strings.Contains(m.Text, "other clusters are not affected")
	})
	s.command(cmdChannel, "pod east shop/"+eastPod)
	waitFor(t, ctx, "a second diagnosis in east", func() bool {
		n := 0
		for _, m := range fs.Messages(cmdChannel) {
			if m.ThreadTS == "" && strings.Contains(m.Text, "in cluster east") && m.Updates > 0 {
				n++
			}
		}
		return n == 2
	})
	cart := brokenPod(t, east.admin, "cart")
	s.wait(alertChannel, "a new alert of east", func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "Pod/cart/"+cart+" in cluster east")
	})
	waitFor(t, ctx, "readyz says west is unreachable", func() bool {
		body := get(t, "http://"+ops+"/readyz")
		return strings.Contains(body, "cluster west: unreachable since") && strings.Contains(body, "cluster east: answers; pod cache synced")
	})
	// An alert counts once its thread is posted, after its root message.
	waitFor(t, ctx, "metrics per cluster", func() bool {
		metrics := get(t, "http://"+ops+"/metrics")
		for _, want := range []string{`pullcheck_cluster_up{cluster="west"} 0`, `pullcheck_cluster_up{cluster="east"} 1`,
			`pullcheck_alerts_posted_total{cluster="west",kind="incident"} 1`, `pullcheck_alerts_posted_total{cluster="east",kind="incident"} 2`} {
			if !strings.Contains(metrics, want) {
				return false
			}
		}
		return true
	})
}

// addMember runs the README's commands: read the member's long-lived token
// and CA from its Secret, and add a context for it to the hub's kubeconfig.
func addMember(t *testing.T, member *controlPlane, name, hubConfig string) {
	t.Helper()
	decode := func(s string) []byte {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	caFile := filepath.Join(filepath.Dir(hubConfig), name+"-ca.crt")
	if err := os.WriteFile(caFile, decode(member.kubectl("-n", "pullcheck", "get", "secret", "pullcheck-token", "-o", `jsonpath={.data.ca\.crt}`)), 0o600); err != nil {
		t.Fatal(err)
	}
	token := string(decode(member.kubectl("-n", "pullcheck", "get", "secret", "pullcheck-token", "-o", "jsonpath={.data.token}")))
	server := member.kubectl("config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}")
	hub := func(args ...string) {
		cmd := exec.Command(filepath.Join(member.bin, "kubectl"), append(args, "--kubeconfig", hubConfig)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	hub("config", "set-cluster", name, "--server", server, "--certificate-authority", caFile, "--embed-certs")
	hub("config", "set-credentials", "pullcheck-"+name, "--token", token)
	hub("config", "set-context", name, "--cluster", name, "--user", "pullcheck-"+name)
}

func setClusterID(t *testing.T, kube *kubernetes.Clientset, id string) {
	t.Helper()
	ctx := context.Background()
	cm, err := kube.CoreV1().ConfigMaps("kube-system").Get(ctx, "cluster-info", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cm.Data["cluster-config.json"] = fmt.Sprintf(`{"cluster_id":%q}`, id)
	if _, err := kube.CoreV1().ConfigMaps("kube-system").Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func hasCopy(ctx context.Context, kube *kubernetes.Clientset) bool {
	_, err := kube.CoreV1().Secrets("shop").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{})
	return err == nil
}

// brokenPod makes a namespace without an all-icr-io copy and a bare pod in
// it that cannot pull (the kubelet's part played by the test).
func brokenPod(t *testing.T, kube *kubernetes.Clientset, ns string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := kube.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	p, err := kube.CoreV1().Pods(ns).Create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: ns + "-1"},
		Spec: corev1.PodSpec{NodeName: "10.240.0.11", Containers: []corev1.Container{{Name: "web", Image: "us.icr.io/shop/web:1.0"}}}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.Status.Phase = corev1.PodPending
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "web", Image: "us.icr.io/shop/web:1.0",
		State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: `Back-off pulling image "us.icr.io/shop/web:1.0"`}}}}
	if _, err := kube.CoreV1().Pods(ns).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	return p.Name
}

// checkMemberAccess asks the member's API server, as the identity of the
// hub's kubeconfig context, what it may do: what the checks and fixers
// need, and nothing of pullcheck's state (that lives in the hub).
func checkMemberAccess(t *testing.T, kubeconfig, kubeContext string) {
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}
	rc, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: kubeContext}).ClientConfig()
	if err != nil {
		t.Fatal(err)
	}
	kube := kubernetes.NewForConfigOrDie(rc)
	for _, a := range []struct {
		verb, group, resource, ns, name string
		want                            bool
	}{
		{"watch", "", "pods", "", "", true}, {"get", "", "secrets", "default", "", true}, {"get", "", "nodes", "", "", true},
		{"get", "", "configmaps", "kube-system", "cluster-info", true}, {"create", "", "secrets", "shop", "", true},
		{"patch", "", "serviceaccounts", "shop", "", true}, {"delete", "", "pods", "shop", "", true},
		{"create", "coordination.k8s.io", "leases", "pullcheck", "", false}, {"update", "", "configmaps", "pullcheck", "", false},
	} {
		r, err := kube.AuthorizationV1().SelfSubjectAccessReviews().Create(context.Background(), &authorizationv1.SelfSubjectAccessReview{
			Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{
				Verb: a.verb, Group: a.group, Resource: a.resource, Namespace: a.ns, Name: a.name}}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status.Allowed != a.want {
			t.Errorf("%s %s/%s in %q: allowed=%t, want %t", a.verb, a.group, a.resource, a.ns, r.Status.Allowed, a.want)
		}
	}
}
