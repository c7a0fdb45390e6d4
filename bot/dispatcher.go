package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"golang.org/x/time/rate"

	"github.com/daftar-bot/daftar/store"
)

// Dispatcher limits. Telegram allows about 30 messages a second in bulk
// and about one a second to one chat.
const (
	maxSendRate     = 30
	perChatInterval = 1050 * time.Millisecond // a little over 1 s: clocks differ
	maxAttempts     = 8                       // then an entry is failed
	dispatchWorkers = 16                      // sends in flight: enough to hide latency
)

// errSkip is returned by render when an entry is no longer meant to be sent.
var errSkip = errors.New("no longer applies")

// dispatcher sends the outbox: one instance per bot, resuming from the
// store after a restart. An entry is marked sent in the transaction that
// records its message id, so only the entry in flight at a crash can be
// sent twice.
type dispatcher struct {
	b       *Bot
	limiter *rate.Limiter
	kick    chan struct{}

	mu       sync.Mutex
	inFlight map[uint64]bool
	busy     map[int64]bool      // chats with an entry in flight
	lastSent map[int64]time.Time // per chat
	paused   time.Time           // a 429 stops everything until then
	// slot is held from the start of a send until its result is recorded:
	// normally one message at a time is on the wire or unrecorded, so a
	// crash repeats at most that one (DESIGN.md). A send that waits longer
	// than slowSend for the slot goes ahead anyway, so that one slow
	// answer does not hold everyone back.
	slot   chan struct{}
	window []time.Time // start times of the last perSecond sends
	perSec int
}

func newDispatcher(b *Bot, perSecond int) *dispatcher {
	if perSecond <= 0 || perSecond > maxSendRate {
		perSecond = 28
	}
	d := &dispatcher{
		b:        b,
		limiter:  rate.NewLimiter(rate.Limit(perSecond), 1),
		perSec:   perSecond,
		kick:     make(chan struct{}, 1),
		inFlight: map[uint64]bool{},
		busy:     map[int64]bool{},
		lastSent: map[int64]time.Time{},
	}
	d.slot = make(chan struct{}, 1)
	return d
}

// notify wakes the dispatcher after something was enqueued.
func (d *dispatcher) notify() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// run takes entries until ctx ends and sends them with sendCtx, so that a
// shutdown lets the sends in flight finish (sendCtx ends later).
func (d *dispatcher) run(ctx, sendCtx context.Context) {
	jobs := make(chan store.OutboxEntry)
	var wg sync.WaitGroup
	for range dispatchWorkers {
		wg.Go(func() {
			for e := range jobs {
				d.send(sendCtx, e)
				d.release(e)
			}
		})
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	for ctx.Err() == nil {
		now := time.Now()
		d.mu.Lock()
		skip := make(map[uint64]bool, len(d.inFlight))
		for id := range d.inFlight {
			skip[id] = true
		}
		d.mu.Unlock()
		entries, err := d.b.db.Queued(now, 512, skip)
		if err != nil {
			d.b.log.Error("read outbox", "err", err)
			sleep(ctx, time.Second)
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
func (d *dispatcher) idle(ctx context.Context, waiting bool) {
	wait := time.Minute
	if waiting {
		wait = 100 * time.Millisecond // entries wait for a chat: look again soon
	}
	if next, ok, err := d.b.db.NextDue(); err == nil && ok {
		wait = min(wait, max(time.Until(next), 10*time.Millisecond))
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
func (d *dispatcher) claim(e store.OutboxEntry, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[e.ChatID] || now.Sub(d.lastSent[e.ChatID]) < perChatInterval {
		return false
	}
	d.busy[e.ChatID], d.inFlight[e.ID] = true, true
	return true
}

func (d *dispatcher) release(e store.OutboxEntry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, e.ChatID)
	delete(d.inFlight, e.ID)
}

// waitTurn blocks until a 429 pause is over and the overall rate allows
// one more message. The token bucket spaces sends evenly; the window on
// top keeps a late goroutine from making more than perSecond sends start
// within one second, which is how Telegram counts. A wait for the window
// keeps the token: taking another would leave one unused every perSecond
// sends (29 of 30 at send_rate 29, BenchmarkDispatcher). After a 429
// pause the sends are spaced anew.
func (d *dispatcher) waitTurn(ctx context.Context) error {
	for token := false; ; {
		if !token {
			if err := d.limiter.Wait(ctx); err != nil {
				return err
			}
			token = true
		}
		now := time.Now()
		d.mu.Lock()
		wait := d.paused.Sub(now)
		if wait > 0 {
			token = false
		} else if len(d.window) == d.perSec {
			wait = d.window[0].Add(time.Second + 10*time.Millisecond).Sub(now)
		}
		if wait <= 0 {
			// A 429 that arrives while this send is on its way cannot be
			// helped; every later send sees the pause.
			if len(d.window) == d.perSec {
				d.window = d.window[1:]
			}
			d.window = append(d.window, now)
			d.mu.Unlock()
			return nil
		}
		d.mu.Unlock()
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

func (d *dispatcher) pause(retryAfter int) {
	until := time.Now().Add(time.Duration(max(retryAfter, 1)) * time.Second)
	d.mu.Lock()
	if until.After(d.paused) {
		d.paused = until
	}
	d.mu.Unlock()
}

// send delivers one entry and records the result. Messages and copies of
// announcements share the limits, the 429 pause, the retries and the 403
// handling: only the request differs (outgoing).
func (d *dispatcher) send(ctx context.Context, e store.OutboxEntry) {
	log := d.b.log.With("outbox_id", e.ID, "kind", e.Kind, "chat_id", e.ChatID)
	if e.Kind == store.KindAnnouncement {
		defer d.b.progress.notify()
	}
	out, err := d.b.prepare(e)
	if errors.Is(err, errSkip) {
		if err := d.b.db.MarkSkipped(e.ID, err.Error()); err != nil {
			log.Error("mark outbox skipped", "err", err)
		}
		return
	}
	if err != nil {
		log.Error("render outbox entry", "err", err)
		if err := d.b.db.MarkFailed(e.ID, "render: "+err.Error()); err != nil {
			log.Error("mark outbox failed", "err", err)
		}
		return
	}
	for {
		if err := d.waitTurn(ctx); err != nil {
			return // shutting down: stays queued
		}
		release, ok := d.takeSlot(ctx)
		if !ok {
			return // shutting down: stays queued
		}
		msgID, err := out.send(ctx, d.b.api)
		now := time.Now()
		d.mu.Lock()
		d.lastSent[e.ChatID] = now
		d.mu.Unlock()
		var tooMany *tgbot.TooManyRequestsError
		switch {
		case err == nil:
			if err := d.b.db.MarkSent(e.ID, msgID, now); err != nil {
				log.Error("mark outbox sent", "err", err)
			}
			release()
			return
		case ctx.Err() != nil:
			release()
			return // the request was cut: stays queued, sent again after restart
		case errors.As(err, &tooMany):
			release()
			log.Warn("telegram asks to slow down", "retry_after", tooMany.RetryAfter)
			d.pause(tooMany.RetryAfter)
			continue
		default:
			release() // nothing was delivered
		}
		switch {
		case errors.Is(err, tgbot.ErrorForbidden):
			if err := d.b.db.MarkUndeliverable(e.ID, reason(err), now); err != nil {
				log.Error("mark outbox undeliverable", "err", err)
			}
			return
		case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound):
			log.Warn("outbox entry refused", "err", reason(err))
			if err := d.b.db.MarkFailed(e.ID, reason(err)); err != nil {
				log.Error("mark outbox failed", "err", err)
			}
			return
		}
		// Server errors, timeouts, connection errors: back off and retry,
		// up to a limit, without holding a worker.
		if e.Attempts+1 >= maxAttempts {
			log.Warn("outbox entry failed after retries", "attempts", e.Attempts+1)
			if err := d.b.db.MarkFailed(e.ID, reason(err)); err != nil {
				log.Error("mark outbox failed", "err", err)
			}
			return
		}
		next := now.Add(backoff(e.Attempts+3, 5*time.Minute))
		if err := d.b.db.MarkRetry(e.ID, next, reason(err), true); err != nil {
			log.Error("mark outbox retry", "err", err)
		}
		return
	}
}

// slowSend is how long a send waits for the previous one to be recorded
// before it goes ahead anyway.
const slowSend = time.Second

// takeSlot waits for the send slot (see dispatcher.slot), at most
// slowSend; the returned func gives it back (a no-op when the wait timed
// out). ok is false when ctx ended.
func (d *dispatcher) takeSlot(ctx context.Context) (release func(), ok bool) {
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

// reason is what an organiser reads about a failure: Telegram's
// description without the library's prefixes.
func reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ", "); i >= 0 && strings.Contains(s[:i], "error") {
		s = s[i+2:]
	}
	return s
}

// outgoing is an outbox entry ready to go: a message rendered from its
// data, or a copy of an organiser's message.
type outgoing struct {
	message *tgbot.SendMessageParams
	copy    *tgbot.CopyMessageParams
}

// send makes the request and returns the id of the message it created.
func (o outgoing) send(ctx context.Context, api *tgbot.Bot) (int, error) {
	if o.copy != nil {
		id, err := api.CopyMessage(ctx, o.copy)
		if err != nil {
			return 0, err
		}
		return id.ID, nil
	}
	msg, err := api.SendMessage(ctx, o.message)
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// prepare turns an entry into its request: an announcement is copied
// from the organiser's chat (copyMessage keeps media and formatting), the
// rest is rendered.
func (b *Bot) prepare(e store.OutboxEntry) (outgoing, error) {
	if e.Kind != store.KindAnnouncement {
		params, err := b.render(e)
		return outgoing{message: params}, err
	}
	from, err1 := strconv.ParseInt(e.Data["from_chat"], 10, 64)
	msg, err2 := strconv.Atoi(e.Data["message_id"])
	if err1 != nil || err2 != nil || from == 0 || msg <= 0 {
		return outgoing{}, fmt.Errorf("announcement %s: bad source %q/%q", e.Data["announcement"], e.Data["from_chat"], e.Data["message_id"])
	}
	return outgoing{copy: &tgbot.CopyMessageParams{ChatID: e.ChatID, FromChatID: from, MessageID: msg}}, nil
}

// render turns an entry into the message to send, in the recipient's
// language at this moment.
func (b *Bot) render(e store.OutboxEntry) (*tgbot.SendMessageParams, error) {
	var r reply
	err := b.db.View(func(tx *store.Tx) error {
		lang := b.course.Language
		if c, ok, err := tx.Conversation(e.UserID); err == nil && ok && c.Lang != "" {
			lang = c.Lang
		}
		m := messages(lang)
		switch e.Kind {
		case store.KindReminder:
			bt, ok := b.course.Batch(e.Data["batch"])
			if !ok {
				return fmt.Errorf("unknown batch %q", e.Data["batch"])
			}
			p, err := tx.Participant(bt.ID, e.UserID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && p.Status != store.StatusRegistered) {
				return errSkip
			}
			if err != nil {
				return err
			}
			day, err := strconv.Atoi(e.Data["day"])
			if err != nil || day < 1 || day > bt.Days {
				return fmt.Errorf("reminder day %q", e.Data["day"])
			}
			r.Text = b.reminderText(m, bt, day, e.Data["slot"])
		case store.KindOffer, store.KindNotice:
			var err error
			r, err = b.renderWaitlist(tx, m, e)
			return err
		default:
			return fmt.Errorf("unknown outbox kind %q", e.Kind)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &tgbot.SendMessageParams{
		ChatID:             e.ChatID,
		Text:               r.Text,
		ParseMode:          models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
		ReplyMarkup:        markup(r),
	}, nil
}

// reminderText says which day of how many, the date, hours, venue, what to
// bring; on the last day that it is the last; on the evening before the
// first what to do when one cannot come.
func (b *Bot) reminderText(m *Messages, bt store.Batch, day int, slot string) string {
	head := m.ReminderMorning
	if slot == "evening" {
		head = m.ReminderEvening
	}
	parts := []string{
		fmt.Sprintf(head, esc(b.course.Title)),
		fmt.Sprintf(m.ReminderBody, day, bt.Days, m.date(bt.Day(day)), hours(bt), esc(b.course.Venue)),
	}
	if b.course.Bring != "" {
		parts = append(parts, fmt.Sprintf(m.ReminderBring, esc(b.course.Bring)))
	}
	if day == bt.Days && bt.Days > 1 {
		parts = append(parts, m.ReminderLastDay)
	}
	if day == 1 && slot == "evening" {
		parts = append(parts, m.ReminderFirstEvening)
	}
	return strings.Join(parts, "\n")
}
