package bot

import (
	"context"
	"errors"
	"time"

	"github.com/daftar-bot/daftar/bot/conversation"
	"github.com/daftar-bot/daftar/store"
)

// maintain ends expired seat offers (passing the seats on) and deletes the
// personal data of batches past their retention period, until ctx ends.
// It wakes at the next offer's end and at least every ten minutes; the
// retention, which reads every registration and conversation, runs at
// most once an hour on the bot's clock (it counts in days). The rules and
// transactions are the store's (DB.ExpireOffers, DB.Retain).
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
		case <-t.C:
		}
		t.Stop()
	}
}

// ExpireOffers ends the seat offers whose claim window is over at the
// bot's clock now and offers the seats to the next people waiting. The
// bot runs it by itself; tests with an injected clock call it directly.
func (b *Bot) ExpireOffers() {
	changed, err := b.db.ExpireOffers(b.allSeats(), b.now())
	if err != nil {
		b.log.Error("expire offers", "err", err)
	}
	for _, c := range changed {
		b.log.Info("seat offers", "batch", c.Batch, "expired", c.Expired, "offered", c.Offered)
	}
	if len(changed) > 0 {
		b.disp.Notify()
	}
}

// settleOffers, when the bot starts, makes every batch's seat offers
// agree with the config as it is now and the organisers' /buka and
// /tutup (store.DB.SettleOffers): a capacity raised while people wait
// offers them the new seats at once, a batch closed in the config
// withdraws its offers.
func (b *Bot) settleOffers() {
	changed, err := b.db.SettleOffers(b.allSeats(), b.now())
	if err != nil {
		b.log.Error("settle offers", "err", err)
	}
	for _, c := range changed {
		b.log.Info("seat offers at start", "batch", c.Batch, "offered", c.Offered, "withdrawn", c.Withdrawn)
	}
}

// retire deletes the personal data of batches whose retention period has
// ended, leaving the anonymous counts, and the answers of forms left
// unfinished for as long; then the file is rewritten.
func (b *Bot) retire() {
	r, err := b.db.Retain(b.cat, b.now(), func(c store.Conversation, active bool) store.Conversation {
		conversation.LeaveForm(&c, active)
		return c
	})
	if err != nil {
		b.log.Error("retention", "err", err)
	}
	for _, bt := range b.cat.Batches() {
		if n := r.Batches[bt.ID]; n > 0 {
			b.log.Info("retention period over: personal data deleted", "batch", bt.ID, "participants", n)
		}
	}
	if r.Orphans > 0 {
		b.log.Info("retention period over: personal data of batches no longer in the config deleted", "participants", r.Orphans)
	}
	if r.Forms > 0 {
		b.log.Info("retention period over: answers of unfinished forms deleted", "forms", r.Forms)
	}
	if r.Deleted() {
		b.scrubSoon()
	}
}

// scrubSoon has the file rewritten after an erasure: at once, or within
// store.ScrubInterval when a rewrite ran just before (store.Scrubber).
func (b *Bot) scrubSoon() {
	if err := b.scrub.Soon(); err != nil && !errors.Is(err, context.Canceled) {
		b.log.Error("scrub after erasure", "err", err)
	}
}

// scrubber runs the rewrites scrubSoon put off until ctx ends.
func (b *Bot) scrubber(ctx context.Context) {
	b.scrub.Run(ctx, func(err error) {
		if !errors.Is(err, context.Canceled) {
			b.log.Error("scrub after erasures", "err", err)
		}
	})
}
