package telegram

import (
	"context"
	"net/http/httptrace"
	"sync"
	"time"
)

// How long the next getUpdates waits for the answers to the batch before
// it (Client.settle), as parts of the round trip of the bot's requests:
// waiting pays only while it is small beside the round trip it can save.
const (
	settleMax    = 50 * time.Millisecond
	settlePart   = 4  // at most a quarter of a round trip for the handlers
	settleLinger = 16 // and a sixteenth once the answers are on the wire
)

// settle holds the next getUpdates back a moment, so that it leaves after
// the replies to the batch before it rather than ahead of them. A long
// poll is answered as soon as one update is there: sent ahead of the
// replies, it arrives first, is answered with the first person's answer
// to them alone, and everybody who answers a moment later waits a whole
// round trip for the poll after. So settle waits until the handlers of
// the updates queued for idle chats have run and the first request of
// each of their answers has been written to the network, and then a
// sixteenth of a round trip more, for Telegram to take them in and for
// quick answers to arrive. An update behind its chat's earlier ones (a
// chat that writes fast) is not waited for, and the whole wait is at
// most a quarter of the round trip and settleMax: on loopback it is next
// to nothing, over 150 ms at most 37 ms, and what it costs an update that
// comes meanwhile is that wait, beside the round trip it saves the others.
func (c *Client) settle(ctx context.Context) {
	rtt := c.send.gate.roundTrip()
	budget := min(settleMax, rtt/settlePart)
	if budget <= 0 {
		return
	}
	t := time.NewTimer(budget)
	defer t.Stop()
	for _, ch := range []func() <-chan struct{}{c.queues.idleRun, c.unwritten.zero} {
		select {
		case <-ch():
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
	linger := time.NewTimer(rtt / settleLinger)
	defer linger.Stop()
	select {
	case <-linger.C:
	case <-t.C:
	case <-ctx.Done():
	}
}

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
