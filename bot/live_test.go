package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"k8s.io/utils/clock"

	"github.com/pullcheck/pullcheck/bot/blocks"
)

// write is one write of a live message the test saw.
type write struct {
	start, end time.Duration // after the test began, on the bubble's clock
	method     string        // "post" or "update"
	text       string
}

// recorder plays Slack for a live message: a post takes postRTT, an
// update updateRTT, and it records every write and how many overlap.
type recorder struct {
	t0                 time.Time
	postRTT, updateRTT time.Duration
	fail               int // fail the next fail writes

	mu       sync.Mutex
	writes   []write
	inFlight int
	overlap  bool
}

func (r *recorder) do(method string, m blocks.Message, rtt time.Duration) error {
	r.mu.Lock()
	r.inFlight++
	r.overlap = r.overlap || r.inFlight > 1
	start := time.Since(r.t0)
	failing := r.fail > 0
	r.fail--
	r.mu.Unlock()
	time.Sleep(rtt)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	r.writes = append(r.writes, write{start: start, end: time.Since(r.t0), method: method, text: m.Text()})
	if failing {
		return errors.New("slack is down")
	}
	return nil
}

func (r *recorder) live(wg *sync.WaitGroup) *live {
	return newLive(liveConfig{
		post: func(ctx context.Context, m blocks.Message) (string, error) {
			return "1700000000.000200", r.do("post", m, r.postRTT)
		},
		update: func(ctx context.Context, ts string, m blocks.Message) error { return r.do("update", m, r.updateRTT) },
		every:  time.Second, clock: clock.RealClock{}, log: slog.New(slog.DiscardHandler), wg: wg,
	})
}

// TestLiveThrottle: 35 states in 700 ms, then a final one, as a fast
// diagnosis shows them. The message is posted with the first state, then
// edited: never two writes at once, write starts at least a second apart,
// far fewer writes than states, and the final state written last.
func TestLiveThrottle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{t0: time.Now(), postRTT: 50 * time.Millisecond, updateRTT: 300 * time.Millisecond}
		var wg sync.WaitGroup
		l := r.live(&wg)
		for i := range 35 {
			l.show(t.Context(), blocks.Note(fmt.Sprint("state ", i)))
			time.Sleep(20 * time.Millisecond)
		}
		if ts := l.settle(t.Context(), blocks.Note("final")); ts != "1700000000.000200" {
			t.Errorf("settle = %q, want the post's ts", ts)
		}
		<-l.flushed()
		wg.Wait()

		if r.overlap {
			t.Error("two writes of one message were in flight at once")
		}
		w := r.writes
		if len(w) == 0 || w[0].method != "post" || w[0].text != "state 0" {
			t.Fatalf("writes = %+v, want the first state posted first", w)
		}
		for i := 1; i < len(w); i++ {
			if w[i].method != "update" || w[i].start-w[i-1].start < time.Second {
				t.Errorf("write %d (%s at %v) follows the previous (at %v) too soon", i, w[i].method, w[i].start, w[i-1].start)
			}
		}
		if last := w[len(w)-1]; last.text != "final" {
			t.Errorf("the last write is %q, want the final state", last.text)
		}
		if len(w) > 3 {
			t.Errorf("%d writes for 36 states in under a second, want at most 3", len(w))
		}
	})
}

// TestLiveSettleWaitsForThePostOnly: settle returns once the message is in
// the thread, before its final edit, which still follows.
func TestLiveSettleWaitsForThePostOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{t0: time.Now(), postRTT: 50 * time.Millisecond, updateRTT: 50 * time.Millisecond}
		var wg sync.WaitGroup
		l := r.live(&wg)
		l.show(t.Context(), blocks.Note("state 0"))
		time.Sleep(100 * time.Millisecond)
		l.settle(t.Context(), blocks.Note("final"))
		if at := time.Since(r.t0); at != 100*time.Millisecond {
			t.Errorf("settle waited until %v for an edit due at 1s", at)
		}
		<-l.flushed()
		if w := r.writes; len(w) != 2 || w[1].text != "final" || w[1].start != time.Second {
			t.Errorf("writes = %+v, want the final edit at 1s", w)
		}
		wg.Wait()
	})
}

// TestLiveFailedPost: a post that fails is not retried on its own, but
// the next state posts again, and settle does not wait forever.
func TestLiveFailedPost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &recorder{t0: time.Now(), postRTT: 50 * time.Millisecond, fail: 1}
		var wg sync.WaitGroup
		l := r.live(&wg)
		l.show(t.Context(), blocks.Note("state 0"))
		<-l.flushed()
		if ts := l.settle(t.Context(), blocks.Note("final")); ts != "1700000000.000200" {
			t.Errorf("settle after a failed post = %q, want the second post's ts", ts)
		}
		<-l.flushed()
		wg.Wait()
		if w := r.writes; len(w) != 2 || w[1].method != "post" || w[1].text != "final" {
			t.Errorf("writes = %+v, want a failed post, then the final state posted", w)
		}
	})
}
