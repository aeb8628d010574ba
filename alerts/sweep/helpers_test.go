package sweep

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/pullcheck/pullcheck/commands"
	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// post is one message a recorder received.
type post struct {
	Channel string
	Finding Finding
}

// recorder is a Notifier that keeps what it is sent; err fails every post.
type recorder struct {
	mu    sync.Mutex
	posts []post
	err   error
}

func (r *recorder) Sweep(_ context.Context, channel string, f Finding) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.posts = append(r.posts, post{Channel: channel, Finding: f})
	return nil
}

// take returns the posts received since the last take.
func (r *recorder) take() []post {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.posts
	r.posts = nil
	return out
}

// memStore is a Store in memory. It hands out and keeps copies, as a real
// store would.
type memStore struct {
	mu sync.Mutex
	st State
}

func (m *memStore) Load(context.Context) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.clone(), nil
}

func (m *memStore) Save(_ context.Context, st State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st = st.clone()
	return nil
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// newWorld starts a sandbox world, closed when the test ends.
func newWorld(t *testing.T, opts ...sandbox.Option) *sandbox.World {
	t.Helper()
	w, err := sandbox.NewWorld(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

// ibmClient is the real IBM Cloud client against w, with key as
// pullcheck's own.
func ibmClient(w *sandbox.World, key string) *ibmcloud.Client {
	return ibmcloud.New(ibmcloud.DefaultEndpoints(), &http.Client{Transport: w.Transport(), Timeout: 20 * time.Second}, key)
}

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// date is midnight UTC of a day in November 2026, plus hours.
func date(day, hours int) time.Time {
	return time.Date(2026, time.November, day, hours, 0, 0, 0, time.UTC)
}

// fixOffer is the button a problem of a pod gets: it names its remedy's
// arguments, all-icr-io and (for a patch) the default service account.
func fixOffer(a diagnose.Action, title, ns, pod string) commands.Offer {
	args := map[string]string{"secret": allICRIO}
	if a == diagnose.PatchServiceAccount {
		args["serviceAccount"] = "default"
	}
	cmd := commands.Command{Verb: commands.Fix, Action: a, Ref: commands.ObjectRef{Namespace: ns, Name: pod}, Args: args}
	return commands.Offer{Action: a, Title: title, Value: cmd.String()}
}

// secretHash is the content hash of a secret in w.
func secretHash(t *testing.T, w *sandbox.World, ns string) string {
	t.Helper()
	s, err := w.Kube.CoreV1().Secrets(ns).Get(context.Background(), allICRIO, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return diagnose.ContentHash(s.Data)
}

// secretData is the data of all-icr-io in a namespace of w.
func secretData(t *testing.T, w *sandbox.World, ns string) map[string][]byte {
	t.Helper()
	s, err := w.Kube.CoreV1().Secrets(ns).Get(context.Background(), allICRIO, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s.Data
}
