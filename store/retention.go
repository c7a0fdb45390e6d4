package store

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Retained is what one run of DB.Retain deleted.
type Retained struct {
	// Batches is how many registrations each batch of the courses lost,
	// for the batches that lost any.
	Batches map[string]int
	// Orphans is how many registrations of batches no course lists any
	// more were deleted.
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

// Retain applies the retention periods of cat's courses at now, each
// part in a transaction of its own: the personal data of every batch
// whose course's period (Course.RetentionDays) is over
// (Batch.RetentionOver) goes, leaving the anonymous counts; batches no
// course lists count from their last registration or cancellation
// (OrphanBatches), and forms left unfinished lose their answers
// (ForgetAbandonedForms, with reset), both after the shortest period of
// any course, which no course's consent text exceeds. The two full scans
// read first and write only when there is something to delete, so that
// they do not hold the write lock over thousands of records for nothing.
// A part that fails does not stop the others: their errors are joined,
// and what the others deleted is returned with them. A course whose
// RetentionDays is 0 or less keeps everything; so do orphans and forms
// when every course does.
func (db *DB) Retain(cat Catalog, now time.Time, reset func(c Conversation, active bool) Conversation) (Retained, error) {
	out := Retained{Batches: map[string]int{}}
	var errs []error
	known := map[string]bool{}
	days := 0 // the shortest period of any course
	for _, c := range cat.Courses {
		if c.RetentionDays > 0 && (days == 0 || c.RetentionDays < days) {
			days = c.RetentionDays
		}
		for _, bt := range c.Batches {
			known[bt.ID] = true
			if c.RetentionDays <= 0 || !bt.RetentionOver(c.RetentionDays, now) {
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
	}
	if days <= 0 {
		return out, errors.Join(errs...)
	}
	due := func(tx *Tx) ([]OrphanBatch, error) {
		orphans, err := tx.OrphanBatches(known)
		return slices.DeleteFunc(orphans, func(o OrphanBatch) bool { return now.Before(o.Last.AddDate(0, 0, days)) }), err
	}
	var orphans []OrphanBatch
	err := db.View(func(tx *Tx) error {
		var err error
		orphans, err = due(tx)
		return err
	})
	if err == nil && len(orphans) > 0 {
		err = db.Update(func(tx *Tx) error {
			out.Orphans = 0
			orphans, err := due(tx)
			if err != nil {
				return err
			}
			for _, o := range orphans {
				n, err := tx.RetireBatch(o.ID)
				if err != nil {
					return err
				}
				out.Orphans += n
			}
			return nil
		})
	}
	if err != nil {
		out.Orphans = 0
		errs = append(errs, fmt.Errorf("retention of batches no longer in the config: %w", err))
	}
	before := now.AddDate(0, 0, -days)
	var abandoned int
	err = db.View(func(tx *Tx) error {
		var err error
		abandoned, err = tx.AbandonedForms(before)
		return err
	})
	if err == nil && abandoned > 0 {
		err = db.Update(func(tx *Tx) error {
			var err error
			out.Forms, err = tx.ForgetAbandonedForms(before, reset)
			return err
		})
	}
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
	var out []OffersChanged
	err := db.eachBatch(all, "expire offers", func(tx *Tx, seats Seats) error {
		expired, made, err := tx.ExpireOffers(seats, now)
		if err == nil && len(expired)+len(made) > 0 {
			out = append(out, OffersChanged{Batch: seats.Batch.ID, Expired: len(expired), Offered: len(made)})
		}
		return err
	})
	return out, err
}

// eachBatch runs fn for every batch of all, in a transaction each: a
// batch that fails (its transaction rolled back) does not stop the
// others, and the errors are joined, each naming what and the batch.
func (db *DB) eachBatch(all []Seats, what string, fn func(*Tx, Seats) error) error {
	var errs []error
	for _, seats := range all {
		if err := db.Update(func(tx *Tx) error { return fn(tx, seats) }); err != nil {
			errs = append(errs, fmt.Errorf("%s of %s: %w", what, seats.Batch.ID, err))
		}
	}
	return errors.Join(errs...)
}
