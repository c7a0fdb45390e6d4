package store

import (
	"slices"
	"time"
)

// Registrations are one person's registrations in a course's batches,
// every status.
type Registrations []Participant

// Holds reports whether the registration in batch has status.
func (rs Registrations) Holds(batch string, status Status) bool {
	return slices.ContainsFunc(rs, func(p Participant) bool { return p.Batch == batch && p.Status == status })
}

// Active reports whether the person holds a seat or a place on a waiting
// list somewhere.
func (rs Registrations) Active() bool { return rs.ActiveCount() > 0 }

// ActiveCount returns how many seats and waiting places the person holds.
func (rs Registrations) ActiveCount() int {
	n := 0
	for _, p := range rs {
		if p.Status.HoldsPlace() {
			n++
		}
	}
	return n
}

// Standing is what one person's conversation may know about a course's
// batches besides itself: how full each batch is and where the person
// stands in it. Tx.Standing reads it in one transaction.
type Standing struct {
	Taken     map[string]int   // seats taken or held for an offer, per batch id
	Waiting   map[string]int   // people on each batch's waiting list
	SignedUp  Registrations    // the person's registrations, every status
	Positions map[string]int   // the person's waiting-list position per batch
	Offers    map[string]Offer // seats offered to the person and not expired at now, per batch
	Present   map[string]int   // days the person was present, per batch they hold a seat in
	Blocked   bool             // the person was recorded as having blocked the bot
	// Elsewhere are the person's registrations in batches not among those
	// asked for (the config no longer lists them): shown in /dataku,
	// erased by /hapusdata, never offered or counted.
	Elsewhere Registrations
}

// Full reports whether every seat of b is taken or held for an offer: a
// new registration goes to its waiting list.
func (s Standing) Full(b Batch) bool { return s.Taken[b.ID] >= b.Capacity }

// SeatsLeft returns how many seats of b are neither taken nor offered.
func (s Standing) SeatsLeft(b Batch) int { return b.Capacity - s.Taken[b.ID] }

// Standing reads userID's standing in batches at now. A seat offered to
// someone on the waiting list counts as taken: it is not free for anyone
// else until the offer ends.
func (tx *Tx) Standing(batches []Batch, userID int64, now time.Time) (Standing, error) {
	s := Standing{
		Taken: map[string]int{}, Waiting: map[string]int{}, Positions: map[string]int{},
		Offers: map[string]Offer{}, Present: map[string]int{}, Blocked: tx.Unreachable(userID),
	}
	// One seek in the person index gives every registration; each batch
	// asked for takes its own, the rest are Elsewhere.
	all, err := tx.ParticipantsOf(userID)
	if err != nil {
		return s, err
	}
	mine := make(map[string]Participant, len(all))
	for _, p := range all {
		mine[p.Batch] = p
	}
	for _, b := range batches {
		st, err := tx.batchState(b.ID)
		if err != nil {
			return s, err
		}
		s.Taken[b.ID] = st.Taken + len(st.Offers)
		s.Waiting[b.ID] = len(st.Waiting)
		for _, o := range st.Offers {
			if o.UserID == userID && now.Before(o.Until) {
				s.Offers[b.ID] = o
			}
		}
		p, ok := mine[b.ID]
		if !ok {
			continue
		}
		delete(mine, b.ID)
		s.SignedUp = append(s.SignedUp, p)
		switch p.Status {
		case StatusWaiting:
			s.Positions[b.ID] = slices.Index(st.Waiting, userID) + 1
		case StatusReserve:
			s.Positions[b.ID] = st.reserveRank(userID)
		case StatusRegistered:
			if s.Present[b.ID], err = tx.DaysPresent(b.ID, userID); err != nil {
				return s, err
			}
		}
	}
	for _, p := range all {
		if _, elsewhere := mine[p.Batch]; elsewhere {
			s.Elsewhere = append(s.Elsewhere, p)
		}
	}
	return s, nil
}
