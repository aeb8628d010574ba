package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
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
// notifier, outbox (1 message/s/channel) and a fake Slack that enforces
// Slack's rate limits — checks that the alert accounts for all 1,000 pods,
// and times how long until the root counts every pod and the thread lists
// every workload, and how many calls Slack refused with 429. Default grace
// is replaced by 0 so that the minute is the storm's; the hold is the
// default 10 s.
func BenchmarkStorm(b *testing.B) {
	for i := 0; i < b.N; i++ {
		r := storm(b)
		b.ReportMetric(float64(r.msgs), "messages-first-minute")
		b.ReportMetric(float64(r.pods), "pods-in-alert")
		b.ReportMetric(r.allPods.Seconds(), "s-to-all-pods")
		b.ReportMetric(r.allListed.Seconds(), "s-to-all-listed")
		b.ReportMetric(float64(r.limited), "429s")
	}
}

// stormRun is what one storm cost.
type stormRun struct {
	msgs, pods, limited int
	// allPods is when the root first counted every pod; allListed when the
	// thread first named every workload.
	allPods, allListed time.Duration
}

// stormWorkload matches the name of a storm's workload in a listing.
var stormWorkload = regexp.MustCompile(`tokyo-\d+/web\d`)

func storm(b *testing.B) stormRun {
	fs, err := fakeslack.Start(fakeslack.Options{Limits: fakeslack.SlackLimits()})
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
	var run stormRun
	deadline := time.After(5 * time.Minute)
	for run.allPods == 0 || run.allListed == 0 {
		select {
		case <-deadline:
			b.Fatalf("the storm alert did not count and list every pod: %+v", run)
		case <-time.After(100 * time.Millisecond):
		}
		root, listed := stormThread(fs)
		if run.allPods == 0 && strings.HasPrefix(root.Text, "1000 pods") {
			run.allPods = time.Since(start)
		}
		if run.allListed == 0 && listed == 200 {
			run.allListed = time.Since(start)
		}
	}
	// Let the first minute run out, then count what it posted.
	<-time.After(time.Until(start.Add(time.Minute)))
	for _, c := range fs.Calls() {
		if c.Method == "chat.postMessage" && c.Status == 200 && c.At.Before(start.Add(time.Minute)) {
			run.msgs++
		}
	}
	root, _ := stormThread(fs)
	fmt.Sscanf(root.Text, "%d pods", &run.pods)
	run.limited = count429(fs)
	return run
}

// stormThread returns the storm's root and how many workloads its thread
// names.
func stormThread(fs *fakeslack.Server) (fakeslack.Message, int) {
	var root fakeslack.Message
	names := map[string]bool{}
	for _, msg := range fs.Messages("C0ALERTS") {
		if msg.ThreadTS == "" {
			root = msg
			continue
		}
		for _, n := range stormWorkload.FindAllString(string(msg.Blocks), -1) {
			names[n] = true
		}
	}
	return root, len(names)
}
