package store_test

import (
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// setOpen is /buka (open) or /tutup on the model: closing withdraws every
// offer, the people keeping their places; opening offers the free seats.
func (m *wlModel) setOpen(open bool, now time.Time) (made, withdrawn []wlModelOffer) {
	m.closed = !open
	if !m.handsOn() {
		withdrawn, m.offers = m.offers, nil
		return nil, withdrawn
	}
	return m.offerFreed(now), nil
}

// setOpen is the model test's /buka or /tutup: the decision and
// SettleOffers in one transaction, as the bot does it, compared with the
// model; each withdrawn offer's notice must be in the outbox.
func (r *wlRun) setOpen(open bool) string {
	r.t.Helper()
	var made, withdrawn []store.Offer
	err := r.db.Update(func(tx *store.Tx) error {
		if err := tx.SetBatchOpen(r.m.seats.Batch.ID, open, 99, r.now); err != nil {
			return err
		}
		var err error
		made, withdrawn, err = tx.SettleOffers(r.m.seats, r.now)
		return err
	})
	if err != nil {
		r.fail("setOpen(%v): %v", open, err)
	}
	wantMade, wantWithdrawn := r.m.setOpen(open, r.now)
	r.sameOffers(fmt.Sprintf("setOpen(%v): made", open), made, wantMade)
	r.sameOffers(fmt.Sprintf("setOpen(%v): withdrawn", open), withdrawn, wantWithdrawn)
	for _, o := range withdrawn {
		e, err := wlOutbox(r.t, r.db, "withdrawn/"+o.Key)
		n, _ := e.Notice()
		if err != nil || e.UserID != o.UserID || e.ChatID != o.ChatID || n.Notice != store.NoticeOfferWithdrawn || n.Batch != o.Batch {
			r.fail("withdrawal notice of the offer to user %d: %+v, %v", o.UserID, e, err)
		}
	}
	return fmt.Sprintf("setOpen(%v) → made %s withdrawn %s", open, wlFmtOffers(made, nil), wlFmtOffers(withdrawn, nil))
}
