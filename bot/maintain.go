package bot

import (
	"context"
	"errors"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram"
)

// maintain ends expired seat offers (passing the seats on) and deletes the
// personal data of batches past their retention period, until ctx ends.
// It wakes at the next offer's end, at least every ten minutes, and when
// kicked; the retention, which reads every registration and conversation,
// runs at most once an hour on the bot's clock (it counts in days).
func (b *Bot) maintain(ctx context.Context) {
	var retired time.Time
	for {
		b.ExpireOffers()
		if now := b.now(); retired.IsZero() || now.Sub(retired) >= time.Hour {
			b.retire()
			retired = now
		}
		wait := 10 * time.Minute
		if next, ok, err := b.db.NextOfferExpiry(); err == nil && ok {
			wait = min(wait, max(next.Sub(b.now()), time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-b.maintainKick:
		case <-t.C:
		}
		t.Stop()
	}
}

// ExpireOffers ends the seat offers whose claim window is over at the
// bot's clock now and offers the seats to the next people waiting. The
// bot runs it by itself; tests with an injected clock call it directly.
func (b *Bot) ExpireOffers() {
	now := b.now()
	for _, bt := range b.course.Batches {
		var expired, made []store.Offer
		err := b.db.Update(func(tx *store.Tx) error {
			var err error
			expired, made, err = tx.ExpireOffers(b.seats(bt), now)
			return err
		})
		if err != nil {
			b.log.Error("expire offers", "batch", bt.ID, "err", err)
			continue
		}
		if len(expired)+len(made) > 0 {
			b.log.Info("seat offers", "batch", bt.ID, "expired", len(expired), "offered", len(made))
			b.disp.Notify()
		}
	}
}

// retire deletes the personal data of batches whose retention period has
// ended, leaving the anonymous counts, and the answers of forms left
// unfinished for as long; then the file is rewritten.
func (b *Bot) retire() {
	if b.opt.RetentionDays <= 0 {
		return
	}
	now := b.now()
	deleted := 0
	for _, bt := range b.course.Batches {
		if !bt.RetentionOver(b.opt.RetentionDays, now) {
			continue
		}
		var n int
		err := b.db.Update(func(tx *store.Tx) error {
			var err error
			n, err = tx.RetireBatch(bt.ID)
			return err
		})
		if err != nil {
			b.log.Error("retention", "batch", bt.ID, "err", err)
			continue
		}
		if n > 0 {
			b.log.Info("retention period over: personal data deleted", "batch", bt.ID, "participants", n)
			deleted += n
		}
	}
	deleted += b.retireOrphans(now)
	var forms int
	err := b.db.Update(func(tx *store.Tx) error {
		var err error
		forms, err = tx.ForgetAbandonedForms(now.AddDate(0, 0, -b.opt.RetentionDays), func(c store.Conversation, active bool) store.Conversation {
			leaveForm(&c, active)
			return c
		})
		return err
	})
	if err != nil {
		b.log.Error("retention of unfinished forms", "err", err)
	}
	if forms > 0 {
		b.log.Info("retention period over: answers of unfinished forms deleted", "forms", forms)
	}
	if deleted+forms > 0 {
		b.scrubSoon()
	}
}

// retireOrphans applies the retention to batches the config no longer
// lists, counting from their last registration or cancellation, and says
// how many registrations it deleted.
func (b *Bot) retireOrphans(now time.Time) int {
	known := map[string]bool{}
	for _, bt := range b.course.Batches {
		known[bt.ID] = true
	}
	deleted := 0
	err := b.db.Update(func(tx *store.Tx) error {
		orphans, err := tx.OrphanBatches(known)
		if err != nil {
			return err
		}
		for _, o := range orphans {
			if now.Before(o.Last.AddDate(0, 0, b.opt.RetentionDays)) {
				continue
			}
			n, err := tx.RetireBatch(o.ID)
			if err != nil {
				return err
			}
			deleted += n
		}
		return nil
	})
	if err != nil {
		b.log.Error("retention of batches no longer in the config", "err", err)
		return 0
	}
	if deleted > 0 {
		b.log.Info("retention period over: personal data of batches no longer in the config deleted", "participants", deleted)
	}
	return deleted
}

// scrubInterval is the least time between two rewrites of the file after
// erasures: a burst of erasures shares one rewrite, at most this long
// after the first that had to wait.
const scrubInterval = time.Minute

// scrubSoon rewrites the file now when no rewrite ran in the last
// scrubInterval, so that one erasure is gone from the file before its
// confirmation is sent; otherwise it leaves the rewrite to scrubber. The
// need for it is recorded in the store, so a crash meanwhile only moves
// it to the next start.
func (b *Bot) scrubSoon() {
	b.scrubMu.Lock()
	// Pacing, not a domain rule: it follows the machine's clock.
	due := b.lastScrub.IsZero() || time.Since(b.lastScrub) >= b.scrubEvery
	if due {
		b.lastScrub = time.Now()
	}
	b.scrubMu.Unlock()
	if !due {
		select {
		case b.scrubKick <- struct{}{}:
		default:
		}
		return
	}
	if err := b.db.Scrub(); err != nil && !errors.Is(err, context.Canceled) {
		b.log.Error("scrub after erasure", "err", err)
	}
}

// scrubber runs the rewrites scrubSoon put off, one per scrubInterval at
// most, until ctx ends.
func (b *Bot) scrubber(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.scrubKick:
		}
		b.scrubMu.Lock()
		wait := b.scrubEvery - time.Since(b.lastScrub)
		b.scrubMu.Unlock()
		if wait > 0 && !telegram.Sleep(ctx, wait) {
			return
		}
		b.scrubMu.Lock()
		b.lastScrub = time.Now()
		b.scrubMu.Unlock()
		if err := b.db.Scrub(); err != nil && !errors.Is(err, context.Canceled) {
			b.log.Error("scrub after erasures", "err", err)
		}
	}
}
