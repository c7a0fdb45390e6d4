package telegram

import (
	"context"
	"net/http/httptrace"
	"sync"
	"time"
)

// How long the next getUpdates waits for the answers to the batch before
// it (Client.settle), as parts of the round trip of the bot's requests:
// waiting pays while it is small beside the round trip it can save.
const (
	settleMax    = 100 * time.Millisecond
	settlePart   = 2  // at most half a round trip for the handlers
	settleLinger = 16 // and a sixteenth once the answers are on the wire
)

// settle holds the next getUpdates back a moment, so that it leaves after
// the replies to the batch before it rather than ahead of them. A long
// poll is answered as soon as one update is there: sent ahead of the
// replies, it arrives first, is answered with the first person's answer
// to them alone, and everybody who answers a moment later waits a whole
// round trip for the poll after. So settle waits until the handlers of
// the batch's updates that found their chats idle have run and the first
// request of each of their answers has been written to the network.
//
// An update behind its chat's earlier ones (a chat that writes fast, or
// floods) is not waited for, and the whole wait is at most half the
// round trip and settleMax: on loopback next to nothing, over 150 ms at
// most 75 ms. A batch of 100 updates takes the bot 16–72 ms until its
// last reply is on the wire; a poll leaving before that makes everybody
// answered after it wait a whole round trip more, while what the wait
// costs an update that comes meanwhile is at most half of one.
//
// Once the answers are out, the poll lingers a sixteenth of a round trip
// more, for Telegram to take them in and for quick answers to the last of
// them to arrive: a poll that comes while some updates are there is
// answered with them at once, and whoever answers a moment later waits a
// whole round trip for the next. One person alone (lone) needs no
// linger: nothing else is there, the poll arrives before the person can
// answer and waits for them at the server, so lingering would only delay
// their next step.
func (c *Client) settle(ctx context.Context, answers int, lone bool) {
	settleFor(ctx, c.send.gate.roundTrip(), answers, lone, c.queues.idleRun, c.unwritten.zero)
}

// settleFor is settle with the round trip and the signals given: idle
// tells when the batch's handlers have run, written when their answers'
// first requests are on the wire; lone when the batch is one update after
// a poll that brought at most one too (no linger).
func settleFor(ctx context.Context, rtt time.Duration, answers int, lone bool, idle, written func() <-chan struct{}) {
	budget := min(settleMax, rtt/settlePart)
	if budget <= 0 || answers <= 0 {
		return
	}
	t := time.NewTimer(budget)
	defer t.Stop()
	for _, ch := range []func() <-chan struct{}{idle, written} {
		select {
		case <-ch():
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
	if lone {
		return
	}
	linger := time.NewTimer(rtt / settleLinger)
	defer linger.Stop()
	select {
	case <-linger.C:
	case <-t.C:
	case <-ctx.Done():
	}
}

// lone reports whether a batch of answers updates, after a poll that
// brought before (-1: none yet), is one person's alone: at most one
// update in both. Several at once are people answering together, and the
// poll then lingers for those a moment behind; at start-up nothing is
// known, and it lingers too.
func lone(answers, before int) bool { return answers <= 1 && before >= 0 && before <= 1 }

// countdown counts things not over yet and tells when none is left.
type countdown struct {
	mu   sync.Mutex
	n    int
	none chan struct{} // closed when n drops to 0; nil when nobody waits
}

func (c *countdown) add(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n += n; c.n <= 0 && c.none != nil {
		close(c.none)
		c.none = nil
	}
}

// zero returns a channel closed once the count is 0.
func (c *countdown) zero() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.none == nil {
		c.none = make(chan struct{})
		if c.n <= 0 {
			close(c.none)
			ch := c.none
			c.none = nil
			return ch
		}
	}
	return c.none
}

// written returns ctx carrying a hook that calls once when a request made
// with it has been written to the network.
func written(ctx context.Context, once func()) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { once() },
	})
}
