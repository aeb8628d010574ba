//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

const secondOnCall = "U0SECOND"

// TestReplicasApplyOnce runs two real `pullcheck serve` replicas, as the
// Deployment of deploy/base does, against the real kube-apiserver. Slack
// hands each interaction to one of an app's socket connections, so the two
// clicks of a double click may reach two replicas: here each replica has a
// fake Slack of its own, and the same fix button of the leader's alert is
// clicked on both at once (by two on-call engineers). The fix is applied
// once, audited once, and the other replica tells its clicker who applied
// it; the claim is in the ConfigMap pullcheck-claims.
func TestReplicasApplyOnce(t *testing.T) {
	cp := startControlPlane(t)
	cp.kubectl("apply", "-k", filepath.Join(repoRoot(t), "deploy", "base"))
	token := strings.TrimSpace(cp.kubectl("create", "token", "pullcheck", "-n", "pullcheck", "--duration", "1h"))
	saConfig := cp.kubeconfig("pullcheck", token)
	w, err := sandbox.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	seedCluster(t, cp.admin, w)
	proxy := startProxy(t, w.Server.Addr())
	caFile := filepath.Join(cp.dir, "ibm-ca.pem")
	if err := os.WriteFile(caFile, w.Server.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := buildPullcheck(t, cp.dir)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var fakes [2]*fakeslack.Server
	for i, name := range []string{"pullcheck-e2e-a", "pullcheck-e2e-b"} {
		fs, err := fakeslack.Start(fakeslack.Options{AppToken: "xapp-e2e", BotToken: "xoxb-e2e"})
		if err != nil {
			t.Fatal(err)
		}
		defer fs.Close()
		fakes[i] = fs
		runServeAs(t, bin, cp.dir, name, []string{"KUBECONFIG=" + saConfig, "SSL_CERT_FILE=" + caFile, "HTTPS_PROXY=" + proxy.URL(),
			"IBMCLOUD_API_KEY=" + w.BotKey, "HOME=" + cp.dir, "PATH=/usr/bin:/bin",
			"SLACK_APP_TOKEN=xapp-e2e", "SLACK_BOT_TOKEN=xoxb-e2e", "SLACK_API_URL=" + fs.APIURL(),
			"PULLCHECK_ONCALL_USERS=" + onCall + "," + secondOnCall, "PULLCHECK_ALERT_CHANNEL=" + alertChannel,
			"PULLCHECK_ALERT_GRACE=0s", "PULLCHECK_ALERT_HOLD=1s", "PULLCHECK_QUOTA_SCHEDULE=off", "PULLCHECK_HYGIENE_SCHEDULE=off",
			"POD_NAMESPACE=pullcheck", "POD_NAME=" + name, "PULLCHECK_HTTP_ADDR=127.0.0.1:0"})
		if err := fs.WaitConnected(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}

	// Only the leader alerts, in its own Slack.
	leader, root := -1, fakeslack.Message{}
	waitFor(t, ctx, "the leader's alert", func() bool {
		for i, fs := range fakes {
			for _, m := range fs.Messages(alertChannel) {
				if m.ThreadTS == "" && strings.Contains(m.Text, "pull-secret-not-copied") {
					leader, root = i, m
					return true
				}
			}
		}
		return false
	})
	offer := waitMessage(t, ctx, fakes[leader], func(m fakeslack.Message) bool {
		return m.ThreadTS == root.TS && buttonValue(m, "fix-copy-pull-secret") != ""
	})
	if n := len(fakes[1-leader].Messages(alertChannel)); n != 0 {
		t.Fatalf("the replica that does not lead posted %d messages", n)
	}

	users := [2]string{onCall, secondOnCall}
	var envs [2]string
	for i, fs := range fakes {
		envs[i], err = fs.Click(fakeslack.Click{User: users[i], Channel: alertChannel, MessageTS: offer.TS,
			ActionID: "fix-copy-pull-secret", BlockID: blockID(offer), Value: buttonValue(offer, "fix-copy-pull-secret")})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, fs := range fakes {
		if _, err := fs.WaitAck(ctx, envs[i]); err != nil {
			t.Fatal(err)
		}
	}

	// One replica applies; the other names who did.
	winner, told := -1, ""
	waitFor(t, ctx, "one replica to tell its clicker who applied the fix", func() bool {
		for i, fs := range fakes {
			for _, m := range fs.Messages(alertChannel) {
				if m.Ephemeral && strings.Contains(m.Text, "already applied") {
					winner, told = 1-i, m.Text
					return true
				}
			}
		}
		return false
	})
	if want := "by <@" + users[winner] + ">"; !strings.Contains(told, want) {
		t.Errorf("the second click was told %q, want it to name %s", told, users[winner])
	}
	waitFor(t, ctx, "shop/all-icr-io is created", func() bool {
		_, err := cp.admin.CoreV1().Secrets("shop").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{})
		return err == nil
	})
	audits := func() (n int) {
		for _, fs := range fakes {
			for _, m := range fs.Messages(alertChannel) {
				if !m.Ephemeral && m.ThreadTS == root.TS && strings.Contains(m.Text, "applied copy-pull-secret") {
					n++
				}
			}
		}
		return n
	}
	waitFor(t, ctx, "the audit", func() bool { return audits() > 0 })
	if n := audits(); n != 1 {
		t.Errorf("%d audits of copy-pull-secret, want 1", n)
	}
	cm, err := cp.admin.CoreV1().ConfigMaps("pullcheck").Get(ctx, commands.ClaimsConfigMap, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("no claims ConfigMap: %v", err)
	}
	claim := alertChannel + "/" + offer.TS + "/fix-copy-pull-secret"
	if doc := cm.Data[commands.ClaimsKey]; !strings.Contains(doc, claim) || !strings.Contains(doc, users[winner]) {
		t.Errorf("claims %s, want %s by %s", doc, claim, users[winner])
	}
}
