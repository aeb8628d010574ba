package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/pullcheck/pullcheck/alerts"
	"github.com/pullcheck/pullcheck/bot"
	"github.com/pullcheck/pullcheck/bot/fakeslack"
	"github.com/pullcheck/pullcheck/bot/outbox"
	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// BenchmarkStorm: 1,000 pods in 50 namespaces (200 Deployments of 5 pods)
// enter ImagePullBackOff for one cause (the jp-tok pull-traffic quota). It
// counts the Slack messages posted in the first minute — through the real
// notifier, outbox (1 message/s/channel) and fake Slack — and checks that
// the alert accounts for all 1,000 pods. Default grace is replaced by 0 so
// that the minute is the storm's; the hold is the default 10 s.
func BenchmarkStorm(b *testing.B) {
	for i := 0; i < b.N; i++ {
		msgs, pods := storm(b)
		b.ReportMetric(float64(msgs), "messages-first-minute")
		b.ReportMetric(float64(pods), "pods-in-alert")
	}
}

func storm(b *testing.B) (int, int) {
	fs, err := fakeslack.Start(fakeslack.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer fs.Close()
	w, err := sandbox.NewWorld()
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	svc := commands.New(commands.Options{Diagnose: w.EngineOptions(w.BotKey)})
	bt, err := bot.New(bot.Config{AppToken: "xapp-test", BotToken: "xoxb-test", APIURL: fs.APIURL(), HTTPClient: http.DefaultClient}, svc)
	if err != nil {
		b.Fatal(err)
	}
	box := outbox.New(outbox.Options{})
	defer box.Close()
	m, err := alerts.NewManager(ctx, alerts.Options{Engine: w.Engine(), Offers: svc.Offers, Notify: bt.NewNotifier(box),
		Store: alerts.MemoryStore(), Routes: alerts.Routes{Default: "C0ALERTS"}})
	if err != nil {
		b.Fatal(err)
	}
	wt, err := alerts.NewWatcher(w.Kube, m, alerts.WatchOptions{Grace: 0, Workers: 8, Tick: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = wt.Run(ctx) }()
	for !wt.Synced() {
		runtime.Gosched()
	}
	start := time.Now()
	for n := range 50 {
		ns := fmt.Sprintf("tokyo-%02d", n)
		w.Namespace(ns, sandbox.NamespaceSetup{Copy: true, SASecrets: []string{sandbox.AllICRIO}})
		for d := range 4 {
			first := w.Deploy(sandbox.Workload{Namespace: ns, Name: fmt.Sprintf("web%d", d), Image: "jp.icr.io/shop-jp/web:1.0",
				PodOnlySecrets: []string{sandbox.AllICRIO}, Reason: "ImagePullBackOff"})
			p, err := w.Kube.CoreV1().Pods(ns).Get(ctx, first, metav1.GetOptions{})
			if err != nil {
				b.Fatal(err)
			}
			for r := 1; r < 5; r++ {
				c := p.DeepCopy()
				c.Name, c.UID, c.ResourceVersion = fmt.Sprintf("%s-%d", first, r), types.UID(fmt.Sprintf("%s-%d", c.UID, r)), ""
				if _, err := w.Kube.CoreV1().Pods(ns).Create(ctx, c, metav1.CreateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	var root fakeslack.Message
	deadline := time.After(90 * time.Second)
	for !strings.HasPrefix(root.Text, "1000 pods") {
		select {
		case <-deadline:
			b.Fatalf("no storm alert for all pods; root %q", root.Text)
		case <-time.After(100 * time.Millisecond):
		}
		for _, msg := range fs.Messages("C0ALERTS") {
			if msg.ThreadTS == "" {
				root = msg
			}
		}
	}
	// Let the first minute run out, then count what it posted.
	<-time.After(time.Until(start.Add(time.Minute)))
	posted := 0
	for _, c := range fs.Calls() {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.At.Before(start.Add(time.Minute)) {
			posted++
		}
	}
	pods := 0
	fmt.Sscanf(root.Text, "%d pods", &pods)
	return posted, pods
}
