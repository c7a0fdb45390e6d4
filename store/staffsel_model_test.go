package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/daftar-bot/daftar/store"
)

// The staff's cancellation and refused move on a selection batch in the
// waiting-list model test (TestWaitingList_Model): an organiser cancels
// an applicant, a selected person or a reserve (with the stamp their
// screen showed, sometimes stale), which the model does as the person's
// own cancellation; a move of anyone holding a place but no seat is
// refused and changes nothing.

// staffSelectionOps are the model test's staff steps on a selection batch.
func (r *wlRun) staffSelectionOps(rng *rand.Rand, pick func(float64) int64) []wlOp {
	m := r.m
	seats := m.seats
	other := wlSeats("m2", 1000, wlStartIn(400))
	// who is mostly someone in the selection, else anyone.
	who := func() int64 {
		if us := m.usersIn(store.StatusApplied, store.StatusSelected, store.StatusReserve); len(us) > 0 && rng.IntN(5) != 0 {
			return us[rng.IntN(len(us))]
		}
		return pick(0.2)
	}
	// stamp is what the organiser's screen shows of u: one time in five
	// a screen older than the last change.
	stamp := func(u int64) (string, bool) {
		if rng.IntN(5) == 0 {
			return "stale", true
		}
		var s string
		_ = r.db.View(func(tx *store.Tx) error {
			if p, err := tx.Participant("b", u); err == nil {
				s = p.Stamp()
			}
			return nil
		})
		return s, false
	}
	return []wlOp{
		{"staff-cancel-selection", 8, func() string {
			u := who()
			st, stale := stamp(u)
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				_, made, err = tx.StaffCancel(seats, u, st, "alasan", r.now)
				return err
			})
			var want []wlModelOffer
			var wantErr error
			switch s := m.status[u]; {
			case s == "":
				wantErr = store.ErrNotFound
			case stale || !s.HoldsPlace():
				wantErr = store.ErrChanged
			default:
				want, _ = m.cancel(u, r.now)
			}
			if !wlErrIs(err, wantErr) {
				r.fail("staff-cancel(u%d %s, stale %v) = %v, model: %v", u, m.status[u], stale, err, wantErr)
			}
			r.sameOffers(fmt.Sprintf("staff-cancel(u%d)", u), made, want)
			return fmt.Sprintf("staff-cancel(u%d stale=%v) → offers %s err %v", u, stale, wlFmtOffers(made, nil), err)
		}},
		{"staff-move-unseated", 3, func() string {
			u := who()
			if m.status[u] == store.StatusRegistered {
				return fmt.Sprintf("staff-move(u%d): seated, skipped", u)
			}
			st, _ := stamp(u)
			err := r.db.Update(func(tx *store.Tx) error {
				_, _, err := tx.MoveParticipant(seats, other, u, st, r.now)
				return err
			})
			switch s := m.status[u]; {
			case s == "":
				if !errors.Is(err, store.ErrNotFound) {
					r.fail("staff-move(u%d) of nobody = %v", u, err)
				}
			case !errors.Is(err, store.ErrChanged):
				r.fail("staff-move(u%d %s) = %v, want a refusal", u, s, err)
			case st != "stale" && s.HoldsPlace() && !errors.Is(err, store.ErrNotSeated):
				r.fail("staff-move(u%d %s) = %v, want ErrNotSeated", u, s, err)
			}
			return fmt.Sprintf("staff-move(u%d) → err %v", u, err)
		}},
	}
}
