package store

import (
	"errors"
	"fmt"
	"time"
)

// Retained is what one run of DB.Retain deleted.
type Retained struct {
	// Batches is how many registrations each batch of the course lost,
	// for the batches that lost any.
	Batches map[string]int
	// Orphans is how many registrations of batches the course no longer
	// lists were deleted.
	Orphans int
	// Forms is how many unfinished forms lost their answers.
	Forms int
}

// Deleted reports whether the run deleted anything, so that the file
// must be rewritten (DB.Scrub).
func (r Retained) Deleted() bool {
	n := r.Orphans + r.Forms
	for _, v := range r.Batches {
		n += v
	}
	return n > 0
}

// Retain applies the retention period of days at now, each part in a
// transaction of its own: the personal data of every batch of c whose
// period is over (Batch.RetentionOver) goes, leaving the anonymous counts;
// batches the course no longer lists count from their last registration
// or cancellation (OrphanBatches); forms left unfinished for as long lose
// their answers (ForgetAbandonedForms, with reset). A part that fails
// does not stop the others: their errors are joined, and what the others
// deleted is returned with them. days <= 0 keeps everything.
func (db *DB) Retain(c Course, days int, now time.Time, reset func(c Conversation, active bool) Conversation) (Retained, error) {
	out := Retained{Batches: map[string]int{}}
	if days <= 0 {
		return out, nil
	}
	var errs []error
	known := map[string]bool{}
	for _, bt := range c.Batches {
		known[bt.ID] = true
		if !bt.RetentionOver(days, now) {
			continue
		}
		var n int
		err := db.Update(func(tx *Tx) error {
			var err error
			n, err = tx.RetireBatch(bt.ID)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("retention of batch %s: %w", bt.ID, err))
			continue
		}
		if n > 0 {
			out.Batches[bt.ID] = n
		}
	}
	err := db.Update(func(tx *Tx) error {
		out.Orphans = 0
		orphans, err := tx.OrphanBatches(known)
		if err != nil {
			return err
		}
		for _, o := range orphans {
			if now.Before(o.Last.AddDate(0, 0, days)) {
				continue
			}
			n, err := tx.RetireBatch(o.ID)
			if err != nil {
				return err
			}
			out.Orphans += n
		}
		return nil
	})
	if err != nil {
		out.Orphans = 0
		errs = append(errs, fmt.Errorf("retention of batches no longer in the config: %w", err))
	}
	err = db.Update(func(tx *Tx) error {
		var err error
		out.Forms, err = tx.ForgetAbandonedForms(now.AddDate(0, 0, -days), reset)
		return err
	})
	if err != nil {
		out.Forms = 0
		errs = append(errs, fmt.Errorf("retention of unfinished forms: %w", err))
	}
	return out, errors.Join(errs...)
}

// OffersChanged is what DB.ExpireOffers did in one batch.
type OffersChanged struct {
	Batch            string
	Expired, Offered int
}

// ExpireOffers ends, in one transaction per batch, the seat offers of
// every batch of all whose claim window is over at now and offers the
// seats to the next people waiting (Tx.ExpireOffers). It returns the
// batches where something changed; a batch that fails does not stop the
// others, and the errors are joined.
func (db *DB) ExpireOffers(all []Seats, now time.Time) ([]OffersChanged, error) {
	var (
		out  []OffersChanged
		errs []error
	)
	for _, seats := range all {
		var expired, made []Offer
		err := db.Update(func(tx *Tx) error {
			var err error
			expired, made, err = tx.ExpireOffers(seats, now)
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("expire offers of %s: %w", seats.Batch.ID, err))
			continue
		}
		if len(expired)+len(made) > 0 {
			out = append(out, OffersChanged{Batch: seats.Batch.ID, Expired: len(expired), Offered: len(made)})
		}
	}
	return out, errors.Join(errs...)
}
