package commands_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/fix"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
	"github.com/pullcheck/pullcheck/fleet"
)

// fakeRouter serves named clusters on fake clientsets; channels binds
// channel IDs to them.
func fakeRouter(t *testing.T, channels map[string]string, names ...string) *commands.Router {
	t.Helper()
	var cs []commands.RoutedCluster
	for _, n := range names {
		kube := fake.NewClientset()
		cs = append(cs, commands.RoutedCluster{Member: fleet.NewMember(n, "ctx-"+n, "", kube),
			Service: commands.New(commands.Options{Diagnose: diagnose.Options{Kube: kube}})})
	}
	r, err := commands.NewRouter(commands.RouterOptions{Clusters: cs, Channels: channels})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestResolve: the cluster a command names, else its channel's, else the
// only one; an unknown or missing cluster is a usage error with the choices.
func TestResolve(t *testing.T) {
	two := fakeRouter(t, map[string]string{"C0EU": "prod-eu"}, "prod-us", "prod-eu")
	one := fakeRouter(t, nil, "prod-us")
	single := fakeRouter(t, nil, "")
	tests := []struct {
		name    string
		r       *commands.Router
		channel string
		text    string
		want    string
		wantErr string
	}{
		{"named", two, "C1", "pod prod-eu shop/web-7d9f", "prod-eu", ""},
		{"named beats the channel's", two, "C0EU", "pod prod-us shop/web-7d9f", "prod-us", ""},
		{"bound channel", two, "C0EU", "pod shop/web-7d9f", "prod-eu", ""},
		{"a namespace called like a cluster", two, "C0EU", "namespace prod-us", "prod-eu", ""},
		{"a fix button", two, "C0EU", "fix prod-us copy-pull-secret shop/web-7d9f", "prod-us", ""},
		{"unknown cluster", two, "C0EU", "pod prod-ap shop/web-7d9f", "", `pullcheck serves no cluster "prod-ap"; the clusters are prod-eu, prod-us`},
		{"missing cluster", two, "C1", "pod shop/web-7d9f", "",
			"which cluster? pullcheck serves prod-eu, prod-us: name one first (example: pod prod-eu shop/web-7d9f), or ask in a channel bound to one"},
		{"the only named cluster", one, "C1", "deployment shop/web", "prod-us", ""},
		{"one cluster, named anyway", single, "C1", "pod prod-us shop/web-7d9f", "",
			`pullcheck serves one cluster here; drop "prod-us" from the command (example: pod shop/web-7d9f)`},
		{"one cluster", single, "C1", "pod shop/web-7d9f", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, err := commands.Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			c, err := tt.r.Resolve(commands.Request{Channel: tt.channel, Text: tt.text}, cmd)
			if tt.wantErr != "" {
				var ue *commands.UsageError
				if !errors.As(err, &ue) || ue.Msg != tt.wantErr {
					t.Fatalf("Resolve error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.Member.Name != tt.want {
				t.Errorf("Resolve = %v, %v; want %q", c, err, tt.want)
			}
		})
	}
}

func TestNewRouterRefusesBadBindings(t *testing.T) {
	kube := fake.NewClientset()
	c := commands.RoutedCluster{Member: fleet.NewMember("prod-us", "", "", kube), Service: commands.New(commands.Options{Diagnose: diagnose.Options{Kube: kube}})}
	if _, err := commands.NewRouter(commands.RouterOptions{Clusters: []commands.RoutedCluster{c}, Channels: map[string]string{"C0EU": "prod-eu"}}); err == nil ||
		!strings.Contains(err.Error(), `channel C0EU is bound to "prod-eu", which is no cluster (clusters: prod-us)`) {
		t.Errorf("unknown bound cluster: %v", err)
	}
	if _, err := commands.NewRouter(commands.RouterOptions{}); err == nil {
		t.Error("a router without clusters")
	}
}

func TestOffersIn(t *testing.T) {
	offers := []commands.Offer{{Action: diagnose.CopyPullSecret, Value: "fix copy-pull-secret shop/web-1"},
		{Action: diagnose.Rerun, Value: "pod shop/web-1"}}
	got := commands.OffersIn("prod-eu", offers)
	want := []string{"fix prod-eu copy-pull-secret shop/web-1", "pod prod-eu shop/web-1"}
	if diff := cmp.Diff(want, []string{got[0].Value, got[1].Value}); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if offers[0].Value != "fix copy-pull-secret shop/web-1" {
		t.Error("OffersIn changed its argument")
	}
	if again := commands.OffersIn("prod-eu", got); again[0].Value != want[0] {
		t.Errorf("stamped twice: %q", again[0].Value)
	}
	if same := commands.OffersIn("", offers); same[0].Value != offers[0].Value {
		t.Error("no cluster: the offers change")
	}
}

// recorder is an Output that keeps everything: private answers, the
// conversations' targets, their offers and audits.
type recorder struct {
	mu       sync.Mutex
	privates []commands.Private
	targets  []string
	offers   []string
	audits   []string
	text     bytes.Buffer
}

func (r *recorder) Private(_ context.Context, m commands.Private) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.privates = append(r.privates, m)
	return nil
}

func (r *recorder) Open(_ context.Context, kind, target string) (commands.Conversation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.targets = append(r.targets, kind+" "+target)
	return &recConv{r: r, Conversation: mustOpen(commands.NewTextOutput(&r.text))}, nil
}

func (r *recorder) Resume(context.Context) (commands.Conversation, bool) { return nil, false }

func mustOpen(o commands.Output) commands.Conversation {
	c, _ := o.Open(context.Background(), "", "")
	return c
}

type recConv struct {
	commands.Conversation
	r *recorder
}

func (c *recConv) Verdict(ctx context.Context, rep *diagnose.Report, offers []commands.Offer) error {
	c.r.mu.Lock()
	for _, o := range offers {
		c.r.offers = append(c.r.offers, o.Value)
	}
	c.r.mu.Unlock()
	return c.Conversation.Verdict(ctx, rep, offers)
}

func (c *recConv) Audit(ctx context.Context, user string, res fix.Result) error {
	c.r.mu.Lock()
	c.r.audits = append(c.r.audits, res.Summary)
	c.r.mu.Unlock()
	return c.Conversation.Audit(ctx, user, res)
}

// twoWorlds is a Router over two sandbox clusters, prod-us and prod-eu,
// each with team-a's broken pod.
func twoWorlds(t *testing.T) (r *commands.Router, worlds map[string]*sandbox.World, pods map[string]string) {
	t.Helper()
	worlds, pods = map[string]*sandbox.World{}, map[string]string{}
	var cs []commands.RoutedCluster
	for _, name := range []string{"prod-us", "prod-eu"} {
		w, svc := world(t)
		worlds[name], pods[name] = w, scenario(t, "team-a").Build(w)
		cs = append(cs, commands.RoutedCluster{Member: fleet.NewMember(name, "ctx-"+name, "", w.Kube), Service: svc})
	}
	r, err := commands.NewRouter(commands.RouterOptions{Clusters: cs, IBM: worlds["prod-us"].EngineOptions(worlds["prod-us"].BotKey).IBM})
	if err != nil {
		t.Fatal(err)
	}
	return r, worlds, pods
}

func route(t *testing.T, r *commands.Router, req commands.Request) *recorder {
	t.Helper()
	rec := &recorder{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.Handle(ctx, req, rec)
	r.Wait()
	return rec
}

// TestRouterLandsInTheRightCluster: a diagnosis names its cluster and its
// buttons carry it; a fix changes only the cluster it names.
func TestRouterLandsInTheRightCluster(t *testing.T) {
	r, worlds, pods := twoWorlds(t)
	rec := route(t, r, commands.Request{User: "cli", Text: "pod prod-eu team-a/" + pods["prod-eu"]})
	if len(rec.targets) != 1 || rec.targets[0] != "pod team-a/"+pods["prod-eu"]+" in cluster prod-eu" {
		t.Errorf("targets %q", rec.targets)
	}
	copyFix := ""
	for _, o := range rec.offers { // Fix it comes first, then each remedy
		if strings.HasPrefix(o, "fix prod-eu copy-pull-secret team-a/") {
			copyFix = o
		}
	}
	if copyFix == "" {
		t.Fatalf("offers %q", rec.offers)
	}
	rec = route(t, r, commands.Request{User: "cli", Text: copyFix})
	if len(rec.audits) != 1 || !strings.HasPrefix(rec.audits[0], "in cluster prod-eu: ") {
		t.Errorf("audits %q, privates %+v", rec.audits, rec.privates)
	}
	ctx := context.Background()
	if _, err := worlds["prod-eu"].Kube.CoreV1().Secrets("team-a").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{}); err != nil {
		t.Errorf("prod-eu has no copy: %v", err)
	}
	if _, err := worlds["prod-us"].Kube.CoreV1().Secrets("team-a").Get(ctx, sandbox.AllICRIO, metav1.GetOptions{}); err == nil {
		t.Error("the fix for prod-eu changed prod-us")
	}
	rec = route(t, r, commands.Request{User: "cli", Text: "pod team-a/" + pods["prod-us"]})
	if len(rec.privates) != 1 || rec.privates[0].Kind != commands.UsageReply || !strings.Contains(rec.privates[0].Text, "which cluster?") {
		t.Errorf("no cluster: %+v", rec.privates)
	}
}

// TestRouterIsolatesAnUnreachableCluster: requests for a cluster that does
// not answer fail at once, naming it; the other cluster still answers.
func TestRouterIsolatesAnUnreachableCluster(t *testing.T) {
	r, _, pods := twoWorlds(t)
	down := errors.New("dial tcp 10.1.2.3:6443: connect: connection refused")
	for _, c := range r.Clusters() {
		if c.Member.Name == "prod-eu" {
			c.Member.Health = fleet.NewHealthFunc("prod-eu", func(context.Context) error { return down })
		}
	}
	rec := route(t, r, commands.Request{User: "cli", Text: "pod prod-eu team-a/" + pods["prod-eu"]})
	if len(rec.targets) != 0 || len(rec.privates) != 1 || rec.privates[0].Kind != commands.FailureReply ||
		!strings.Contains(rec.privates[0].Text, "cluster prod-eu does not answer") {
		t.Errorf("unreachable cluster: targets %q, privates %+v", rec.targets, rec.privates)
	}
	rec = route(t, r, commands.Request{User: "cli", Text: "pod prod-us team-a/" + pods["prod-us"]})
	if len(rec.targets) != 1 || !strings.Contains(rec.text.String(), "pull-secret-not-copied") {
		t.Errorf("the other cluster: targets %q\n%s", rec.targets, rec.text.String())
	}
	rec = route(t, r, commands.Request{User: "cli", Text: "clusters"})
	if len(rec.privates) != 1 || !strings.Contains(rec.privates[0].Text, "prod-eu (context ctx-prod-eu): cluster prod-eu does not answer") ||
		!strings.Contains(rec.privates[0].Text, "prod-us (context ctx-prod-us) → shop-prod") {
		t.Errorf("clusters: %+v", rec.privates)
	}
}
