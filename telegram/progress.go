package telegram

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// progressEvery is the least time between two edits of one progress
// message while its copies go out; the final report goes the moment the
// last copy is settled. Telegram counts an edit like a message, within the
// same send_rate a second as the copies: an edit every 10 s takes 0.1 of
// the 28.86 sends a second the gate allows at send_rate 29, and leaves the
// copies above 0.95 × 30 (one every 3 s took 0.33 and left 28.3).
const progressEvery = 10 * time.Second

// ProgressTexts are the texts of announcement a as rep stands, in its
// organiser's language (tx reads it): the progress message while copies
// go out, and the report that replaces it once all are done.
type ProgressTexts func(tx *store.Tx, a store.Announcement, rep store.AnnouncementReport) (progress, report string)

// Progress keeps the progress message of every announcement going out up
// to date, from the store: after a restart it carries on where it was. It
// sends and edits through the Sender's paced lane, so that the copies to
// the same chat keep their gap.
type Progress struct {
	db    *store.DB
	send  *Sender
	texts ProgressTexts
	log   *slog.Logger
	now   func() time.Time
	kick  chan struct{}
	every time.Duration // progressEvery; tests set it longer

	mu    sync.Mutex
	shown map[uint64]shownProgress // only Run's goroutine uses it; mu for tests' races
}

type shownProgress struct {
	at   time.Time
	text string
}

// NewProgress returns a Progress showing db's announcements through s,
// with the texts texts makes. now is the bot's clock, for the times
// recorded; the gap between edits follows the machine's.
func NewProgress(db *store.DB, s *Sender, texts ProgressTexts, log *slog.Logger, now func() time.Time) *Progress {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Progress{
		db: db, send: s, texts: texts, log: log, now: now,
		kick:  make(chan struct{}, 1),
		every: progressEvery,
		shown: map[uint64]shownProgress{},
	}
}

// Notify says that an announcement's copies changed.
func (p *Progress) Notify() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// Run updates progress messages until ctx ends.
func (p *Progress) Run(ctx context.Context) {
	for ctx.Err() == nil {
		wait := p.look(ctx)
		if wait <= 0 {
			wait = time.Hour
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-p.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// look updates every announcement still going out and returns when to
// look again (0: only when notified).
func (p *Progress) look(ctx context.Context) time.Duration {
	as, err := p.db.Unreported()
	if err != nil {
		p.log.Error("announcements in progress", "err", err)
		return p.every
	}
	var next time.Duration
	for _, a := range as {
		if d := p.update(ctx, a); d > 0 && (next == 0 || d < next) {
			next = d
		}
	}
	return next
}

// update shows how announcement a stands, unless it was shown less than
// p.every ago and a copy is still to go; it returns when to look again.
// Whether one is still to go is known from the outbox's queue
// (store.Tx.CopiesQueued), so that on each copy's notice only an
// announcement that is through costs its report (which reads every copy).
func (p *Progress) update(ctx context.Context, a store.Announcement) time.Duration {
	p.mu.Lock()
	last := p.shown[a.ID]
	p.mu.Unlock()
	var wait time.Duration // until the progress message may change
	if !last.at.IsZero() {
		wait = p.every - time.Since(last.at)
	}
	lost := a.ProgressID == 0 && a.ProgressSending // only the report is shown
	var (
		rep            store.AnnouncementReport
		text, finished string
		later          bool
	)
	err := p.db.View(func(tx *store.Tx) error {
		queued, known := tx.CopiesQueued(a)
		// An announcement sent by an older daftar (not known) is shown as
		// before: its report tells whether it is through, after the wait.
		if later = queued && (wait > 0 || lost) || !known && wait > 0; later {
			return nil
		}
		var err error
		if rep, err = tx.AnnouncementReport(a.ID); err != nil {
			return err
		}
		text, finished = p.texts(tx, a, rep)
		return nil
	})
	switch {
	case err != nil:
		p.log.Error("announcement report", "announcement", a.ID, "err", err)
		return p.every
	case later && wait > 0:
		return wait
	case later:
		return p.every
	}
	if rep.Finished() {
		text = finished
	}
	if lost {
		return p.lost(ctx, a, rep, text)
	}
	if text != last.text {
		if a.ProgressID == 0 {
			if d, ok := p.first(ctx, a, rep, text, last.text); !ok {
				return d
			}
		} else if err := p.send.Paced().Edit(ctx, a.ChatID, a.ProgressID, Message{Text: text}); err != nil {
			return p.failed(ctx, a, rep, last.text, err)
		}
	}
	p.shownNow(a, text)
	if !rep.Finished() {
		return p.every
	}
	return p.reported(a)
}

// first sends the first progress message of a, marked as being sent
// before the request (store.Tx.BeginProgressMessage), so that it goes out
// at most once. ok is false when it did not go out for sure; d is then
// when to look again.
func (p *Progress) first(ctx context.Context, a store.Announcement, rep store.AnnouncementReport, text, shown string) (d time.Duration, ok bool) {
	err := p.db.Update(func(tx *store.Tx) error { return tx.BeginProgressMessage(a.ID, rep.Finished(), p.now()) })
	if err != nil {
		p.log.Error("record progress message", "announcement", a.ID, "err", err)
		return p.every, false
	}
	msgID, err := p.send.Paced().SendMessage(ctx, a.ChatID, Message{Text: text})
	switch {
	case err == nil:
		err = p.db.Update(func(tx *store.Tx) error { return tx.SetProgressMessage(a.ID, msgID) })
	case errors.Is(err, ErrNotSent): // stopped while it waited its turn
		if err := p.db.Update(func(tx *store.Tx) error { return tx.ProgressMessageNotSent(a.ID) }); err != nil {
			p.log.Error("record progress message", "announcement", a.ID, "err", err)
		}
		return p.every, false
	case Answered(err):
		if err := p.db.Update(func(tx *store.Tx) error { return tx.ProgressMessageNotSent(a.ID) }); err != nil {
			p.log.Error("record progress message", "announcement", a.ID, "err", err)
		}
		return p.failed(ctx, a, rep, shown, err), false
	default: // it may be on screen: lost sends no other one
		p.log.Warn("progress message may not have arrived", "announcement", a.ID, "err", err)
		return p.every, false
	}
	if err != nil {
		p.log.Error("record progress message", "announcement", a.ID, "err", err)
	}
	return 0, true
}

// lost carries on when the first progress message of a may be on screen
// but its id is unknown: no progress until the end, then the report as a
// message of its own, marked shown before it is sent (at most once). When
// Telegram answers it with an error, or it never left, it surely did not
// go out: unmarked, it is tried again, unless Telegram refused it for good
// (the organiser blocked the bot).
func (p *Progress) lost(ctx context.Context, a store.Announcement, rep store.AnnouncementReport, report string) time.Duration {
	if !rep.Finished() {
		return p.every
	}
	if d := p.reported(a); d != 0 {
		return d // not marked: not sent either
	}
	_, err := p.send.Paced().SendMessage(ctx, a.ChatID, Message{Text: report})
	if err == nil {
		return 0
	}
	p.log.Warn("announcement report", "announcement", a.ID, "err", err)
	if !Answered(err) || Refused(err) {
		return 0 // it may have arrived, or never will
	}
	if err := p.db.Update(func(tx *store.Tx) error { return tx.ReportNotShown(a.ID) }); err != nil {
		p.log.Error("mark announcement report not shown", "announcement", a.ID, "err", err)
		return 0
	}
	if retryAfter, tooMany := RetryAfter(err); tooMany {
		return retryAfter
	}
	return p.every
}

// shownNow records that text is what the progress message of a says.
func (p *Progress) shownNow(a store.Announcement, text string) {
	p.mu.Lock()
	p.shown[a.ID] = shownProgress{at: time.Now(), text: text}
	p.mu.Unlock()
}

// reported marks a as reported, so that it is looked at no more, and
// returns when to look again.
func (p *Progress) reported(a store.Announcement) time.Duration {
	if err := p.db.Update(func(tx *store.Tx) error { return tx.MarkReported(a.ID, p.now()) }); err != nil {
		p.log.Error("mark announcement reported", "announcement", a.ID, "err", err)
		return p.every
	}
	p.mu.Lock()
	delete(p.shown, a.ID)
	p.mu.Unlock()
	return 0
}

// failed handles a progress message Telegram did not take (shown is what
// it said before): a 429 waits, a refusal for good (the organiser blocked
// the bot, the message was deleted) gives the report up once the
// announcement is through (rep), anything else is tried again later.
func (p *Progress) failed(ctx context.Context, a store.Announcement, rep store.AnnouncementReport, shown string, err error) time.Duration {
	if ctx.Err() != nil {
		return 0
	}
	retryAfter, tooMany := RetryAfter(err)
	switch {
	case tooMany:
		return retryAfter
	case Refused(err):
		p.log.Warn("progress message refused", "announcement", a.ID, "err", Reason(err))
		p.shownNow(a, shown)
		if rep.Finished() {
			return p.reported(a)
		}
		return p.every
	}
	p.log.Warn("progress message", "announcement", a.ID, "err", err)
	return p.every
}
