package outbox_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/bot/outbox"
)

// A thread's replies must follow its root: a failing op holds back the ops
// queued after it until it is delivered.
func TestOrderWithinChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		h.post("C1", "root", errNetwork, errNetwork)
		for _, name := range []string{"reply1", "reply2", "reply3"} {
			h.post("C1", name)
		}
		h.advance(secs(20), secs(0.5))

		// root: tries at 0s, 2s (+2s backoff) and 6s (+4s); the replies
		// follow at the pace of one a second.
		want := []event{
			call(0, "C1", "root"), call(secs(2), "C1", "root"), call(secs(6), "C1", "root"),
			call(secs(7), "C1", "reply1"), call(secs(8), "C1", "reply2"), call(secs(9), "C1", "reply3"),
		}
		if diff := cmp.Diff(want, h.seen("call")); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
		if n := h.b.Len("C1"); n != 0 {
			t.Errorf("Len = %d after delivery, want 0", n)
		}
	})
}

// A channel stuck in a slow call does not hold back another channel.
func TestChannelsInParallel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		release := make(chan struct{})
		stuck := func(ctx context.Context) error {
			h.record("call", "C1", "slow")
			<-release
			return nil
		}
		if err := h.b.Post("C1", stuck); err != nil {
			t.Fatal(err)
		}
		h.post("C1", "a2")
		for _, name := range []string{"b1", "b2", "b3"} {
			h.post("C2", name)
		}
		h.advance(secs(5), secs(1))
		close(release)
		h.advance(secs(1), secs(1))

		want := []event{
			call(0, "C1", "slow"), call(0, "C2", "b1"),
			call(secs(1), "C2", "b2"),
			call(secs(2), "C2", "b3"),
			call(secs(5), "C1", "a2"), // paced from slow's start, not held back further
		}
		if diff := cmp.Diff(want, h.seen("call")); diff != "" {
			t.Errorf("calls (-want +got):\n%s", diff)
		}
	})
}

// No op starts before its slot: Burst back to back, then one per Interval,
// and a pause between posts does not reset the pace early.
func TestPacing(t *testing.T) {
	tests := []struct {
		name   string
		burst  int
		postAt []time.Duration // when each op is posted
		want   []time.Duration // when each op runs
	}{
		{"five at once take four intervals", 1, []time.Duration{0, 0, 0, 0, 0},
			[]time.Duration{0, secs(1), secs(2), secs(3), secs(4)}},
		{"burst of three", 3, []time.Duration{0, 0, 0, 0, 0},
			[]time.Duration{0, 0, 0, secs(1), secs(2)}},
		{"second post within the interval waits for its slot", 1, []time.Duration{0, secs(0.25)},
			[]time.Duration{0, secs(1)}},
		{"post after a quiet spell runs at once", 1, []time.Duration{0, secs(3)},
			[]time.Duration{0, secs(3)}},
		{"burst refills with time", 2, []time.Duration{0, 0, secs(2), secs(2), secs(2)},
			[]time.Duration{0, 0, secs(2), secs(2), secs(3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHarness(t, outbox.Options{Burst: tt.burst})
				var want []event
				for i, at := range tt.postAt {
					h.advance(at-h.fc.Since(t0), secs(0.25))
					name := string(rune('a' + i))
					h.post("C1", name)
					want = append(want, call(tt.want[i], "C1", name))
				}
				h.advance(secs(10), secs(0.25))
				if diff := cmp.Diff(want, h.seen("call")); diff != "" {
					t.Errorf("calls (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// Len counts the ops not yet delivered, the one in flight included, and a
// channel is forgotten once idle with its pace paid.
func TestLenAndIdle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, outbox.Options{})
		for _, name := range []string{"a", "b", "c"} {
			h.post("C1", name)
		}
		synctest.Wait()
		if got := []int{h.b.Len("C1"), h.b.Len("C2")}; !cmp.Equal(got, []int{2, 0}) {
			t.Errorf("Len(C1), Len(C2) = %v, want [2 0]", got)
		}
		h.advance(secs(2), secs(1)) // c runs at 2s; its pace is paid at 3s
		if got := []int{h.b.Len("C1"), outbox.Channels(h.b)}; !cmp.Equal(got, []int{0, 1}) {
			t.Errorf("Len(C1), Channels = %v right after delivery, want [0 1]", got)
		}
		h.advance(secs(1), secs(1))
		if n := outbox.Channels(h.b); n != 0 {
			t.Errorf("Channels = %d once idle, want 0", n)
		}
	})
}
