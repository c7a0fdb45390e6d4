package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that an organiser's cancellation works on each place of a
// selection batch: an application is withdrawn (its decision counts no
// more), the seat held for a selected person goes to the first reserve as
// an offer, a reserve leaves the list with those behind moving up; each
// person is told with the reason; and that none of these is moved.
func TestTx_StaffCancel_Selection(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(2)
	other := wlSeats("o", 5, wlStartIn(60))
	stampOf := func(tx *store.Tx, u int64) string {
		t.Helper()
		p, err := tx.Participant("s", u)
		if err != nil {
			t.Fatalf("user %d: %v", u, err)
		}
		return p.Stamp()
	}
	cancel := func(tx *store.Tx, u int64, reason string) []store.Offer {
		t.Helper()
		p, offers, err := tx.StaffCancel(seats, u, stampOf(tx, u), reason, wlNow.Add(time.Hour))
		if err != nil || p.Status != store.StatusCancelled {
			t.Fatalf("StaffCancel(%d) = %+v, %v", u, p, err)
		}
		return offers
	}
	told := func(u int64, reason string) {
		t.Helper()
		queued, err := db.Queued(wlNow.Add(2*time.Hour), 1000, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range queued {
			if p, err := e.Notice(); err == nil && p.Notice == store.NoticeStaffCancelled && e.UserID == u {
				n++
				if e.Data["reason"] != reason || e.Data["batch"] != "s" || e.ChatID != 1000+u {
					t.Errorf("user %d told %+v, want reason %q", u, e, reason)
				}
			}
		}
		if n != 1 {
			t.Errorf("user %d told %d times, want once", u, n)
		}
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 7; u++ { // 7 stays undecided: not selected
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
		}
		for u, st := range map[int64]store.Status{1: store.StatusSelected, 2: store.StatusSelected,
			3: store.StatusReserve} {
			if err := tx.Decide(seats, u, st, wlNow); err != nil {
				return err
			}
		}
		for _, u := range []int64{4, 5} { // reserves 2 and 3, in this order
			if err := tx.Decide(seats, u, store.StatusReserve, wlNow); err != nil {
				return err
			}
		}
		return nil
	})

	// An application, decided selected: withdrawn, its seat free for
	// another decision.
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, _, err := tx.MoveParticipant(seats, other, 1, stampOf(tx, 1), wlNow); !errors.Is(err, store.ErrNotSeated) || !errors.Is(err, store.ErrChanged) {
			t.Errorf("moving an applicant = %v, want ErrNotSeated", err)
		}
		if offers := cancel(tx, 1, "tidak jadi melamar"); len(offers) != 0 {
			t.Errorf("withdrawing an application made offers %+v", offers)
		}
		as, err := tx.Applicants("s")
		if err != nil {
			return err
		}
		if n := store.CountDecisions(as); n != (store.SelectionCounts{Applied: 6, Selected: 1, Reserve: 3, Undecided: 2}) {
			t.Errorf("counts after withdrawing %+v", n)
		}
		if err := tx.Decide(seats, 6, store.StatusSelected, wlNow); err != nil {
			t.Errorf("selecting in the withdrawn applicant's place: %v", err)
		}
		if err := tx.Decide(seats, 1, store.StatusSelected, wlNow); !errors.Is(err, store.ErrNotApplicant) {
			t.Errorf("deciding on the withdrawn application = %v, want ErrNotApplicant", err)
		}
		_, made, err := tx.SendResults(seats, wlNow)
		if err != nil || len(made) != 0 {
			t.Fatalf("SendResults = %+v, %v", made, err)
		}
		return nil
	})
	if o, ok := offerTo(t, db, 1); ok {
		t.Errorf("the withdrawn applicant holds %+v", o)
	}

	// A selected person (2, and 6): the seat goes to reserve 3 as Tidak
	// jadi would give it.
	mustUpdate(t, db, func(tx *store.Tx) error {
		if r, _ := tx.ReserveRank("s", 5); r != 3 {
			t.Fatalf("user 5 is reserve %d before, want 3", r)
		}
		if _, _, err := tx.MoveParticipant(seats, other, 2, stampOf(tx, 2), wlNow); !errors.Is(err, store.ErrNotSeated) {
			t.Errorf("moving a selected person = %v, want ErrNotSeated", err)
		}
		offers := cancel(tx, 2, "sakit")
		if len(offers) != 1 || offers[0].UserID != 3 || offers[0].Kind != store.OfferWaiting {
			t.Errorf("cancelling a selected person offered %+v, want the seat to user 3", offers)
		}
		if _, ok, _ := tx.OfferOf("s", 2); ok {
			t.Error("the cancelled selected person still holds the seat")
		}
		return nil
	})

	// A reserve (4, rank 2): those behind move up, no gap.
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, _, err := tx.StaffCancel(seats, 4, "registered.9.0.0", "", wlNow); !errors.Is(err, store.ErrChanged) {
			t.Errorf("StaffCancel of a reserve with an old stamp = %v, want ErrChanged", err)
		}
		if _, _, err := tx.MoveParticipant(seats, other, 4, stampOf(tx, 4), wlNow); !errors.Is(err, store.ErrNotSeated) {
			t.Errorf("moving a reserve = %v, want ErrNotSeated", err)
		}
		before, _ := tx.WaitingPosition("s", 5)
		if offers := cancel(tx, 4, ""); len(offers) != 0 {
			t.Errorf("cancelling a reserve made offers %+v", offers)
		}
		if r, _ := tx.ReserveRank("s", 5); r != 2 {
			t.Errorf("user 5 is reserve %d after, want 2", r)
		}
		if after, _ := tx.WaitingPosition("s", 5); after != before-1 {
			t.Errorf("user 5 waits at %d after, want %d", after, before-1)
		}
		if n, _ := tx.WaitingCount("s"); n != 3 { // 6 (selected), 3 (offered), 5
			t.Errorf("%d waiting, want 3", n)
		}
		return nil
	})
	told(1, "tidak jadi melamar")
	told(2, "sakit")
	told(4, "")
	// The one not selected holds no place, nor one cancelled already.
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, u := range []int64{7, 2} {
			if _, _, err := tx.StaffCancel(seats, u, stampOf(tx, u), "", wlNow); !errors.Is(err, store.ErrChanged) {
				t.Errorf("StaffCancel(%d) = %v, want ErrChanged", u, err)
			}
		}
		return nil
	})
}

// offerTo returns the offer user holds in the selection batch "s".
func offerTo(t *testing.T, db *store.DB, user int64) (store.Offer, bool) {
	t.Helper()
	var o store.Offer
	var ok bool
	if err := db.View(func(tx *store.Tx) error {
		var err error
		o, ok, err = tx.OfferOf("s", user)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return o, ok
}
