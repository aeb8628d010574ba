//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/kubestate"
	"github.com/pullcheck/pullcheck/kubestate/kubestatetest"
)

const (
	alertChannel = "C0ALERTS"
	onCall       = "U0ONCALL"
)

// TestStory walks the whole story against a real kube-apiserver with the
// RBAC of deploy/ applied, the real pullcheck binary authenticated as its
// service account: a broken Deployment's pod -> the channel alert names the
// root cause -> on-call clicks copy-pull-secret and patch-service-account ->
// the secret and service account change in the API server -> the pod runs
// -> "resolved". Then another team's Deployment breaks the same way, and
// one Fix it click takes it from broken to running (fixItStory). Then: the
// ClusterRole allows every check and fixer, a crafted fix copying another
// secret of default is refused, and the read-only overlay refuses fixes
// with a clear message.
func TestStory(t *testing.T) {
	cp := startControlPlane(t)
	cp.kubectl("apply", "-k", filepath.Join(repoRoot(t), "deploy", "base"))
	token := strings.TrimSpace(cp.kubectl("create", "token", "pullcheck", "-n", "pullcheck", "--duration", "1h"))
	saConfig := cp.kubeconfig("pullcheck", token)

	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	pod := seedCluster(t, cp.admin, w)
	proxy := startProxy(t, w.Server.Addr())
	caFile := filepath.Join(cp.dir, "ibm-ca.pem")
	if err := os.WriteFile(caFile, w.Server.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	// Slack's own rate limits: the story runs at the pace production will.
	fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-e2e", BotToken: "xoxb-e2e", Limits: fakeslack.SlackLimits()})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	bin := buildPullcheck(t, cp.dir)
	env := []string{"KUBECONFIG=" + saConfig, "SSL_CERT_FILE=" + caFile, "HTTPS_PROXY=" + proxy.URL(), "IBMCLOUD_API_KEY=" + w.BotKey,
		"HOME=" + cp.dir, "PATH=/usr/bin:/bin"}
	serveEnv := append(append([]string(nil), env...), "SLACK_APP_TOKEN=xapp-e2e", "SLACK_BOT_TOKEN=xoxb-e2e", "SLACK_API_URL="+fs.APIURL(),
		"PULLCHECK_ONCALL_USERS="+onCall, "PULLCHECK_ALERT_CHANNEL="+alertChannel, "PULLCHECK_ALERT_GRACE=0s",
		"PULLCHECK_ALERT_HOLD=1s", "PULLCHECK_QUOTA_SCHEDULE=off", "PULLCHECK_HYGIENE_SCHEDULE=off", "POD_NAMESPACE=pullcheck",
		"POD_NAME=pullcheck-e2e-0", "PULLCHECK_HTTP_ADDR=127.0.0.1:0")
	runServe(t, bin, cp.dir, serveEnv)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	root := waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "pull-secret-not-copied")
	})
	if proxy.asked("us.icr.io") == 0 || proxy.asked("iam.cloud.ibm.com") == 0 {
		t.Errorf("pullcheck did not reach icr.io and IAM on their real host names")
	}

	click(t, ctx, fs, root.TS, "fix-copy-pull-secret", "pull-secret-not-copied")
	waitFor(t, ctx, "shop/all-icr-io is created", func() bool {
		_, err := cp.admin.CoreV1().Secrets("shop").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{})
		return err == nil
	})
	// The verdict after the copy offers the patch for its new root cause;
	// the first verdict's patch button named the old one.
	click(t, ctx, fs, root.TS, "fix-patch-service-account", "service-account-not-patched")
	waitFor(t, ctx, "shop/default lists all-icr-io", func() bool {
		sa, err := cp.admin.CoreV1().ServiceAccounts("shop").Get(ctx, "default", metav1.GetOptions{})
		return err == nil && len(sa.ImagePullSecrets) == 1 && sa.ImagePullSecrets[0].Name == sandbox.AllICRIO
	})
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "patch-service-account") && strings.Contains(m.Text, onCall)
	})
	setStatus(t, cp.admin, pod, "")
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool { return m.ThreadTS == root.TS && strings.Contains(m.Text, "resolved") })

	t.Run("fix-it", func(t *testing.T) { fixItStory(t, ctx, cp, fs) })
	t.Run("rbac", func(t *testing.T) { checkAccess(t, saConfig, true) })
	t.Run("configmap-limit", func(t *testing.T) { checkConfigMapLimit(t, cp) })
	t.Run("cli", func(t *testing.T) {
		out, code := runCLI(t, bin, env, "diagnose", "pod", "shop/nope")
		if code != 1 || !strings.Contains(out, "Root cause: pod-not-found") {
			t.Errorf("diagnose an unknown pod: exit %d\n%s", code, out)
		}
		out, code = runCLI(t, bin, env, "diagnose", "pod", "shop/"+pod, "-o", "json")
		var rep struct {
			Schema    string
			Verdict   string
			RootCause *struct{ ID string } `json:"root_cause"`
			Results   []struct{ ID, Status string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Schema != "pullcheck.report/v1" {
			t.Fatalf("diagnose -o json: exit %d, %v\n%s", code, err, out)
		}
		// The pod runs but lists no pull secret while its service account now
		// does: a running pod gets no root cause, only that warning.
		warned := false
		for _, r := range rep.Results {
			warned = warned || (r.ID == "pod-predates-service-account-patch" && r.Status == "warn")
		}
		if code != 0 || rep.Verdict != "pulls-fine" || rep.RootCause != nil || !warned {
			t.Errorf("diagnose the fixed pod: exit %d, %+v", code, rep)
		}
		for _, r := range rep.Results {
			if r.ID == "pod-predates-service-account-patch" && r.Status == "pass" {
				t.Errorf("pod-predates-service-account-patch passes for a pod created before the patch")
			}
		}
	})
	t.Run("crafted-fix", func(t *testing.T) { craftedFix(t, ctx, cp, fs, bin, env, w, root.TS) })
	t.Run("image", func(t *testing.T) { imageProbes(t, ctx, fs, proxy) })
	t.Run("read-only", func(t *testing.T) {
		cp.kubectl("apply", "-k", filepath.Join(repoRoot(t), "deploy", "overlays", "read-only"))
		checkAccess(t, saConfig, false)
		out, code := runCLI(t, bin, append(env, "PULLCHECK_READ_ONLY=true"), "fix", "restart-pod", "shop/"+pod, "--yes", "--wait", "0")
		if code == 0 || !strings.Contains(out, "PULLCHECK_READ_ONLY is set: fixes are disabled") {
			t.Errorf("read-only fix: exit %d\n%s", code, out)
		}
		out, code = runCLI(t, bin, env, "fix", "restart-pod", "shop/"+pod, "--yes", "--wait", "0")
		if code == 0 || !strings.Contains(out, "refused by Kubernetes RBAC") {
			t.Errorf("a fix under the read-only ClusterRole: exit %d\n%s", code, out)
		}
	})
}

// fixItStory: the Deployment cart/web breaks as shop/web did -> its alert
// -> ONE Fix it click copies the secret, patches the service account and
// restarts the pod, each step audited in the thread -> the test plays the
// kubelet and the ReplicaSet controller (the old pod goes, its replacement
// runs) -> the thread says resolved. It logs the time from the click to
// "resolved".
func fixItStory(t *testing.T, ctx context.Context, cp *controlPlane, fs *fakeslack.Server) {
	pod := seedBroken(t, cp.admin, "cart")
	root := waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && strings.Contains(m.Text, "Deployment/cart/web") && strings.Contains(m.Text, "pull-secret-not-copied")
	})
	acknowledge(t, ctx, fs, root)
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool { return m.ThreadTS == root.TS && buttonValue(m, "fix-plan") != "" })
	clicked := time.Now()
	click(t, ctx, fs, root.TS, "fix-plan", "")
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "<@"+onCall+"> applied restart-pod")
	})
	replacement := replacePod(t, ctx, cp, "cart", pod)
	done := waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "resolved in") && strings.Contains(m.Text, replacement)
	})
	t.Logf("fix-it: click to resolved %.1fs (%s)", time.Since(clicked).Seconds(), done.Text)
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && strings.Contains(m.Text, "resolved after") && strings.Contains(m.Text, "Deployment/cart/web")
	})
	t.Logf("fix-it: click to the alert resolved %.1fs", time.Since(clicked).Seconds())

	var audits []string
	for _, m := range fs.Messages(alertChannel) {
		if _, what, ok := strings.Cut(m.Text, "<@"+onCall+"> applied "); ok && m.ThreadTS == root.TS {
			audits = append(audits, strings.Fields(what)[0])
		}
	}
	if got, want := strings.Join(audits, " "), "copy-pull-secret: patch-service-account: restart-pod:"; got != want {
		t.Errorf("audits %q, want one per step: %q", got, want)
	}
	sa, err := cp.admin.CoreV1().ServiceAccounts("cart").Get(ctx, "default", metav1.GetOptions{})
	if err != nil || len(sa.ImagePullSecrets) != 1 || sa.ImagePullSecrets[0].Name != sandbox.AllICRIO {
		t.Errorf("cart/default after Fix it: %+v, %v", sa, err)
	}
	t.Logf("fix-it: calls Slack refused as rate limited: %v", fs.RateLimitedCalls())
}

// acknowledge clicks Acknowledge on an alert as on-call: the leader takes
// the click in from the desk and shows it on the alert, and the Home tab
// lists the alert as acknowledged.
func acknowledge(t *testing.T, ctx context.Context, fs *fakeslack.Server, root fakeslack.Message) {
	t.Helper()
	env, err := fs.Click(fakeslack.Click{User: onCall, Channel: alertChannel, MessageTS: root.TS, ActionID: "alert-ack",
		BlockID: blockID(root), Value: buttonValue(root, "alert-ack")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(ctx, env); err != nil {
		t.Fatal(err)
	}
	acked := `acknowledged by \u003c@` + onCall + `\u003e`
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool { return m.TS == root.TS && strings.Contains(string(m.Blocks), acked) })
	for n := 1; ; n++ { // the Home tab reads the state the leader saves after it
		if _, err := fs.HomeOpened(onCall); err != nil {
			t.Fatal(err)
		}
		v, err := fs.WaitView(ctx, onCall, n)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(v.Blocks), "Deployment/cart/web") && strings.Contains(string(v.Blocks), acked) {
			return
		}
	}
}

// replacePod plays the kubelet and the ReplicaSet controller after a
// restart: the old pod's termination is confirmed, and a new pod of its
// ReplicaSet is created and runs. It returns the new pod's name.
func replacePod(t *testing.T, ctx context.Context, cp *controlPlane, ns, old string) string {
	t.Helper()
	pods := cp.admin.CoreV1().Pods(ns)
	waitFor(t, ctx, "the restart deletes "+old, func() bool {
		p, err := pods.Get(ctx, old, metav1.GetOptions{})
		return apierrors.IsNotFound(err) || (err == nil && p.DeletionTimestamp != nil)
	})
	zero := int64(0)
	if err := pods.Delete(ctx, old, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
	rs, err := cp.admin.AppsV1().ReplicaSets(ns).Get(ctx, "web-7d9f8b6c5", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := createPod(t, cp.admin, rs, "web-7d9f8b6c5-r3pl4")
	setStatusIn(t, cp.admin, ns, p.Name, "")
	return p.Name
}

// access is what pullcheck's service account may do: read (always), write
// (unless read-only), or never.
type access int

const (
	read access = iota
	write
	never
)

// checkAccess asks the API server, as pullcheck's service account, about
// every verb a check or fixer uses, and about what it must never do
// (SelfSubjectAccessReview).
func checkAccess(t *testing.T, kubeconfig string, writes bool) {
	kube, _ := clientFor(t, kubeconfig)
	for _, a := range []struct {
		verb, group, resource, ns, name string
		want                            access
	}{
		{"get", "", "pods", "shop", "", read}, {"list", "", "pods", "", "", read}, {"watch", "", "pods", "", "", read},
		{"list", "", "events", "shop", "", read}, {"get", "", "serviceaccounts", "shop", "", read},
		{"get", "", "secrets", "default", "all-icr-io", read}, {"get", "", "secrets", "default", "default-us-icr-io", read},
		{"get", "", "secrets", "shop", "", read}, {"get", "", "nodes", "", "", read}, {"list", "", "nodes", "", "", read},
		{"get", "", "namespaces", "", "", read}, {"get", "apps", "replicasets", "shop", "", read},
		{"get", "apps", "deployments", "shop", "", read}, {"list", "apps", "deployments", "", "", read},
		{"list", "apps", "replicasets", "", "", read}, {"list", "apps", "statefulsets", "", "", read}, {"list", "apps", "daemonsets", "", "", read},
		{"get", "apps", "statefulsets", "shop", "", read}, {"get", "apps", "daemonsets", "shop", "", read},
		{"get", "batch", "jobs", "shop", "", read}, {"get", "", "configmaps", "kube-system", "cluster-info", read},
		{"get", "coordination.k8s.io", "leases", "pullcheck", "pullcheck-leader", read},
		{"create", "coordination.k8s.io", "leases", "pullcheck", "", read},
		{"update", "coordination.k8s.io", "leases", "pullcheck", "pullcheck-leader", read},
		{"get", "", "configmaps", "pullcheck", "pullcheck-incidents", read}, {"update", "", "configmaps", "pullcheck", "pullcheck-incidents", read},
		{"get", "", "configmaps", "pullcheck", "pullcheck-sweeps", read}, {"update", "", "configmaps", "pullcheck", "pullcheck-sweeps", read},
		{"get", "", "configmaps", "pullcheck", "pullcheck-claims", read}, {"update", "", "configmaps", "pullcheck", "pullcheck-claims", read},
		{"create", "", "configmaps", "pullcheck", "", read},
		{"create", "", "secrets", "shop", "", write}, {"update", "", "secrets", "shop", "", write},
		{"patch", "", "serviceaccounts", "shop", "", write}, {"delete", "", "pods", "shop", "", write},
		// Every secret pullcheck reads has a name it knows: it may list none.
		{"list", "", "secrets", "", "", never}, {"watch", "", "secrets", "", "", never},
		{"list", "", "secrets", "default", "", never}, {"list", "", "secrets", "shop", "", never},
		{"list", "", "serviceaccounts", "", "", never},
		{"update", "", "configmaps", "pullcheck", "someone-elses", never}, {"list", "", "configmaps", "pullcheck", "", never},
		{"update", "coordination.k8s.io", "leases", "pullcheck", "another-lease", never},
	} {
		r, err := kube.AuthorizationV1().SelfSubjectAccessReviews().Create(context.Background(), &authorizationv1.SelfSubjectAccessReview{
			Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{
				Verb: a.verb, Group: a.group, Resource: a.resource, Namespace: a.ns, Name: a.name}}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := a.want == read || (a.want == write && writes)
		if r.Status.Allowed != want {
			t.Errorf("%s %s/%s %q in %q: allowed=%t, want %t", a.verb, a.group, a.resource, a.name, a.ns, r.Status.Allowed, want)
		}
	}
	if t.Failed() {
		return
	}
	if _, err := kube.CoreV1().ConfigMaps("kube-system").Get(context.Background(), "other", metav1.GetOptions{}); err == nil {
		t.Error("pullcheck may read configmaps other than cluster-info in kube-system")
	}
	if _, err := kube.CoreV1().Secrets("default").List(context.Background(), metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Errorf("pullcheck listed the secrets of default: %v", err)
	}
}

// checkConfigMapLimit: the real API server refuses a ConfigMap over 1 MiB
// with the error the unit tests' fake gives (kubestatetest), which
// kubestate reads as ErrTooLarge.
func checkConfigMapLimit(t *testing.T, cp *controlPlane) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "pullcheck", Name: "too-large"},
		Data: map[string]string{"state.json": strings.Repeat("x", kubestate.MaxBytes+1)}}
	_, err := cp.admin.CoreV1().ConfigMaps("pullcheck").Create(context.Background(), cm, metav1.CreateOptions{})
	if err == nil {
		t.Fatal("the API server accepted a ConfigMap over 1 MiB")
	}
	if want := kubestatetest.TooLongError("too-large").Error(); err.Error() != want || !kubestate.TooLarge(err) {
		t.Errorf("the API server said %q; the fake says %q", err, want)
	}
	cm.Data["state.json"] = strings.Repeat("x", kubestate.MaxBytes)
	if _, err := cp.admin.CoreV1().ConfigMaps("pullcheck").Create(context.Background(), cm, metav1.CreateOptions{}); err != nil {
		t.Errorf("the API server refused a ConfigMap of exactly 1 MiB: %v", err)
	}
}

func repoRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

func buildPullcheck(t *testing.T, dir string) string {
	bin := filepath.Join(dir, "pullcheck")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/pullcheck")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building pullcheck: %v\n%s", err, out)
	}
	return bin
}

func runServe(t *testing.T, bin, dir string, env []string) {
	runServeAs(t, bin, dir, "pullcheck-serve", env)
}

// runServeAs runs pullcheck serve until the test ends, logging to name.log.
func runServeAs(t *testing.T, bin, dir, name string, env []string) {
	logf, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		logf.Close()
		b, _ := os.ReadFile(logf.Name())
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", name, tail(string(b), 4000))
		}
		for _, secret := range []string{"xoxb-e2e", "xapp-e2e", "sbx"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("pullcheck serve logged a secret (%s…)", secret[:3])
			}
		}
	})
}

func runCLI(t *testing.T, bin string, env []string, args ...string) (string, int) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting until %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func waitMessage(t *testing.T, ctx context.Context, fs *fakeslack.Server, match func(fakeslack.Message) bool) fakeslack.Message {
	t.Helper()
	var found fakeslack.Message
	waitFor(t, ctx, "a Slack message", func() bool {
		for _, m := range fs.Messages(alertChannel) {
			if match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// click waits for a message in the thread offering the action for the
// finding and clicks it as on-call.
func click(t *testing.T, ctx context.Context, fs *fakeslack.Server, root, actionID string, finding diagnose.FindingID) {
	t.Helper()
	m := waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		v := buttonValue(m, actionID)
		return m.ThreadTS == root && v != "" && (finding == "" || strings.Contains(v, " "+string(finding)+" "))
	})
	env, err := fs.Click(fakeslack.Click{User: onCall, Channel: alertChannel, MessageTS: m.TS, ActionID: actionID,
		BlockID: blockID(m), Value: buttonValue(m, actionID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(ctx, env); err != nil {
		t.Fatal(err)
	}
}

func actionBlocks(m fakeslack.Message) []*slack.ActionBlock {
	var bl slack.Blocks
	if json.Unmarshal(m.Blocks, &bl) != nil {
		return nil
	}
	var out []*slack.ActionBlock
	for _, b := range bl.BlockSet {
		if a, ok := b.(*slack.ActionBlock); ok {
			out = append(out, a)
		}
	}
	return out
}

func buttonValue(m fakeslack.Message, actionID string) string {
	for _, a := range actionBlocks(m) {
		for _, e := range a.Elements.ElementSet {
			if b, ok := e.(*slack.ButtonBlockElement); ok && b.ActionID == actionID {
				return b.Value
			}
		}
	}
	return ""
}

func blockID(m fakeslack.Message) string {
	for _, a := range actionBlocks(m) {
		return a.BlockID
	}
	return ""
}

// craftedFix: a tenant's pod lists default/partner-token as its pull
// secret, and on-call is sent a crafted button (and a typed fix) copying it
// into shop. pullcheck offers no such button, refuses both, and shop gets
// no partner-token.
func craftedFix(t *testing.T, ctx context.Context, cp *controlPlane, fs *fakeslack.Server, bin string, env []string, w *sandbox.World, msg string) {
	pod := seedCrafted(t, cp.admin, w)
	value := "fix copy-pull-secret shop/" + pod + " pull-secret-missing secret=partner-token"
	env2, err := fs.Click(fakeslack.Click{User: onCall, Channel: alertChannel, MessageTS: msg, ActionID: "fix-copy-pull-secret", Value: value})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(ctx, env2); err != nil {
		t.Fatal(err)
	}
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.Ephemeral && m.User == onCall && strings.Contains(m.Text, "default/partner-token is not a pull secret pullcheck may copy")
	})
	out, code := runCLI(t, bin, env, "fix", "copy-pull-secret", "shop/"+pod, "secret=partner-token", "--wait", "0")
	if code == 0 || !strings.Contains(out, "default/partner-token is not a pull secret pullcheck may copy") {
		t.Errorf("a typed fix copying default/partner-token: exit %d\n%s", code, out)
	}
	if _, err := cp.admin.CoreV1().Secrets("shop").Get(ctx, "partner-token", metav1.GetOptions{}); err == nil {
		t.Error("pullcheck copied default/partner-token into shop")
	}
	for _, m := range fs.Messages(alertChannel) {
		if v := buttonValue(m, "fix-copy-pull-secret"); strings.Contains(v, "partner-token") {
			t.Errorf("pullcheck offered a button copying default/partner-token: %q", v)
		}
	}
}

// imageProbes: the image command reaches icr.io through the operator's
// proxy with its guarded transport, and refuses an internal address
// without asking the proxy for it.
func imageProbes(t *testing.T, ctx context.Context, fs *fakeslack.Server, proxy *connectProxy) {
	command := func(text string) {
		t.Helper()
		env, err := fs.SlashCommand(onCall, alertChannel, text)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.WaitAck(ctx, env); err != nil {
			t.Fatal(err)
		}
	}
	command("image us.icr.io/shop/web:9.9 in shop")
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.ThreadTS == "" && m.Updates > 0 && strings.Contains(m.Text, "image-tag-not-found")
	})
	command("image 169.254.169.254/latest/meta-data in shop")
	waitMessage(t, ctx, fs, func(m fakeslack.Message) bool {
		return m.Ephemeral && strings.Contains(m.Text, "pullcheck does not probe 169.254.169.254: it is a link-local address")
	})
	if n := proxy.asked("169.254.169.254"); n != 0 {
		t.Errorf("the proxy was asked %d times for 169.254.169.254", n)
	}
}
