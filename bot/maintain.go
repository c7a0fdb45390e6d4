package bot

import (
	"context"
	"errors"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// maintain ends expired seat offers (passing the seats on) and deletes the
// personal data of batches past their retention period, until ctx ends.
// It wakes at the next offer's end, at least every ten minutes, and when
// kicked.
func (b *Bot) maintain(ctx context.Context) {
	for {
		b.ExpireOffers()
		b.retire()
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
// ended, leaving the anonymous counts, and scrubs the file.
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
	if deleted > 0 {
		if err := b.db.Scrub(); err != nil && !errors.Is(err, context.Canceled) {
			b.log.Error("scrub after retention", "err", err)
		}
	}
}
