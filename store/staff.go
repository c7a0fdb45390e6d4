package store

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Staff actions on a registration: an organiser cancels it on the
// person's behalf or moves it to another batch of the course. Both run in
// the one transaction that checks the registration is still what the
// organiser's screen showed (its Stamp), so that of two organisers acting
// on one person at once one wins and the other is told.

// ErrChanged is returned by StaffCancel and MoveParticipant when the
// registration is no longer what the organiser's screen showed: another
// organiser (or the person) changed it meanwhile.
var ErrChanged = errors.New("registration changed meanwhile")

// Audit actions of the staff. Persisted: only add.
const (
	AuditStaffCancelled = "staff_cancelled" // Batch, Subject; Detail "reason" when one was given (never its text)
	AuditStaffMoved     = "staff_moved"     // Batch (the new one), Subject; Detail: the batch left
	AuditWalkInEnrolled = "walkin_enrolled" // Batch, Subject (the walk-in's id)
	AuditWalkInClaimed  = "walkin_claimed"  // Batch, Subject and By: the account that claimed it
)

// Notices the staff actions send the person (KindNotice). Persisted: only add.
const (
	NoticeStaffCancelled Notice = "staff_cancelled" // Batch; Reason, maybe empty
	NoticeStaffMoved     Notice = "staff_moved"     // Batch (the new one), From
)

// Stamp is the version of a registration an organiser acts on: anything
// that changes it (a cancellation, a move, a seat given, a new
// registration over a cancelled one) changes the stamp.
func (p Participant) Stamp() string {
	return fmt.Sprintf("%s.%d.%d.%d", p.Status, p.Seat, p.RegisteredAt.UnixNano(), p.CancelledAt.UnixNano())
}

// staffTarget returns userID's registration in batch when it still has
// stamp (any stamp when stamp is empty) and holds a place
// (Status.HoldsPlace: a seat, a waiting place, an application, a seat
// held for a selected person, a reserve's place); ErrChanged when not,
// ErrNotFound when there is none (erased meanwhile).
func (tx *Tx) staffTarget(batch string, userID int64, stamp string) (Participant, error) {
	p, err := tx.Participant(batch, userID)
	if err != nil {
		return p, err
	}
	if (stamp != "" && p.Stamp() != stamp) || !p.Status.HoldsPlace() {
		return p, ErrChanged
	}
	return p, nil
}

// StaffCancel cancels userID's registration in seats' batch on an
// organiser's behalf, as CancelRegistration does (the seat or place goes
// to the waiting list through the offers, which are returned), when it
// still has stamp. In a selection batch that is the person's own way out
// too: an application is withdrawn (it leaves /seleksi's list and its
// decision no longer counts), the seat held for a selected person goes to
// the first reserve as an offer exactly as Tidak jadi (DeclineOffer) gives
// it, and a reserve leaves the waiting list, those behind moving up. The person is told through the outbox, with reason
// when the organiser gave one; a walk-in is told nothing (Enqueue).
func (tx *Tx) StaffCancel(seats Seats, userID int64, stamp, reason string, now time.Time) (Participant, []Offer, error) {
	p, err := tx.staffTarget(seats.Batch.ID, userID, stamp)
	if err != nil {
		return p, nil, fmt.Errorf("staff cancel %s: %w", seats.Batch.ID, err)
	}
	offers, err := tx.CancelRegistration(seats, userID, now)
	if err != nil {
		return p, nil, err
	}
	e := noticeEntry(fmt.Sprintf("staff-cancel/%s/%d/%d", p.Batch, userID, now.UnixNano()),
		NoticePayload{Notice: NoticeStaffCancelled, Batch: p.Batch}, p.ChatID, userID, now)
	if reason != "" {
		e.Data["reason"] = reason
	}
	if _, err := tx.Enqueue(e); err != nil {
		return p, nil, err
	}
	p, err = tx.Participant(seats.Batch.ID, userID)
	return p, offers, err
}

// ErrSeatRefused wraps the reason (ErrBatchFull, ErrBatchStarted,
// ErrOverlap, ErrAlreadyRegistered, or whatever the seat transactions
// check) when MoveParticipant or EnrolWalkIn cannot give the seat; they
// have changed nothing then, so the caller may commit its transaction
// with the refusal's answer.
var ErrSeatRefused = errors.New("seat refused")

// ErrNotSeated is returned by MoveParticipant when the registration
// holds a place but not a seat (waiting, applied, selected before
// confirming, reserve): only a seat is moved. It wraps ErrChanged: the
// only screen that offers Pindahkan shows a seat, so to it the
// registration changed.
var ErrNotSeated = fmt.Errorf("the registration holds no seat to move: %w", ErrChanged)

// ErrSameBatch is returned by MoveParticipant when the batch to move to
// is the one the person is in.
var ErrSameBatch = errors.New("the registration is in that batch already")

// MoveParticipant moves userID's seat in from's batch to a seat in to's
// (another batch of the course) when the registration still has stamp.
// The new seat is taken as a registration takes one (placeSeat: the
// capacity, nobody waiting there, not started, the person's other places
// and every rule the seat transactions check), the organiser's decision
// winning over a closed batch. The registration left behind is cancelled
// with MovedTo naming the new batch, and its seat goes to the people
// waiting there (the offers are returned). On a refusal nothing changes.
// The person is told through the outbox.
func (tx *Tx) MoveParticipant(from, to Seats, userID int64, stamp string, now time.Time) (Participant, []Offer, error) {
	if from.Batch.ID == to.Batch.ID {
		return Participant{}, nil, ErrSameBatch
	}
	old, err := tx.staffTarget(from.Batch.ID, userID, stamp)
	if err == nil && old.Status != StatusRegistered {
		// A waiting place is not moved: it is cancelled, or waits for its
		// offer; nor is an application, a selected person's seat before
		// they confirm it, or a reserve's place: the selection decides them.
		err = ErrNotSeated
	}
	if err != nil {
		return old, nil, fmt.Errorf("move from %s: %w", from.Batch.ID, err)
	}
	oldState, err := tx.batchState(from.Batch.ID)
	if err != nil {
		return old, nil, err
	}
	// Leave the old seat first, so that the new one is checked as if it
	// were the person's only place (an overlap with the old batch, one
	// place per course); undone below on a refusal.
	s := oldState
	s.Free, s.Waiting, s.Offers = slices.Clone(oldState.Free), slices.Clone(oldState.Waiting), slices.Clone(oldState.Offers)
	s.remove(old)
	left := old
	left.Status, left.Seat, left.CancelledAt, left.MovedTo = StatusCancelled, 0, now, to.Batch.ID
	if err := tx.putParticipant(left); err != nil {
		return old, nil, err
	}
	if err := tx.putBatchState(from.Batch.ID, s); err != nil {
		return old, nil, err
	}
	np := old
	np.Status, np.Seat, np.CancelledAt, np.MovedTo, np.RegisteredAt = "", 0, time.Time{}, "", now
	np, err = tx.placeSeat(to, np, now)
	if err != nil {
		if perr := tx.putParticipant(old); perr != nil {
			return old, nil, perr
		}
		if perr := tx.putBatchState(from.Batch.ID, oldState); perr != nil {
			return old, nil, perr
		}
		return old, nil, fmt.Errorf("move to %s: %w: %w", to.Batch.ID, ErrSeatRefused, err)
	}
	offers, err := tx.offerFreed(from, s, now)
	if err != nil {
		return np, nil, err
	}
	e := noticeEntry(fmt.Sprintf("staff-move/%s/%d/%d", to.Batch.ID, userID, now.UnixNano()),
		NoticePayload{Notice: NoticeStaffMoved, Batch: to.Batch.ID}, np.ChatID, userID, now)
	e.Data["from"] = from.Batch.ID
	if _, err := tx.Enqueue(e); err != nil {
		return np, nil, err
	}
	return np, offers, nil
}

// placeSeat gives p a seat in seats' batch as a registration takes one
// (TakeSeat) but for an organiser: the batch rules of mayJoin apply
// except that a batch closed to registrations (/tutup) takes them.
func (tx *Tx) placeSeat(seats Seats, p Participant, now time.Time) (Participant, error) {
	p.Batch = seats.Batch.ID
	if old, err := tx.Participant(p.Batch, p.UserID); err == nil && old.Status == StatusRegistered {
		return old, ErrAlreadyRegistered
	}
	p.NIK = seats.Intake.NIKOf(p.Answers)
	if err := tx.mayJoin(seats, p, now, false); err != nil {
		return Participant{}, err
	}
	return tx.ConfirmSeat(p, seats.Batch.Capacity)
}

// MoveTargets returns the batches of seats (the course's, each with its
// Seats) that userID's seat in batch may move to at now: another batch
// that has not started and has a seat neither taken nor held, with nobody
// waiting for it. It is what the buttons offer; MoveParticipant checks
// again.
func (tx *Tx) MoveTargets(batch string, all []Seats, now time.Time) ([]Seats, error) {
	var out []Seats
	for _, st := range all {
		if st.Batch.ID == batch || st.Batch.Started(now) {
			continue
		}
		s, err := tx.batchState(st.Batch.ID)
		if err != nil {
			return nil, err
		}
		if s.Taken+len(s.Offers) < st.Batch.Capacity && len(s.Waiting) == 0 {
			out = append(out, st)
		}
	}
	return out, nil
}
