package telegram

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Dispatcher limits. Telegram allows about one message a second to one
// chat.
const (
	perChatInterval = 1050 * time.Millisecond // a little over 1 s: clocks differ
	maxAttempts     = 8                       // then an entry is failed
	dispatchWorkers = 16                      // sends in flight: enough to hide latency
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
// resuming from the store after a restart. An entry is marked sent in the
// transaction that records its message id, so only the entry in flight at
// a crash can be sent twice.
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
	busy     map[int64]bool      // chats with an entry in flight
	lastSent map[int64]time.Time // per chat
	// slot is held from the start of a send until its result is recorded:
	// normally one message at a time is on the wire or unrecorded, so a
	// crash repeats at most that one. A send that waits longer than
	// slowSend for the slot goes ahead anyway, so that one slow answer
	// does not hold everyone back.
	slot chan struct{}
}

// NewDispatcher returns a Dispatcher sending db's outbox through s, each
// entry as render makes it. finished, when not nil, is called after an
// entry's outcome is recorded (sent, retried, failed or skipped). now is
// the wall clock that paces the sends.
func NewDispatcher(db *store.DB, s *Sender, render Render, finished func(store.OutboxEntry), log *slog.Logger, now func() time.Time) *Dispatcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{
		db: db, send: s, render: render, finished: finished, log: log, now: now,
		kick:     make(chan struct{}, 1),
		inFlight: map[uint64]bool{},
		busy:     map[int64]bool{},
		lastSent: map[int64]time.Time{},
		slot:     make(chan struct{}, 1),
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
	jobs := make(chan store.OutboxEntry)
	var wg sync.WaitGroup
	for range dispatchWorkers {
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
			if !d.claim(e, now) {
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

// claim reserves e's chat unless an entry for it is in flight or was sent
// less than a second ago.
func (d *Dispatcher) claim(e store.OutboxEntry, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[e.ChatID] || now.Sub(d.lastSent[e.ChatID]) < perChatInterval {
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
	for {
		if err := d.send.waitTurn(ctx); err != nil {
			return // shutting down: stays queued
		}
		release, ok := d.takeSlot(ctx)
		if !ok {
			return // shutting down: stays queued
		}
		msgID, err := d.send.send(ctx, e.ChatID, out)
		now := d.now()
		d.mu.Lock()
		d.lastSent[e.ChatID] = now
		d.mu.Unlock()
		retryAfter, tooMany := RetryAfter(err)
		switch {
		case err == nil:
			if err := d.db.MarkSent(e.ID, msgID, now); err != nil {
				log.Error("mark outbox sent", "err", err)
			}
			release()
			return
		case ctx.Err() != nil:
			release()
			return // the request was cut: stays queued, sent again after restart
		case tooMany:
			release()
			// The Sender paused bulk sending: waitTurn waits it out.
			log.Warn("telegram asks to slow down", "retry_after", int(retryAfter/time.Second))
			continue
		default:
			release() // nothing was delivered
		}
		switch {
		case errors.Is(err, ErrForbidden):
			if err := d.db.MarkUndeliverable(e.ID, Reason(err), now); err != nil {
				log.Error("mark outbox undeliverable", "err", err)
			}
			return
		case errors.Is(err, ErrBadRequest), errors.Is(err, ErrNotFound):
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

// slowSend is how long a send waits for the previous one to be recorded
// before it goes ahead anyway.
const slowSend = time.Second

// takeSlot waits for the send slot (see Dispatcher.slot), at most
// slowSend; the returned func gives it back (a no-op when the wait timed
// out). ok is false when ctx ended.
func (d *Dispatcher) takeSlot(ctx context.Context) (release func(), ok bool) {
	t := time.NewTimer(slowSend)
	defer t.Stop()
	select {
	case d.slot <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-d.slot }) }, true
	case <-t.C:
		return func() {}, true
	case <-ctx.Done():
		return nil, false
	}
}
