package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// selSeats is a selection batch of capacity seats starting in 30 days,
// 48 hours to confirm, 24 to claim a freed seat.
func selSeats(capacity int) store.Seats {
	s := wlSeats("s", capacity, wlStartIn(30))
	s.Batch.Admission = store.Admission{Selection: true, ConfirmWindow: 48 * time.Hour}
	return s
}

// Ensure that an application is a place: taken by the batch rules of a
// seat (open, not started, no overlap), once, without a seat and without
// a bound on how many apply; and that it rules out an overlapping batch.
func TestTx_Apply(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(1)
	other := wlSeats("o", 5, wlStartIn(31)) // shares days with s
	seats.Batches = []store.Batch{seats.Batch, other.Batch}
	other.Batches = seats.Batches
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 3; u++ { // more than the seats
			p, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow)
			if err != nil || p.Status != store.StatusApplied || p.Seat != 0 {
				t.Errorf("user %d: %+v, %v; want an application", u, p, err)
			}
		}
		if _, err := tx.TakeSeat(seats, wlPerson("s", 1), wlNow); !errors.Is(err, store.ErrAlreadyApplied) {
			t.Errorf("applying twice: %v", err)
		}
		if _, err := tx.TakeSeat(other, wlPerson("o", 1), wlNow); !errors.Is(err, store.ErrOverlap) {
			t.Errorf("a seat overlapping an application: %v", err)
		}
		if _, err := tx.JoinWaitingList(seats, wlPerson("s", 9), wlNow); !errors.Is(err, store.ErrBatchClosed) {
			t.Errorf("the waiting list before the results: %v", err)
		}
		started := seats
		started.Batch.Start = wlStartIn(-1)
		if _, err := tx.TakeSeat(started, wlPerson("s", 8), wlNow); !errors.Is(err, store.ErrBatchStarted) {
			t.Errorf("applying after the start: %v", err)
		}
		if n, err := tx.SeatsTaken("s"); err != nil || n != 0 {
			t.Errorf("seats taken %d, %v: applications hold none", n, err)
		}
		return nil
	})
}

// Ensure that decisions change until the results go out, never select
// more than the seats, rank reserves by the order of deciding, and that
// the results reach every applicant once, seat the selected on
// confirmation and hand a seat given up to the first reserve.
func TestTx_SendResults(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(2)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 6; u++ {
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
		}
		decide := func(u int64, st store.Status, want error) {
			t.Helper()
			if err := tx.Decide(seats, u, st, wlNow); !wlErrIs(err, want) {
				t.Errorf("decide(%d, %s) = %v, want %v", u, st, err, want)
			}
		}
		decide(1, store.StatusSelected, nil)
		decide(2, store.StatusSelected, nil)
		decide(3, store.StatusSelected, store.ErrSelectionFull)
		decide(2, store.StatusReserve, nil) // changed
		decide(3, store.StatusSelected, nil)
		decide(4, store.StatusReserve, nil)
		decide(5, store.StatusNotSelected, nil)
		decide(9, store.StatusSelected, store.ErrNotApplicant)
		as, err := tx.Applicants("s")
		if err != nil {
			return err
		}
		if n := store.CountDecisions(as); n != (store.SelectionCounts{Applied: 6, Selected: 2, Reserve: 2, NotSelected: 1, Undecided: 1}) {
			t.Errorf("counts %+v", n)
		}
		if as[1].Reserve != 1 || as[3].Reserve != 2 {
			t.Errorf("reserve ranks: user 2 %d, user 4 %d; want 1, 2", as[1].Reserve, as[3].Reserve)
		}
		n, made, err := tx.SendResults(seats, wlNow)
		if err != nil || n.Selected != 2 || len(made) != 0 {
			t.Fatalf("SendResults = %+v, %v, %v", n, made, err)
		}
		if _, _, err := tx.SendResults(seats, wlNow); !errors.Is(err, store.ErrResultsSent) {
			t.Errorf("sending twice: %v", err)
		}
		decide(6, store.StatusSelected, store.ErrResultsSent)
		want := map[int64]store.Status{1: store.StatusSelected, 2: store.StatusReserve, 3: store.StatusSelected,
			4: store.StatusReserve, 5: store.StatusNotSelected, 6: store.StatusNotSelected}
		for u, st := range want {
			p, err := tx.Participant("s", u)
			if err != nil || p.Status != st {
				t.Errorf("user %d is %q (%v), want %q", u, p.Status, err, st)
			}
			e, err := tx.OutboxByKey(store.ResultKey("s", u))
			if err != nil || e.Kind != store.KindResult {
				t.Errorf("user %d: result %+v, %v", u, e, err)
			}
		}
		if r, _ := tx.ReserveRank("s", 4); r != 2 {
			t.Errorf("user 4 is reserve %d, want 2", r)
		}
		offers, _ := tx.Offers("s")
		if len(offers) != 2 || offers[0].Kind != store.OfferSelected || !offers[0].Until.Equal(wlNow.Add(48*time.Hour)) {
			t.Errorf("offers %+v: want the two selected's seats held for 48 h", offers)
		}
		if p, err := tx.AcceptOffer(seats, 1, wlNow.Add(time.Hour)); err != nil || p.Status != store.StatusRegistered || p.Seat != 1 {
			t.Errorf("user 1 confirming: %+v, %v", p, err)
		}
		made, err = tx.DeclineOffer(seats, 3, wlNow.Add(time.Hour))
		if err != nil || len(made) != 1 || made[0].UserID != 2 || made[0].Kind != store.OfferWaiting {
			t.Errorf("user 3 giving up: offers %+v, %v; want one to user 2, the first reserve", made, err)
		}
		// After the results, what is left is first come: behind the reserves.
		if _, err := tx.TakeSeat(seats, wlPerson("s", 7), wlNow.Add(time.Hour)); !errors.Is(err, store.ErrBatchFull) {
			t.Errorf("a newcomer after the results: %v, want the waiting list", err)
		}
		if pos, err := tx.JoinWaitingList(seats, wlPerson("s", 7), wlNow.Add(time.Hour)); err != nil || pos != 3 {
			t.Errorf("the newcomer waits at %d, %v; want 3, behind two reserves", pos, err)
		}
		return nil
	})
}

// Ensure that an erasure leaves no decision or "still coming?" answer
// behind, and that a withdrawn application counts no more.
func TestTx_Erase_Admission(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(2)
	first := wlSeats("f", 2, wlStartIn(60))
	first.Batch.Admission = store.Admission{AskDaysBefore: 3, ConfirmWindow: 24 * time.Hour}
	all := []store.Seats{seats, first}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, u := range []int64{1, 2} {
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
			if err := tx.Decide(seats, u, store.StatusSelected, wlNow); err != nil {
				return err
			}
			if _, err := tx.TakeSeat(first, wlPerson("f", u), wlNow); err != nil {
				return err
			}
		}
		ask, _ := first.Batch.AskAt()
		if n, err := tx.AskStillComing(first.Batch, ask); err != nil || n != 2 {
			t.Errorf("asked %d, %v", n, err)
		}
		if _, err := tx.Erase(all, 1, ask); err != nil {
			return err
		}
		if _, err := tx.CancelRegistration(seats, 2, ask); err != nil {
			return err
		}
		as, err := tx.Applicants("s")
		if err != nil || len(as) != 0 {
			t.Errorf("applicants %+v, %v; want none", as, err)
		}
		if _, ok, _ := tx.StillComingOf("f", 1); ok {
			t.Errorf("the erased person's question is still stored")
		}
		if _, ok, _ := tx.StillComingOf("f", 2); !ok {
			t.Errorf("the other person's question is gone")
		}
		return nil
	})
}

// Ensure that /tutup after the results ends the applications, not the
// results: the selected keep their held seats and confirm them, and a
// seat given up still goes to the first reserve; newcomers are refused.
func TestTx_SendResults_Closed(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(1)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 3; u++ {
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
		}
		for u, st := range map[int64]store.Status{1: store.StatusSelected, 2: store.StatusReserve} {
			if err := tx.Decide(seats, u, st, wlNow); err != nil {
				return err
			}
		}
		if _, _, err := tx.SendResults(seats, wlNow); err != nil {
			return err
		}
		if err := tx.SetBatchOpen("s", false, 99, wlNow); err != nil {
			return err
		}
		if _, withdrawn, err := tx.SettleOffers(seats, wlNow); err != nil || len(withdrawn) != 0 {
			t.Errorf("/tutup withdrew %+v, %v; want the selected's seat kept", withdrawn, err)
		}
		made, err := tx.DeclineOffer(seats, 1, wlNow.Add(time.Hour))
		if err != nil || len(made) != 1 || made[0].UserID != 2 {
			t.Errorf("the selected giving up after /tutup: offers %+v, %v; want one to the reserve", made, err)
		}
		if p, err := tx.AcceptOffer(seats, 2, wlNow.Add(2*time.Hour)); err != nil || p.Status != store.StatusRegistered {
			t.Errorf("the reserve accepting after /tutup: %+v, %v", p, err)
		}
		if _, err := tx.TakeSeat(seats, wlPerson("s", 4), wlNow.Add(2*time.Hour)); !errors.Is(err, store.ErrBatchClosed) {
			t.Errorf("a newcomer after /tutup: %v, want ErrBatchClosed", err)
		}
		return nil
	})
}

// Ensure that AudienceApplicants reaches everyone still in a batch's
// selection: every applicant before the results, after them the selected
// (confirmed or not) and the reserves, never the not selected nor those
// of another batch.
func TestTx_Recipients_Applicants(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(2)
	users := func(rs []store.Recipient) []int64 {
		var out []int64
		for _, r := range rs {
			out = append(out, r.UserID)
		}
		return out
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 5; u++ {
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
		}
		if _, err := tx.TakeSeat(wlSeats("o", 5, wlStartIn(60)), wlPerson("o", 9), wlNow); err != nil {
			return err
		}
		if rs, err := tx.Recipients(store.AudienceApplicants("s")); err != nil || !slices.Equal(users(rs), []int64{1, 2, 3, 4, 5}) {
			t.Errorf("before the results: %v, %v; want every applicant", users(rs), err)
		}
		for u, st := range map[int64]store.Status{1: store.StatusSelected, 2: store.StatusSelected, 3: store.StatusReserve, 4: store.StatusNotSelected} {
			if err := tx.Decide(seats, u, st, wlNow); err != nil {
				return err
			}
		}
		if _, _, err := tx.SendResults(seats, wlNow); err != nil {
			return err
		}
		if _, err := tx.AcceptOffer(seats, 1, wlNow.Add(time.Hour)); err != nil {
			return err
		}
		if rs, err := tx.Recipients(store.AudienceApplicants("s")); err != nil || !slices.Equal(users(rs), []int64{1, 2, 3}) {
			t.Errorf("after the results: %v, %v; want the selected (1 confirmed) and the reserve", users(rs), err)
		}
		return nil
	})
}
