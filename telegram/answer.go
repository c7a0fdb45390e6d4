package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Answer is what the handling of an update sends back to its chat: the
// replies recorded with its state change, in order, and for a pressed
// button the answer to the press (a toast, or none) and the message whose
// buttons are to be cleared. An organiser's answer may also edit a message
// (the pressed one's new text and buttons), copy one into the chat first
// (a preview) and go on with work of its own once the rest has gone out
// (a document to make and send).
type Answer struct {
	Chat       int64
	Replies    []store.Reply
	CallbackID string // the pressed button's query; "" when none
	Toast      string
	Clear      int // the message whose inline keyboard goes; 0 when none

	Edit     int      // the message to edit into EditTo, before the rest; 0 when none
	EditTo   Message  // not durable: the next press renders it again
	CopyFrom [2]int64 // chat and message to copy into Chat after the edit, before the replies; zero for none
	// Then, when set, runs in the chat's turn after the replies were
	// sent, with the context of the sends.
	Then func(ctx context.Context)
}

// Answer sends a after the earlier answers to its chat, without the
// caller waiting for the network: a handler gives its chat's turn to the
// next update at once. The first reply is the first request on the wire;
// the answer to the button press and the clearing of old buttons go when
// it has arrived, alongside the rest, never before it. The update counts
// as handled (Service.OnHandled) once all of it is done.
func (c *Client) Answer(ctx context.Context, a Answer) {
	t, _ := ctx.Value(trackerKey{}).(*tracker)
	if c.out == nil {
		t = nil // not running (a test's direct call): sent right here
	}
	// The next poll waits a moment for the first request (settle).
	mark := func() {}
	if t != nil {
		t.Add(1)
		c.unwritten.add(1)
		var once sync.Once
		mark = func() { once.Do(func() { c.unwritten.add(-1) }) }
	}
	// The side requests of a chat's answers keep their order too: those
	// of the previous answer go first.
	prev, mine := c.sideTurn(a.Chat)
	send := func(ctx context.Context) {
		var side sync.WaitGroup
		pressed := func() {
			if a.CallbackID == "" && a.Clear == 0 {
				return
			}
			side.Go(func() {
				select {
				case <-prev:
				case <-ctx.Done():
				}
				c.yieldToReplies(ctx)
				var both sync.WaitGroup
				if a.CallbackID != "" {
					both.Go(func() {
						if err := c.send.AnswerCallback(ctx, a.CallbackID, a.Toast); err != nil {
							c.log.Debug("answer callback query", "err", err)
						}
					})
				}
				if a.Clear != 0 {
					both.Go(func() {
						if err := c.send.ClearButtons(ctx, a.Chat, a.Clear); err != nil {
							c.log.Debug("clear buttons", "chat_id", a.Chat, "err", err)
						}
					})
				}
				both.Wait()
			})
		}
		// A reply is forgotten alongside the chat's next requests: the
		// commit need not hold them up.
		forget := func(id uint64) { side.Go(func() { c.forget(id) }) }
		// The first request is the one the person waits for; the press
		// is answered once it is out.
		first := true
		request := func(do func(ctx context.Context)) {
			if !first {
				do(ctx)
				return
			}
			first = false
			do(written(ctx, mark))
			mark()
			pressed()
		}
		if a.Edit != 0 {
			request(func(ctx context.Context) {
				if err := c.send.Edit(ctx, a.Chat, a.Edit, a.EditTo); err != nil {
					c.log.Warn("edit message", "chat_id", a.Chat, "err", err)
				}
			})
		}
		if a.CopyFrom[1] != 0 {
			request(func(ctx context.Context) {
				if _, err := c.send.Copy(ctx, a.Chat, a.CopyFrom[0], int(a.CopyFrom[1])); err != nil {
					c.log.Warn("copy message", "chat_id", a.Chat, "err", err)
				}
			})
		}
		for _, r := range a.Replies {
			request(func(ctx context.Context) { c.deliver(ctx, r, forget) })
		}
		if first {
			mark()
			pressed()
		}
		if a.Then != nil {
			a.Then(ctx)
		}
		over := func() {
			side.Wait()
			select { // mine ends after every earlier answer's
			case <-prev:
			case <-ctx.Done():
			}
			c.sideDone(a.Chat, mine)
		}
		if t == nil {
			over()
			return
		}
		// The chat's next answer need not wait for the side requests;
		// the update is done when they are.
		go func() { over(); t.Done() }()
	}
	if c.out == nil {
		send(ctx)
		return
	}
	if c.out.post(a.Chat, send) {
		// Behind the chat's earlier answers: the next poll does not wait
		// for it (a chat that writes fast would hold up every poll).
		mark()
	}
}

// yieldToReplies waits until the first request of every answer being
// handed over is on the wire, at most sideYield: acknowledging a press and
// clearing old buttons cost the CPU and the connections that the replies
// other people wait for need, and nobody waits for them. A burst of
// answers (a getUpdates batch handled at once) thus goes out first, then
// its side requests.
func (c *Client) yieldToReplies(ctx context.Context) {
	t := time.NewTimer(sideYield)
	defer t.Stop()
	select {
	case <-c.unwritten.zero():
	case <-t.C:
	case <-ctx.Done():
	}
}

// sideYield bounds how long side requests give way to other chats'
// replies (yieldToReplies), so that a bot that is never idle still
// answers presses.
const sideYield = 50 * time.Millisecond

// sideTurn returns the channel closed when the side requests of chat's
// previous answer are done, and the one to close when this answer's are.
func (c *Client) sideTurn(chat int64) (prev <-chan struct{}, mine chan struct{}) {
	c.sideMu.Lock()
	defer c.sideMu.Unlock()
	if c.sides == nil {
		c.sides = map[int64]chan struct{}{}
	}
	mine = make(chan struct{})
	prev = c.sides[chat]
	if prev == nil {
		done := make(chan struct{})
		close(done)
		prev = done
	}
	c.sides[chat] = mine
	return prev, mine
}

func (c *Client) sideDone(chat int64, mine chan struct{}) {
	close(mine)
	c.sideMu.Lock()
	defer c.sideMu.Unlock()
	if c.sides[chat] == mine {
		delete(c.sides, chat)
	}
}

// tracker counts the work an update's handling left running, so that the
// update counts as handled when it is done.
type tracker struct{ sync.WaitGroup }

type trackerKey struct{}

// chatOut sends what is posted for a chat in order, chats independently:
// the network waits of one chat hold nothing of another's.
type chatOut struct {
	ctx context.Context

	mu      sync.Mutex
	pending map[int64][]func(context.Context)
	wg      sync.WaitGroup
}

func newChatOut(ctx context.Context) *chatOut {
	return &chatOut{ctx: ctx, pending: map[int64][]func(context.Context){}}
}

// post queues f behind what was posted for chat before; it reports
// whether anything was (f waits for it).
func (o *chatOut) post(chat int64, f func(context.Context)) (behind bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, busy := o.pending[chat]
	o.pending[chat] = append(o.pending[chat], f)
	if !busy {
		o.wg.Add(1)
		go o.drain(chat)
	}
	return busy
}

func (o *chatOut) drain(chat int64) {
	defer o.wg.Done()
	for {
		o.mu.Lock()
		fs := o.pending[chat]
		if len(fs) == 0 {
			delete(o.pending, chat)
			o.mu.Unlock()
			return
		}
		f := fs[0]
		o.pending[chat] = fs[1:]
		o.mu.Unlock()
		f(o.ctx)
	}
}

// wait returns when nothing posted is left.
func (o *chatOut) wait() { o.wg.Wait() }
