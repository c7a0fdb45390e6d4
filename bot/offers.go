package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// renderWaitlist renders the outbox entries of the waiting list: a seat
// offer with its Accept / Decline buttons, and the notice that an offer
// expired. An offer no longer outstanding is skipped.
func (b *Bot) renderWaitlist(tx *store.Tx, m *Messages, e store.OutboxEntry) (reply, error) {
	var batch string
	var notice store.Notice
	switch e.Kind {
	case store.KindOffer:
		o, err := e.Offer()
		if err != nil {
			return reply{}, err
		}
		batch = o.Batch
	case store.KindNotice:
		n, err := e.Notice()
		if err != nil {
			return reply{}, err
		}
		batch, notice = n.Batch, n.Notice
	}
	bt, ok := b.course.Batch(batch)
	if !ok {
		return reply{}, fmt.Errorf("unknown batch %q", batch)
	}
	switch {
	case e.Kind == store.KindOffer:
		o, ok, err := tx.OfferOf(bt.ID, e.UserID)
		if err != nil {
			return reply{}, err
		}
		if !ok || o.Key != e.Key || !b.now().Before(o.Until) {
			return reply{}, errSkip
		}
		text := fmt.Sprintf(m.Offer, esc(bt.Name), m.dateRange(bt.Start, bt.End()), m.moment(o.Until.In(b.course.Location)))
		data := func(action string) string { return callback{Action: action, Arg: bt.ID}.String() }
		return reply{Text: text, Inline: [][]button{{
			{Text: m.BtnAccept, Data: data(actAccept)}, {Text: m.BtnDecline, Data: data(actRefuse)},
		}}}, nil
	case e.Kind == store.KindNotice && notice == store.NoticeOfferExpired:
		return reply{Text: fmt.Sprintf(m.OfferExpired, esc(bt.Name))}, nil
	}
	return reply{}, fmt.Errorf("unknown outbox entry %s/%s", e.Kind, notice)
}

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
		if now.Before(bt.End().AddDate(0, 0, b.opt.RetentionDays+1)) {
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
