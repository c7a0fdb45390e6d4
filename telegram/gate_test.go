package telegram

import (
	"context"
	"testing"
	"time"
)

// clock is a settable clock for the gate.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// waitFor is how long a request of class c to chat would wait at the
// clock's time, and whether for a request to its chat to end.
func waitFor(g *gate, c class, chat int64) (time.Duration, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waitLocked(c, chat, g.now())
}

// Ensure that the gate keeps each of Telegram's limits from what it sees:
// a chat's next bulk message a second after the previous answer, at most
// 20 a minute to a group, the overall rate shared with replies (which go
// first), and a 429 holding every request.
func TestGate_Limits(t *testing.T) {
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	ctx := context.Background()
	t.Run("Chat", func(t *testing.T) {
		clk := &clock{start}
		g := newGate(29, clk.now)
		done, _ := g.acquire(ctx, classBulk, 7)
		if _, onChange := waitFor(g, classBulk, 7); !onChange {
			t.Error("a second bulk send to a chat may start while the first is in flight")
		}
		if wait, onChange := waitFor(g, classReply, 7); wait > 0 || onChange {
			t.Error("a reply waits for a bulk send to its chat")
		}
		clk.t = clk.t.Add(300 * time.Millisecond) // the answer's way back
		done()
		if wait, _ := waitFor(g, classBulk, 7); wait != chatGap {
			t.Errorf("the next bulk send to the chat waits %v, want %v after the answer", wait, chatGap)
		}
		if g.ready(7) || !g.ready(8) {
			t.Error("ready does not follow the chat's gap")
		}
	})
	t.Run("Group", func(t *testing.T) {
		clk := &clock{start}
		g := newGate(29, clk.now)
		for range groupPerMinute {
			done, err := g.acquire(ctx, classReply, -100)
			if err != nil {
				t.Fatal(err)
			}
			done()
			clk.t = clk.t.Add(time.Second)
		}
		wait, _ := waitFor(g, classReply, -100)
		if want := start.Add(groupWindow).Sub(clk.t); wait != want {
			t.Errorf("the 21st message to a group waits %v, want %v", wait, want)
		}
		if wait, _ := waitFor(g, classReply, -200); wait > 0 {
			t.Errorf("another group waits %v", wait)
		}
	})
	t.Run("Overall", func(t *testing.T) {
		clk := &clock{start}
		g := newGate(5, clk.now)
		for range 5 { // replies use the whole budget, at once
			done, _ := g.acquire(ctx, classReply, 1)
			done()
		}
		if wait, _ := waitFor(g, classReply, 2); wait > 0 {
			t.Errorf("a reply waits %v for the overall rate", wait)
		}
		if wait, _ := waitFor(g, classBulk, 3); wait < window-time.Millisecond {
			t.Errorf("bulk waits %v after replies used the second's budget, want about %v", wait, window)
		}
		clk.t = clk.t.Add(window)
		if wait, _ := waitFor(g, classBulk, 3); wait > 0 {
			t.Errorf("bulk waits %v once the replies are a second old", wait)
		}
		done, _ := g.acquire(ctx, classBulk, 3)
		done()
		if turn := g.limiter.ReserveN(clk.t, 1).DelayFrom(clk.t); turn < 190*time.Millisecond {
			t.Errorf("the next bulk send's turn is in %v, want them spaced by 1/5 s", turn)
		}
	})
	t.Run("Late", func(t *testing.T) {
		// A request not answered a second after its start may not have
		// arrived: it still counts.
		clk := &clock{start}
		g := newGate(2, clk.now)
		slow, _ := g.acquire(ctx, classBulk, 1)
		clk.t = clk.t.Add(100 * time.Millisecond)
		done, _ := g.acquire(ctx, classBulk, 2)
		done()
		clk.t = start.Add(window + 50*time.Millisecond) // the slow one's window is over, not the other's
		if wait, _ := waitFor(g, classBulk, 3); wait <= 0 {
			t.Error("bulk may start while a request a window old is unanswered and the rate is used")
		}
		slow() // it may have arrived just now: it counts on, until the other's window ends
		if wait, _ := waitFor(g, classBulk, 3); wait != 50*time.Millisecond {
			t.Errorf("bulk waits %v once the late request was answered, want 50ms (the other's window)", wait)
		}
		clk.t = clk.t.Add(window)
		if wait, _ := waitFor(g, classBulk, 3); wait > 0 {
			t.Errorf("bulk waits %v a window after the late answer", wait)
		}
	})
	t.Run("Jitter", func(t *testing.T) {
		// With the same round trip for every request, a request counts a
		// window from its start. One answered later than the smallest
		// round trip may have arrived that much later: it counts so much
		// longer, or it could arrive bunched with the next ones.
		clk := &clock{start}
		g := newGate(1, clk.now)
		fast, _ := g.acquire(ctx, classBulk, 1)
		clk.t = clk.t.Add(150 * time.Millisecond)
		fast()
		if wait, _ := waitFor(g, classBulk, 2); wait != window-150*time.Millisecond {
			t.Errorf("after a steady round trip bulk waits %v, want %v (a window from the start)", wait, window-150*time.Millisecond)
		}
		clk.t = start.Add(2 * window)
		slow, _ := g.acquire(ctx, classBulk, 3)
		clk.t = clk.t.Add(400 * time.Millisecond) // 250 ms more than the smallest round trip
		slow()
		if wait, _ := waitFor(g, classBulk, 4); wait != window-150*time.Millisecond {
			t.Errorf("after a slow answer bulk waits %v, want %v (a window from its answer less 150 ms)", wait, window-150*time.Millisecond)
		}
	})
	t.Run("Written", func(t *testing.T) {
		// A request that waited in this process after the gate's yes (its
		// body encoded, a connection dialled, its goroutine without a core)
		// leaves when it is written: it counts from then, or it would arrive
		// bunched with the ones after it.
		clk := &clock{start}
		g := newGate(2, clk.now)
		wrote, slow, _ := g.acquireWritten(ctx, classBulk, 1)
		clk.t = clk.t.Add(100 * time.Millisecond)
		done, _ := g.acquire(ctx, classBulk, 2)
		done()
		clk.t = start.Add(300 * time.Millisecond)
		wrote()
		slow()
		clk.t = start.Add(window + 50*time.Millisecond) // a window after the first's yes, not after its write
		if wait, _ := waitFor(g, classBulk, 3); wait <= 0 {
			t.Error("bulk may start while a request written 0.76 s ago and another use the rate")
		}
		clk.t = start.Add(300*time.Millisecond + window)
		if wait, _ := waitFor(g, classBulk, 3); wait > 0 {
			t.Errorf("bulk waits %v a window after the write", wait)
		}
	})
	t.Run("Forgets", func(t *testing.T) {
		// Replies alone never ask the overall rate, and what the gate
		// keeps of them must not grow with their number.
		clk := &clock{start}
		g := newGate(29, clk.now)
		for range 10_000 {
			done, _ := g.acquire(ctx, classReply, 1)
			clk.t = clk.t.Add(time.Millisecond)
			done()
		}
		if n := len(g.until); n > int(window/time.Millisecond)+1 {
			t.Errorf("the gate keeps %d answers after 10,000 replies over 10 s, want at most a window's", n)
		}
	})
	t.Run("Pause", func(t *testing.T) {
		clk := &clock{start}
		g := newGate(29, clk.now)
		g.pause(3)
		for _, c := range []class{classReply, classBulk} {
			if wait, _ := waitFor(g, c, 5); wait != 3*time.Second {
				t.Errorf("class %d waits %v after a 429 with retry_after 3, want 3 s", c, wait)
			}
		}
		if done, err := g.acquire(ctx, classReply, 0); err != nil {
			t.Error("answerCallbackQuery waits for the pause")
		} else {
			done()
		}
	})
}
