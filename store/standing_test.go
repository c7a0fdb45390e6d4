package store_test

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that Holds matches batch and status together and that Active
// counts a seat or a waiting place, never a cancelled registration.
func TestRegistrations(t *testing.T) {
	rs := store.Registrations{
		{Batch: "a", Status: store.StatusRegistered},
		{Batch: "b", Status: store.StatusCancelled},
	}
	if !rs.Holds("a", store.StatusRegistered) || rs.Holds("a", store.StatusWaiting) || rs.Holds("c", store.StatusRegistered) {
		t.Errorf("Holds does not match batch and status together")
	}
	if !rs.Active() {
		t.Errorf("a seat is not active")
	}
	if (store.Registrations{{Batch: "b", Status: store.StatusCancelled}}).Active() {
		t.Errorf("a cancelled registration is active")
	}
	if !(store.Registrations{{Batch: "b", Status: store.StatusWaiting}}).Active() {
		t.Errorf("a waiting place is not active")
	}
}

// Ensure that Tx.Standing counts an offered seat as taken, gives the
// person's own offer, waiting position and days present, and agrees with
// the single reads it replaces.
func TestTx_Standing(t *testing.T) {
	db := mustOpen(t)
	a := wlSeats("a", 2, wlStartIn(3))
	b := wlSeats("b", 5, wlStartIn(10))
	wlFill(t, db, a, []int64{1, 2}, []int64{3, 4, 5})
	wlFill(t, db, b, []int64{4}, nil)
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.CancelRegistration(a, 1, wlNow); err != nil {
			return err
		}
		if err := tx.SetAttendance("b", 4, 1, true, 99, wlNow); err != nil {
			return err
		}
		return tx.SetUnreachable(4, wlNow)
	})
	batches := []store.Batch{a.Batch, b.Batch}
	err := db.View(func(tx *store.Tx) error {
		for _, user := range []int64{2, 3, 4, 6} {
			s, err := tx.Standing(batches, user, wlNow)
			if err != nil {
				return err
			}
			for _, bt := range batches {
				taken, _ := tx.SeatsTaken(bt.ID)
				offers, _ := tx.Offers(bt.ID)
				waiting, _ := tx.WaitingCount(bt.ID)
				pos, _ := tx.WaitingPosition(bt.ID, user)
				if s.Taken[bt.ID] != taken+len(offers) || s.Waiting[bt.ID] != waiting || s.Positions[bt.ID] != pos {
					t.Errorf("user %d, %s: taken %d waiting %d position %d, want %d, %d, %d",
						user, bt.ID, s.Taken[bt.ID], s.Waiting[bt.ID], s.Positions[bt.ID], taken+len(offers), waiting, pos)
				}
			}
			if s.Taken["a"] != 2 || !s.Full(a.Batch) || s.SeatsLeft(b.Batch) != 4 {
				t.Errorf("user %d: taken %v: the offered seat of a is not counted as taken", user, s.Taken)
			}
			if _, ok := s.Offers["a"]; ok != (user == 3) {
				t.Errorf("user %d: offers %v, want the offer only for user 3", user, s.Offers)
			}
			if s.Blocked != (user == 4) || (user == 4 && (s.Present["b"] != 1 || len(s.SignedUp) != 2)) {
				t.Errorf("user %d: blocked %v, present %v, %d registrations", user, s.Blocked, s.Present, len(s.SignedUp))
			}
			if user == 6 && (len(s.SignedUp) != 0 || s.Positions["a"] != 0) {
				t.Errorf("a stranger has registrations %v", s.SignedUp)
			}
		}
		late, err := tx.Standing(batches, 3, wlNow.Add(30*24*time.Hour))
		if err != nil {
			return err
		}
		if len(late.Offers) != 0 {
			t.Errorf("an offer past its end is still the person's: %v", late.Offers)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that Standing lists the person's registrations in batches it was
// not asked about (removed from the config) in Elsewhere, so that
// /dataku shows everything stored.
func TestTx_StandingElsewhere(t *testing.T) {
	db := mustOpen(t)
	gone := wlSeats("dihapus", 2, wlStartIn(10))
	now := wlSeats("b", 2, wlStartIn(20))
	seatWithName(t, db, gone, "Sulastri")
	var s store.Standing
	if err := db.View(func(tx *store.Tx) error {
		var err error
		s, err = tx.Standing([]store.Batch{now.Batch}, 1, wlNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(s.SignedUp) != 0 || len(s.Elsewhere) != 1 || s.Elsewhere[0].Batch != "dihapus" {
		t.Errorf("Standing: signed up %+v, elsewhere %+v; want only the registration in dihapus, elsewhere", s.SignedUp, s.Elsewhere)
	}
}
