package telegram

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// Ensure that the poll settles until the batch's handlers have run and
// their answers' first requests are written, then lingers a sixteenth of
// the round trip unless the batch is one person's alone, and never waits
// more than half the round trip (and settleMax) for a batch that takes
// longer.
func TestSettleFor(t *testing.T) {
	const rtt = 160 * time.Millisecond
	ctx := context.Background()
	// settled runs settleFor in the background and returns when it is
	// over, on the fake clock.
	settled := func(rtt time.Duration, answers int, lone bool, idle, written *countdown) <-chan time.Time {
		over := make(chan time.Time, 1)
		go func() {
			settleFor(ctx, rtt, answers, lone, idle.zero, written.zero)
			over <- time.Now()
		}()
		return over
	}
	// begin counts n handlers running and n answers not written.
	begin := func(n int) (idle, written *countdown) {
		idle, written = &countdown{}, &countdown{}
		idle.add(n)
		written.add(n)
		return idle, written
	}
	pending := func(t *testing.T, over <-chan time.Time, what string) {
		t.Helper()
		synctest.Wait()
		select {
		case <-over:
			t.Fatalf("the poll left %s", what)
		default:
		}
	}
	for _, tc := range []struct {
		name    string
		answers int
		lone    bool
		linger  time.Duration
	}{
		{"Batch", 3, false, rtt / settleLinger},
		{"FirstLone", 1, false, rtt / settleLinger}, // nothing known yet
		{"Lone", 1, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				idle, written := begin(tc.answers)
				over := settled(rtt, tc.answers, tc.lone, idle, written)
				time.Sleep(30 * time.Millisecond)
				idle.add(-tc.answers)
				pending(t, over, "with the handlers run but no answer written")
				for i := 1; i < tc.answers; i++ {
					time.Sleep(10 * time.Millisecond)
					written.add(-1)
					pending(t, over, fmt.Sprintf("with %d answers of %d written", i, tc.answers))
				}
				time.Sleep(10 * time.Millisecond)
				start := time.Now()
				written.add(-1)
				if got := (<-over).Sub(start); got != tc.linger {
					t.Errorf("the poll left %v after the last answer was written, want %v", got, tc.linger)
				}
			})
		})
	}
	t.Run("Budget", func(t *testing.T) {
		for _, tc := range []struct {
			rtt, want time.Duration
		}{
			{rtt, rtt / settlePart},
			{10 * time.Second, settleMax},
		} {
			synctest.Test(t, func(t *testing.T) {
				var idle, written countdown
				written.add(1) // an answer that is never written
				start := time.Now()
				if got := (<-settled(tc.rtt, 3, false, &idle, &written)).Sub(start); got != tc.want {
					t.Errorf("round trip %v: waited %v for an answer never written, want %v", tc.rtt, got, tc.want)
				}
				idle.add(1) // a handler that never returns
				start = time.Now()
				if got := (<-settled(tc.rtt, 3, false, &idle, &written)).Sub(start); got != tc.want {
					t.Errorf("round trip %v: waited %v for a handler never done, want %v", tc.rtt, got, tc.want)
				}
				// Done just before the bound, the linger is cut at it.
				idle.add(-1)
				written.add(-1)
				idle.add(1)
				over := settled(tc.rtt, 3, false, &idle, &written)
				start = time.Now()
				time.Sleep(tc.want - time.Millisecond)
				idle.add(-1)
				if got := (<-over).Sub(start); got != tc.want {
					t.Errorf("round trip %v: the linger went on to %v, beyond the bound %v", tc.rtt, got, tc.want)
				}
			})
		}
	})
	t.Run("Nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var idle, written countdown
			idle.add(1)
			start := time.Now()
			<-settled(0, 5, false, &idle, &written) // no round trip known
			<-settled(rtt, 0, false, &idle, &written)
			if got := time.Since(start); got != 0 {
				t.Errorf("waited %v without a round trip or without answers", got)
			}
		})
	})
}

// Ensure that only a batch of at most one update after a poll of at most
// one counts as one person's alone, and that the first batch does not.
func TestLone(t *testing.T) {
	for _, tc := range []struct {
		answers, before int
		want            bool
	}{
		{1, 1, true}, {1, 0, true}, {0, 1, true},
		{1, -1, false}, {2, 1, false}, {1, 2, false}, {100, 100, false},
	} {
		if got := lone(tc.answers, tc.before); got != tc.want {
			t.Errorf("lone(%d, %d) = %v, want %v", tc.answers, tc.before, got, tc.want)
		}
	}
}

// Ensure that a round trip the gate did not count seeds its estimate and
// then only moves it, and leaves the limits' smallest round trip alone;
// and that the client's getMe, the call before polling, seeds it with its
// round trip, so that the first poll settles.
func TestGate_Observe(t *testing.T) {
	g := newGate(29, time.Now)
	g.observe(120 * time.Millisecond)
	if got := g.roundTrip(); got != 120*time.Millisecond {
		t.Fatalf("round trip %v after the first observed, want 120ms", got)
	}
	g.observe(200 * time.Millisecond)
	if got, want := g.roundTrip(), 130*time.Millisecond; got != want {
		t.Errorf("round trip %v after a second, want %v (smoothed by an eighth)", got, want)
	}
	if g.minRTT != 0 || g.nRecent != 0 {
		t.Errorf("observed round trips went into the limits' credit: minRTT %v, %d recent", g.minRTT, g.nRecent)
	}

	c, srv, _ := newTestClient(t, nil)
	const latency = 40 * time.Millisecond
	srv.SetLatency(latency)
	if got := c.send.gate.roundTrip(); got != 0 {
		t.Fatalf("round trip %v before any request", got)
	}
	if err := c.connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.send.gate.roundTrip(); got < latency {
		t.Errorf("round trip %v after getMe, want at least the server's %v", got, latency)
	}
}
