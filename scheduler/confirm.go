package scheduler

import (
	"fmt"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// StillComingDue returns the batches of course whose seat holders are
// asked at now whether they still come (store.Batch.AskAt passed, the
// batch not started): each tick asks those not asked yet, so a scheduler
// that was down asks when it comes back, while it is still useful. It is
// pure.
func StillComingDue(course store.Course, now time.Time) []store.Batch {
	var out []store.Batch
	for _, b := range course.Batches {
		if at, ok := b.AskAt(); ok && !now.Before(at) && !b.Started(now) {
			out = append(out, b)
		}
	}
	return out
}

// stillComing asks in tx the seat holders of course's batches due at now
// whether they still come, and ends the questions whose answer is
// overdue (keeping the seat, flagged, or releasing it to the waiting
// list as the batch says); it returns how many outbox entries it added
// (questions, and on a release the notice and the offers made).
func stillComing(tx *store.Tx, cat store.Catalog, course store.Course, now time.Time) (int, error) {
	n := 0
	for _, b := range StillComingDue(course, now) {
		asked, err := tx.AskStillComing(b, now)
		if err != nil {
			return 0, fmt.Errorf("still coming? %s: %w", b.ID, err)
		}
		n += asked
	}
	for _, b := range course.Batches {
		if _, ok := b.AskAt(); !ok {
			continue
		}
		seats := store.Seats{Batch: b, Claim: course.ClaimWindow, Batches: cat.Batches()}
		expired, offers, err := tx.ExpireStillComing(seats, now)
		if err != nil {
			return 0, fmt.Errorf("still coming? %s: %w", b.ID, err)
		}
		if b.Admission.Release {
			n += expired + len(offers)
		}
	}
	return n, nil
}

// anyStillComing reports whether a batch asks its seat holders whether
// they still come: Run then ticks hourly too (surveySpec).
func (s *Scheduler) anyStillComing() bool {
	for _, b := range s.cat.Batches() {
		if _, ok := b.AskAt(); ok {
			return true
		}
	}
	return false
}
