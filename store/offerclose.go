package store

import (
	"fmt"
	"slices"
	"time"
)

// Offers follow whether a batch takes registrations. An organiser who
// closes registration (/tutup, or open = false in the config) hands out
// no more seats: no offer is made while the batch is closed, an offer
// cannot be accepted, and the offers outstanding when it closes are
// withdrawn (SettleOffers). The people holding them keep their place on
// the waiting list, at its head, so that nobody loses a place because
// the organisers closed registration; when the batch opens again the
// free seats are offered to them first.

// takesRegistrations reports whether seats' batch is open for
// registration: the organisers' decision (SetBatchOpen) winning over the
// config. It says nothing of the start: offerFreed and mayJoin check that.
func (tx *Tx) takesRegistrations(seats Seats) bool {
	if open, ok := tx.BatchOpen(seats.Batch.ID); ok {
		return open
	}
	return seats.Batch.Open
}

// SettleOffers makes the offers of seats' batch agree with whether it
// takes registrations at now. Closed: every outstanding offer is
// withdrawn (the person stays on the waiting list, and a notice of
// NoticeOfferWithdrawn tells them why their offer buttons no longer take
// the seat). Open and not started: every seat neither taken nor offered
// goes to the next people waiting, as after a cancellation — a capacity
// raised in the config, or a batch opened again, lets them in at once.
// It returns the offers made and withdrawn. The bot calls it for every
// batch when it starts (DB.SettleOffers) and in the transaction of /buka
// and /tutup.
func (tx *Tx) SettleOffers(seats Seats, now time.Time) (made, withdrawn []Offer, err error) {
	s, err := tx.batchState(seats.Batch.ID)
	if err != nil {
		return nil, nil, err
	}
	if tx.handsOnSeats(seats) {
		made, err = tx.offerFreed(seats, s, now)
		return made, nil, err
	}
	if len(s.Offers) == 0 {
		return nil, nil, nil
	}
	withdrawn, s.Offers = s.Offers, nil
	for _, o := range withdrawn {
		_, err := tx.Enqueue(noticeEntry("withdrawn/"+o.Key,
			NoticePayload{Notice: NoticeOfferWithdrawn, Batch: o.Batch}, o.ChatID, o.UserID, now))
		if err != nil {
			return nil, nil, err
		}
	}
	return nil, withdrawn, tx.putBatchState(seats.Batch.ID, s)
}

// OffersSettled is what DB.SettleOffers did in one batch.
type OffersSettled struct {
	Batch              string
	Offered, Withdrawn int
}

// SettleOffers runs Tx.SettleOffers for every batch of all, one
// transaction each, and returns the batches where something changed; a
// batch that fails does not stop the others, and the errors are joined.
func (db *DB) SettleOffers(all []Seats, now time.Time) ([]OffersSettled, error) {
	var out []OffersSettled
	err := db.eachBatch(all, "settle offers", func(tx *Tx, seats Seats) error {
		made, withdrawn, err := tx.SettleOffers(seats, now)
		if err == nil && len(made)+len(withdrawn) > 0 {
			out = append(out, OffersSettled{Batch: seats.Batch.ID, Offered: len(made), Withdrawn: len(withdrawn)})
		}
		return err
	})
	return out, err
}

// refuseClosedOffer is AcceptOffer's answer while seats' batch takes no
// registrations: ErrBatchClosed for someone on its waiting list (their
// offer was withdrawn, or never made), nil otherwise.
func (tx *Tx) refuseClosedOffer(seats Seats, userID int64) error {
	if tx.handsOnSeats(seats) {
		return nil
	}
	s, err := tx.batchState(seats.Batch.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(s.Waiting, userID) {
		return nil
	}
	return fmt.Errorf("accept offer: batch %s: %w", seats.Batch.ID, ErrBatchClosed)
}
