package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// settle runs SettleOffers on seats at now in its own transaction.
func settle(tb testing.TB, db *store.DB, seats store.Seats, now time.Time) (made, withdrawn []store.Offer) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		var err error
		made, withdrawn, err = tx.SettleOffers(seats, now)
		return err
	})
	return made, withdrawn
}

// setOpen is /buka (open) or /tutup as the bot does it: the decision and
// SettleOffers in one transaction.
func setOpen(tb testing.TB, db *store.DB, seats store.Seats, open bool, now time.Time) (made, withdrawn []store.Offer) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		if err := tx.SetBatchOpen(seats.Batch.ID, open, 99, now); err != nil {
			return err
		}
		var err error
		made, withdrawn, err = tx.SettleOffers(seats, now)
		return err
	})
	return made, withdrawn
}

// Ensure that /tutup hands out no more seats: the outstanding offers are
// withdrawn with a notice, their holders keep their waiting places at the
// head of the line, an offer cannot be accepted, a seat freed meanwhile
// is offered to nobody; and that /buka offers the free seats again, to
// the same people first.
func TestTx_SettleOffers_Closed(t *testing.T) {
	a := wlSeats("a", 2, wlStartIn(10))
	db := mustOpen(t)
	wlFill(t, db, a, []int64{1, 2}, []int64{3, 4, 5})
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(a, 1, wlNow)
		return err
	})
	offers := wlOffers(t, db, "a")
	if got := wlOfferUsers(offers); !slices.Equal(got, []int64{3}) {
		t.Fatalf("offers after a cancellation: %v, want 3's", got)
	}

	now := wlNow.Add(time.Hour)
	made, withdrawn := setOpen(t, db, a, false, now)
	if len(made) != 0 || !slices.Equal(wlOfferUsers(withdrawn), []int64{3}) {
		t.Fatalf("/tutup made %v and withdrew %v, want 3's withdrawn", wlOfferUsers(made), wlOfferUsers(withdrawn))
	}
	if got := wlOffers(t, db, "a"); len(got) != 0 {
		t.Fatalf("offers after /tutup: %v", wlOfferUsers(got))
	}
	notice, err := wlOutbox(t, db, "withdrawn/"+offers[0].Key)
	if err != nil || notice.Kind != store.KindNotice || notice.UserID != 3 || notice.ChatID != 1003 {
		t.Fatalf("withdrawal notice = %+v, %v", notice, err)
	}
	if n, err := notice.Notice(); err != nil || n.Notice != store.NoticeOfferWithdrawn || n.Batch != "a" {
		t.Fatalf("withdrawal notice payload = %+v, %v", n, err)
	}
	if got := wlWaiting(t, db, "a", 3, 4, 5); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("waiting positions after /tutup: %v, want 1 2 3", got)
	}
	err = db.Update(func(tx *store.Tx) error {
		_, err := tx.AcceptOffer(a, 3, now)
		return err
	})
	if !errors.Is(err, store.ErrBatchClosed) {
		t.Fatalf("AcceptOffer after /tutup = %v, want ErrBatchClosed", err)
	}
	// A seat freed while closed stays free.
	mustUpdate(t, db, func(tx *store.Tx) error {
		made, err := tx.CancelRegistration(a, 2, now)
		if len(made) != 0 {
			t.Errorf("a cancellation after /tutup offered %v", wlOfferUsers(made))
		}
		return err
	})
	if got := wlOffers(t, db, "a"); len(got) != 0 {
		t.Fatalf("offers after a cancellation while closed: %v", wlOfferUsers(got))
	}
	// /tutup again (a second organiser) changes nothing.
	if made, withdrawn := setOpen(t, db, a, false, now); len(made)+len(withdrawn) != 0 {
		t.Fatalf("a second /tutup made %v, withdrew %v", wlOfferUsers(made), wlOfferUsers(withdrawn))
	}

	later := now.Add(time.Hour)
	made, withdrawn = setOpen(t, db, a, true, later)
	if len(withdrawn) != 0 || !slices.Equal(wlOfferUsers(made), []int64{3, 4}) {
		t.Fatalf("/buka made %v and withdrew %v, want offers to 3 and 4", wlOfferUsers(made), wlOfferUsers(withdrawn))
	}
	var p store.Participant
	mustUpdate(t, db, func(tx *store.Tx) error {
		var err error
		p, err = tx.AcceptOffer(a, 3, later)
		return err
	})
	if p.Status != store.StatusRegistered {
		t.Fatalf("3 after accepting the new offer: %+v", p)
	}
}

// Ensure that a batch closed in the config (open = false) hands out no
// seats either: SettleOffers at the start withdraws offers made while it
// was open, and a cancellation offers nothing.
func TestTx_SettleOffers_ClosedInConfig(t *testing.T) {
	a := wlSeats("a", 1, wlStartIn(10))
	db := mustOpen(t)
	wlFill(t, db, a, []int64{1}, []int64{2})
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(a, 1, wlNow)
		return err
	})
	shut := a
	shut.Batch.Open = false
	if _, withdrawn := settle(t, db, shut, wlNow); !slices.Equal(wlOfferUsers(withdrawn), []int64{2}) {
		t.Fatalf("start with the batch closed in the config withdrew %v, want 2's offer", wlOfferUsers(withdrawn))
	}
	if got := wlWaiting(t, db, "a", 2); got[0] != 1 {
		t.Fatalf("2 waits at %d, want 1", got[0])
	}
}

// Ensure that a capacity raised in the config lets the people waiting in
// at the next start, in order, as far as the new seats go; and that a
// batch already started or without anyone waiting gets no offer.
func TestTx_SettleOffers_CapacityRaised(t *testing.T) {
	db := mustOpen(t)
	wlFill(t, db, wlSeats("a", 1, wlStartIn(10)), []int64{1}, []int64{2, 3, 4})
	if made, _ := settle(t, db, wlSeats("a", 1, wlStartIn(10)), wlNow); len(made) != 0 {
		t.Fatalf("the same capacity made offers %v", wlOfferUsers(made))
	}
	made, withdrawn := settle(t, db, wlSeats("a", 3, wlStartIn(10)), wlNow)
	if len(withdrawn) != 0 || !slices.Equal(wlOfferUsers(made), []int64{2, 3}) {
		t.Fatalf("capacity 1 → 3 made %v (withdrew %v), want offers to 2 and 3", wlOfferUsers(made), wlOfferUsers(withdrawn))
	}
	for _, o := range made {
		if e, err := wlOutbox(t, db, o.Key); err != nil || e.Kind != store.KindOffer || e.UserID != o.UserID {
			t.Errorf("offer to %d: outbox entry %+v, %v", o.UserID, e, err)
		}
	}
	// Settling again makes no second offer.
	if made, _ := settle(t, db, wlSeats("a", 3, wlStartIn(10)), wlNow); len(made) != 0 {
		t.Fatalf("a second start made offers %v", wlOfferUsers(made))
	}

	wlFill(t, db, wlSeats("b", 1, wlStartIn(1)), []int64{1}, []int64{2})
	started := wlStartIn(1).Add(9 * time.Hour)
	if made, _ := settle(t, db, wlSeats("b", 5, wlStartIn(1)), started); len(made) != 0 {
		t.Fatalf("a started batch made offers %v", wlOfferUsers(made))
	}
	if made, withdrawn := settle(t, db, wlSeats("c", 5, wlStartIn(10)), wlNow); len(made)+len(withdrawn) != 0 {
		t.Fatalf("a batch nobody waits for: made %v, withdrew %v", wlOfferUsers(made), wlOfferUsers(withdrawn))
	}
}

// Ensure that DB.SettleOffers settles every batch it is given and says
// where something changed.
func TestDB_SettleOffers(t *testing.T) {
	db := mustOpen(t)
	wlFill(t, db, wlSeats("a", 1, wlStartIn(10)), []int64{1}, []int64{2})
	wlFill(t, db, wlSeats("b", 1, wlStartIn(10)), []int64{3}, []int64{4})
	got, err := db.SettleOffers([]store.Seats{wlSeats("a", 2, wlStartIn(10)), wlSeats("b", 1, wlStartIn(10))}, wlNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.OffersSettled{{Batch: "a", Offered: 1}}; !slices.Equal(got, want) {
		t.Fatalf("SettleOffers = %+v, want %+v", got, want)
	}
}
