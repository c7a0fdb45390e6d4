package telegram

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Dispatcher limits.
const (
	maxAttempts = 8 // then an entry is failed
	// MaxInFlight is how many outbox entries are being sent at once: enough
	// for send_rate × round trip (30 × 150 ms ≈ 5) with room for slower
	// networks. Each is marked as being sent before its request leaves, so
	// a crash repeats at most this many messages.
	MaxInFlight = 16
)

// ErrSkip is returned by a Render function when an entry is no longer
// meant to be sent (the person cancelled, the offer ended): the entry is
// marked skipped.
var ErrSkip = errors.New("no longer applies")

// Render turns an outbox entry into what to send, at the moment it is
// sent (in the recipient's language then). It returns ErrSkip for an entry
// that no longer applies; any other error fails the entry.
type Render func(e store.OutboxEntry) (Outgoing, error)

// Dispatcher sends the outbox through the Sender: one instance per bot,
// resuming from the store after a restart. Up to MaxInFlight entries are
// sent at once, each to another chat, within the Sender's limits. An
// entry is marked as being sent, durably, before its request leaves and
// marked sent in the transaction that records its message id; a text
// split into several messages records each part, so that a resend goes
// on from the first part Telegram did not take. Only the entries marked
// as being sent at a crash can arrive twice.
type Dispatcher struct {
	db       *store.DB
	send     *Sender
	render   Render
	finished func(store.OutboxEntry)
	log      *slog.Logger
	now      func() time.Time
	kick     chan struct{}

	mu       sync.Mutex
	inFlight map[uint64]bool
	busy     map[int64]bool // chats with an entry in flight
}

// NewDispatcher returns a Dispatcher sending db's outbox through s, each
// entry as render makes it. finished, when not nil, is called after an
// entry's outcome is recorded (sent, retried, failed or skipped). now is
// the bot's clock: what is due, and the times recorded, follow it (the
// demo's clock with -now); the Sender paces on the machine's.
func NewDispatcher(db *store.DB, s *Sender, render Render, finished func(store.OutboxEntry), log *slog.Logger, now func() time.Time) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{
		db: db, send: s, render: render, finished: finished, log: log, now: now,
		kick:     make(chan struct{}, 1),
		inFlight: map[uint64]bool{},
		busy:     map[int64]bool{},
	}
}

// Notify wakes the dispatcher after something was enqueued.
func (d *Dispatcher) Notify() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run takes entries until ctx ends and sends them with sendCtx, so that a
// shutdown lets the sends in flight finish (sendCtx ends later).
func (d *Dispatcher) Run(ctx, sendCtx context.Context) {
	if n, err := d.db.InFlight(); err == nil && n > 0 {
		d.log.Warn("outbox messages were being sent when the bot stopped: sending them again, they may arrive twice", "count", n)
	}
	jobs := make(chan store.OutboxEntry)
	var wg sync.WaitGroup
	for range MaxInFlight {
		wg.Go(func() {
			for e := range jobs {
				d.dispatch(sendCtx, e)
				d.release(e)
			}
		})
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	for ctx.Err() == nil {
		now := d.now()
		d.mu.Lock()
		skip := make(map[uint64]bool, len(d.inFlight))
		for id := range d.inFlight {
			skip[id] = true
		}
		d.mu.Unlock()
		entries, err := d.db.Queued(now, 512, skip)
		if err != nil {
			d.log.Error("read outbox", "err", err)
			Sleep(ctx, time.Second)
			continue
		}
		fed := 0
		for _, e := range entries {
			if !d.claim(e) {
				continue
			}
			select {
			case jobs <- e:
				fed++
			case <-ctx.Done():
				d.release(e)
				return
			}
		}
		if fed > 0 {
			continue
		}
		d.idle(ctx, len(entries) > 0)
	}
}

// idle waits for new work: a kick, the next due entry, or a chat's pause
// ending.
func (d *Dispatcher) idle(ctx context.Context, waiting bool) {
	wait := time.Minute
	if waiting {
		wait = 100 * time.Millisecond // entries wait for a chat: look again soon
	}
	if next, ok, err := d.db.NextDue(); err == nil && ok {
		wait = min(wait, max(next.Sub(d.now()), 10*time.Millisecond))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-d.kick:
	case <-t.C:
	}
}

// claim reserves e's chat unless an entry for it is in flight or the
// chat's limits would hold a send now.
func (d *Dispatcher) claim(e store.OutboxEntry) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[e.ChatID] || !d.send.gate.ready(e.ChatID) {
		return false
	}
	d.busy[e.ChatID], d.inFlight[e.ID] = true, true
	return true
}

func (d *Dispatcher) release(e store.OutboxEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, e.ChatID)
	delete(d.inFlight, e.ID)
}

// dispatch delivers one entry and records the result. Messages and copies
// share the limits, the 429 pause, the retries and the 403 handling: only
// the request differs (Outgoing).
func (d *Dispatcher) dispatch(ctx context.Context, e store.OutboxEntry) {
	log := d.log.With("outbox_id", e.ID, "kind", e.Kind, "chat_id", e.ChatID)
	if d.finished != nil {
		defer d.finished(e)
	}
	out, err := d.render(e)
	if errors.Is(err, ErrSkip) {
		if err := d.db.MarkSkipped(e.ID, err.Error()); err != nil {
			log.Error("mark outbox skipped", "err", err)
		}
		return
	}
	if err != nil {
		log.Error("render outbox entry", "err", err)
		if err := d.db.MarkFailed(e.ID, "render: "+err.Error()); err != nil {
			log.Error("mark outbox failed", "err", err)
		}
		return
	}
	parts := out.Parts()
	if err := d.db.MarkSending(e.ID, d.now()); err != nil {
		log.Error("mark outbox sending", "err", err)
		return // stays queued
	}
	for part := min(e.PartsSent, parts-1); ; {
		msgID, err := d.send.sendBulk(ctx, e.ChatID, out, part)
		now := d.now()
		retryAfter, tooMany := RetryAfter(err)
		switch {
		case err == nil && part+1 < parts:
			part++
			if err := d.db.MarkPartSent(e.ID, part, now); err != nil {
				log.Error("mark outbox part sent", "err", err)
				return
			}
			continue
		case err == nil:
			if err := d.db.MarkSent(e.ID, msgID, now); err != nil {
				log.Error("mark outbox sent", "err", err)
			}
			return
		case ctx.Err() != nil:
			return // the request was cut: stays queued, sent again after restart
		case tooMany:
			// The Sender paused every request: the gate waits it out.
			log.Warn("telegram asks to slow down", "retry_after", int(retryAfter/time.Second))
			continue
		}
		switch {
		case errors.Is(err, ErrForbidden):
			if err := d.db.MarkUndeliverable(e.ID, Reason(err), now); err != nil {
				log.Error("mark outbox undeliverable", "err", err)
			}
			return
		case Refused(err):
			log.Warn("outbox entry refused", "err", Reason(err))
			if err := d.db.MarkFailed(e.ID, Reason(err)); err != nil {
				log.Error("mark outbox failed", "err", err)
			}
			return
		}
		// Server errors, timeouts, connection errors: back off and retry,
		// up to a limit, without holding a worker.
		if e.Attempts+1 >= maxAttempts {
			log.Warn("outbox entry failed after retries", "attempts", e.Attempts+1)
			if err := d.db.MarkFailed(e.ID, Reason(err)); err != nil {
				log.Error("mark outbox failed", "err", err)
			}
			return
		}
		next := now.Add(backoff(e.Attempts+3, 5*time.Minute))
		if err := d.db.MarkRetry(e.ID, next, Reason(err), true); err != nil {
			log.Error("mark outbox retry", "err", err)
		}
		return
	}
}
