package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// wlNow is the fake clock's reading at the start of every waiting-list test.
var wlNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// wlSeats returns the seats of batch id: capacity seats, sessions from
// 08:00 on the day that starts, 24 hours to claim a freed seat.
func wlSeats(id string, capacity int, start time.Time) store.Seats {
	return store.Seats{
		Batch: store.Batch{
			ID: id, Name: "Angkatan " + id, Start: start, Days: 3, Capacity: capacity,
			DailyStart: "08:00", DailyEnd: "15:00", Open: true,
		},
		Claim: 24 * time.Hour,
	}
}

// wlStartIn returns the midnight days after wlNow's day: a batch's Start.
func wlStartIn(days int) time.Time {
	return time.Date(wlNow.Year(), wlNow.Month(), wlNow.Day()+days, 0, 0, 0, 0, time.UTC)
}

// wlPerson returns user's registration in batch as the bot builds it.
func wlPerson(batch string, user int64) store.Participant {
	return store.Participant{
		UserID: user, ChatID: 1000 + user, Batch: batch, Lang: "id",
		Answers:   map[string]string{"name": fmt.Sprintf("Peserta %d", user)},
		ConsentAt: wlNow, RegisteredAt: wlNow,
	}
}

// wlRegister registers p the way the bot does: a seat when one is free,
// else a place on the waiting list. It returns the seat or the position.
func wlRegister(tx *store.Tx, seats store.Seats, p store.Participant, now time.Time) (seat, pos int, err error) {
	got, err := tx.TakeSeat(seats, p, now)
	if errors.Is(err, store.ErrBatchFull) {
		pos, err = tx.JoinWaitingList(seats, p, now)
		return 0, pos, err
	}
	if err != nil {
		return 0, 0, err
	}
	return got.Seat, 0, nil
}

// wlOfferKey is the outbox key of an offer, as waitlist.go builds it.
func wlOfferKey(batch string, user int64, until time.Time) string {
	return fmt.Sprintf("offer/%s/%d/%d", batch, user, until.Unix())
}

// wlExpiredKey is the outbox key of an offer's expiry notice, as
// waitlist.go builds it.
func wlExpiredKey(batch string, user int64, until time.Time) string {
	return fmt.Sprintf("offer-expired/%s/%d/%d", batch, user, until.Unix())
}

// wlFill seats registered and then puts waiting on the waiting list, in
// order, in batch seats.Batch, failing the test when one does not land
// where asked.
func wlFill(tb testing.TB, db *store.DB, seats store.Seats, registered, waiting []int64) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		for _, u := range registered {
			if _, err := tx.ConfirmSeat(wlPerson(seats.Batch.ID, u), seats.Batch.Capacity); err != nil {
				return fmt.Errorf("user %d: %w", u, err)
			}
		}
		for _, u := range waiting {
			if _, err := tx.JoinWaitingList(seats, wlPerson(seats.Batch.ID, u), wlNow); err != nil {
				return fmt.Errorf("user %d: %w", u, err)
			}
		}
		return nil
	})
}

// wlOffers returns the outstanding offers of batch.
func wlOffers(tb testing.TB, db *store.DB, batch string) []store.Offer {
	tb.Helper()
	var out []store.Offer
	err := db.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Offers(batch)
		return err
	})
	if err != nil {
		tb.Fatalf("Offers(%s): %v", batch, err)
	}
	return out
}

// wlWaiting returns the waiting position of every user in users (0: not
// waiting).
func wlWaiting(tb testing.TB, db *store.DB, batch string, users ...int64) []int {
	tb.Helper()
	out := make([]int, len(users))
	err := db.View(func(tx *store.Tx) error {
		for i, u := range users {
			var err error
			if out[i], err = tx.WaitingPosition(batch, u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("WaitingPosition: %v", err)
	}
	return out
}

// wlParticipant returns user's registration in batch; ErrNotFound is
// returned, anything else fails the test.
func wlParticipant(tb testing.TB, db *store.DB, batch string, user int64) (store.Participant, error) {
	tb.Helper()
	var p store.Participant
	err := db.View(func(tx *store.Tx) error {
		var err error
		p, err = tx.Participant(batch, user)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		tb.Fatalf("Participant(%s, %d): %v", batch, user, err)
	}
	return p, err
}

// wlOutbox returns the outbox entry with key, or ErrNotFound.
func wlOutbox(tb testing.TB, db *store.DB, key string) (store.OutboxEntry, error) {
	tb.Helper()
	var e store.OutboxEntry
	err := db.View(func(tx *store.Tx) error {
		var err error
		e, err = tx.OutboxByKey(key)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		tb.Fatalf("OutboxByKey(%s): %v", key, err)
	}
	return e, err
}

// wlOfferUsers returns the users holding the offers, in order.
func wlOfferUsers(offers []store.Offer) []int64 {
	var out []int64
	for _, o := range offers {
		out = append(out, o.UserID)
	}
	return out
}

// Ensure that the waiting list hands out freed seats in order, through
// offers that can be claimed, declined or left to expire, and that erasure
// and retention leave nothing personal behind.
func TestWaitingList(t *testing.T) {
	start := wlStartIn(30)
	seats := wlSeats("b", 2, start)

	t.Run("JoinReturnsPositionsInOrderAndIsIdempotent", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, nil)
		var got []int
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, u := range []int64{3, 4, 5, 4} {
				pos, err := tx.JoinWaitingList(seats, wlPerson("b", u), wlNow)
				if err != nil {
					return err
				}
				got = append(got, pos)
			}
			return nil
		})
		if want := []int{1, 2, 3, 2}; !slices.Equal(got, want) {
			t.Errorf("positions of 3, 4, 5, 4 again = %v, want %v", got, want)
		}
		if got, want := wlWaiting(t, db, "b", 3, 4, 5, 1), []int{1, 2, 3, 0}; !slices.Equal(got, want) {
			t.Errorf("WaitingPosition(3, 4, 5, 1) = %v, want %v", got, want)
		}
		p, _ := wlParticipant(t, db, "b", 4)
		if p.Status != store.StatusWaiting || p.Seat != 0 {
			t.Errorf("user 4 = %s seat %d, want waiting without a seat", p.Status, p.Seat)
		}
	})

	t.Run("RegisteredPersonCannotJoin", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1}, nil)
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.JoinWaitingList(seats, wlPerson("b", 1), wlNow)
			return err
		})
		if !errors.Is(err, store.ErrAlreadyRegistered) {
			t.Fatalf("JoinWaitingList(registered) = %v, want ErrAlreadyRegistered", err)
		}
		if p, _ := wlParticipant(t, db, "b", 1); p.Status != store.StatusRegistered || p.Seat != 1 {
			t.Errorf("user 1 = %s seat %d, want registered on seat 1", p.Status, p.Seat)
		}
		if got := wlWaiting(t, db, "b", 1); got[0] != 0 {
			t.Errorf("WaitingPosition(1) = %d, want 0", got[0])
		}
	})

	t.Run("CancelOffersSeatToFirstWaiting", func(t *testing.T) {
		sessionStart := seats.Batch.SessionStart(1)
		for _, tc := range []struct {
			name      string
			now       time.Time
			wantUntil time.Time
		}{
			{"ClaimWindow", wlNow, wlNow.Add(24 * time.Hour)},
			{"CutAtFirstSession", sessionStart.Add(-3 * time.Hour), sessionStart},
		} {
			t.Run(tc.name, func(t *testing.T) {
				db := mustOpen(t)
				wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
				var made []store.Offer
				mustUpdate(t, db, func(tx *store.Tx) error {
					var err error
					made, err = tx.CancelRegistration(seats, 1, tc.now)
					return err
				})
				want := store.Offer{Batch: "b", UserID: 3, ChatID: 1003, Until: tc.wantUntil, Key: wlOfferKey("b", 3, tc.wantUntil)}
				if len(made) != 1 || made[0] != want {
					t.Fatalf("CancelRegistration made %+v, want [%+v]", made, want)
				}
				if got := wlOffers(t, db, "b"); len(got) != 1 || !got[0].Until.Equal(want.Until) || got[0].UserID != 3 {
					t.Errorf("Offers = %+v, want [%+v]", got, want)
				}
				e, err := wlOutbox(t, db, wlOfferKey("b", 3, tc.wantUntil))
				if err != nil {
					t.Fatalf("offer outbox entry: %v", err)
				}
				if e.Kind != store.KindOffer || e.UserID != 3 || e.ChatID != 1003 || e.Status != store.OutboxQueued ||
					e.Data["batch"] != "b" || e.Data["until"] != tc.wantUntil.Format(time.RFC3339) {
					t.Errorf("offer outbox entry = %+v", e)
				}
				if p, _ := wlParticipant(t, db, "b", 1); p.Status != store.StatusCancelled || p.Seat != 0 || !p.CancelledAt.Equal(tc.now) {
					t.Errorf("user 1 = %s seat %d cancelled at %v, want cancelled at %v", p.Status, p.Seat, p.CancelledAt, tc.now)
				}
				if got, want := wlWaiting(t, db, "b", 3, 4), []int{1, 2}; !slices.Equal(got, want) {
					t.Errorf("positions of 3, 4 = %v, want %v: an offer keeps the place", got, want)
				}
			})
		}
	})

	t.Run("AcceptWithinWindowTakesLowestFreeSeat", func(t *testing.T) {
		seats := wlSeats("b", 3, start)
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2, 3}, []int64{4, 5})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 2, wlNow)
			return err
		})
		var p store.Participant
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			p, err = tx.AcceptOffer(seats, 4, wlNow.Add(24*time.Hour-time.Second))
			return err
		})
		if p.Status != store.StatusRegistered || p.Seat != 2 || p.UserID != 4 {
			t.Errorf("AcceptOffer = user %d %s seat %d, want user 4 registered on seat 2", p.UserID, p.Status, p.Seat)
		}
		if stored, _ := wlParticipant(t, db, "b", 4); stored.Status != store.StatusRegistered || stored.Seat != 2 {
			t.Errorf("stored user 4 = %s seat %d, want registered on seat 2", stored.Status, stored.Seat)
		}
		if got, want := wlWaiting(t, db, "b", 4, 5), []int{0, 1}; !slices.Equal(got, want) {
			t.Errorf("positions of 4, 5 = %v, want %v", got, want)
		}
		if got := wlOffers(t, db, "b"); len(got) != 0 {
			t.Errorf("Offers = %+v, want none", got)
		}
		if got := seatsTaken(t, db, "b"); got != 3 {
			t.Errorf("SeatsTaken = %d, want 3", got)
		}
	})

	t.Run("AcceptAfterUntilIsRefused", func(t *testing.T) {
		for _, late := range []time.Duration{0, time.Minute, 72 * time.Hour} {
			t.Run(late.String(), func(t *testing.T) {
				db := mustOpen(t)
				wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
				mustUpdate(t, db, func(tx *store.Tx) error {
					_, err := tx.CancelRegistration(seats, 1, wlNow)
					return err
				})
				err := db.Update(func(tx *store.Tx) error {
					_, err := tx.AcceptOffer(seats, 3, wlNow.Add(24*time.Hour+late))
					return err
				})
				if !errors.Is(err, store.ErrNoOffer) {
					t.Fatalf("AcceptOffer at Until+%v = %v, want ErrNoOffer", late, err)
				}
				if p, _ := wlParticipant(t, db, "b", 3); p.Status != store.StatusWaiting {
					t.Errorf("user 3 = %s, want still waiting until the expiry runs", p.Status)
				}
				if got := seatsTaken(t, db, "b"); got != 1 {
					t.Errorf("SeatsTaken = %d, want 1", got)
				}
			})
		}
	})

	t.Run("AcceptWithoutOfferIsRefused", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, wlNow)
			return err
		})
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.AcceptOffer(seats, 4, wlNow)
			return err
		})
		if !errors.Is(err, store.ErrNoOffer) {
			t.Fatalf("AcceptOffer(second in line) = %v, want ErrNoOffer", err)
		}
	})

	t.Run("DeclinePassesSeatToNext", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4, 5})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, wlNow)
			return err
		})
		var made []store.Offer
		at := wlNow.Add(time.Hour)
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			made, err = tx.DeclineOffer(seats, 3, at)
			return err
		})
		if len(made) != 1 || made[0].UserID != 4 || !made[0].Until.Equal(at.Add(24*time.Hour)) {
			t.Errorf("DeclineOffer made %+v, want an offer to 4 until %v", made, at.Add(24*time.Hour))
		}
		if p, _ := wlParticipant(t, db, "b", 3); p.Status != store.StatusCancelled {
			t.Errorf("user 3 = %s, want cancelled", p.Status)
		}
		if got, want := wlWaiting(t, db, "b", 3, 4, 5), []int{0, 1, 2}; !slices.Equal(got, want) {
			t.Errorf("positions of 3, 4, 5 = %v, want %v", got, want)
		}
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.DeclineOffer(seats, 5, at)
			return err
		})
		if !errors.Is(err, store.ErrNoOffer) {
			t.Errorf("DeclineOffer(no offer) = %v, want ErrNoOffer", err)
		}
	})

	t.Run("ExpiryPassesSeatOnAndTellsThePerson", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, wlNow)
			return err
		})
		until := wlNow.Add(24 * time.Hour)
		expire := func(at time.Time) (expired, made []store.Offer) {
			t.Helper()
			mustUpdate(t, db, func(tx *store.Tx) error {
				var err error
				expired, made, err = tx.ExpireOffers(seats, at)
				return err
			})
			return expired, made
		}
		if expired, made := expire(until.Add(-time.Second)); len(expired)+len(made) != 0 {
			t.Fatalf("ExpireOffers before Until = %+v, %+v; want nothing", expired, made)
		}
		expired, made := expire(until)
		if got := wlOfferUsers(expired); !slices.Equal(got, []int64{3}) {
			t.Errorf("expired offers of %v, want [3]", got)
		}
		if len(made) != 1 || made[0].UserID != 4 || !made[0].Until.Equal(until.Add(24*time.Hour)) {
			t.Errorf("new offers %+v, want one to 4 until %v", made, until.Add(24*time.Hour))
		}
		if p, _ := wlParticipant(t, db, "b", 3); p.Status != store.StatusCancelled || !p.CancelledAt.Equal(until) {
			t.Errorf("user 3 = %s at %v, want cancelled at %v", p.Status, p.CancelledAt, until)
		}
		e, err := wlOutbox(t, db, wlExpiredKey("b", 3, until))
		if err != nil {
			t.Fatalf("expiry notice: %v", err)
		}
		if e.Kind != store.KindNotice || e.Data["notice"] != "offer_expired" || e.Data["batch"] != "b" ||
			e.UserID != 3 || e.ChatID != 1003 || e.Status != store.OutboxQueued {
			t.Errorf("expiry notice = %+v", e)
		}
		if _, err := wlOutbox(t, db, wlOfferKey("b", 4, until.Add(24*time.Hour))); err != nil {
			t.Errorf("offer to 4 in the outbox: %v", err)
		}
	})

	// Offers made at different moments end at different moments; the
	// expiry of one must leave the others alone.
	t.Run("ExpiryOfOneOfSeveralOffers", func(t *testing.T) {
		seats := wlSeats("b", 3, start)
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2, 3}, []int64{4, 5, 6})
		mustUpdate(t, db, func(tx *store.Tx) error {
			if _, err := tx.CancelRegistration(seats, 1, wlNow); err != nil {
				return err
			}
			_, err := tx.CancelRegistration(seats, 2, wlNow.Add(time.Hour))
			return err
		})
		var expired, made []store.Offer
		err := db.Update(func(tx *store.Tx) error {
			var err error
			expired, made, err = tx.ExpireOffers(seats, wlNow.Add(24*time.Hour))
			return err
		})
		if err != nil {
			t.Fatalf("ExpireOffers when the first of two offers ends: %v", err)
		}
		if got := wlOfferUsers(expired); !slices.Equal(got, []int64{4}) {
			t.Errorf("expired offers of %v, want [4]", got)
		}
		if got := wlOfferUsers(made); !slices.Equal(got, []int64{6}) {
			t.Errorf("new offers to %v, want [6]", got)
		}
		if got := wlOfferUsers(wlOffers(t, db, "b")); !slices.Equal(got, []int64{5, 6}) {
			t.Errorf("offers held by %v, want [5 6]", got)
		}
	})

	t.Run("ExpiryOfSeveralOffersAtOnce", func(t *testing.T) {
		seats := wlSeats("b", 3, start)
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2, 3}, []int64{4, 5, 6, 7})
		mustUpdate(t, db, func(tx *store.Tx) error {
			if _, err := tx.CancelRegistration(seats, 1, wlNow); err != nil {
				return err
			}
			_, err := tx.CancelRegistration(seats, 2, wlNow)
			return err
		})
		var expired, made []store.Offer
		err := db.Update(func(tx *store.Tx) error {
			var err error
			expired, made, err = tx.ExpireOffers(seats, wlNow.Add(24*time.Hour))
			return err
		})
		if err != nil {
			t.Fatalf("ExpireOffers when two offers end: %v", err)
		}
		if got := wlOfferUsers(expired); !slices.Equal(got, []int64{4, 5}) {
			t.Errorf("expired offers of %v, want [4 5]", got)
		}
		if got := wlOfferUsers(made); !slices.Equal(got, []int64{6, 7}) {
			t.Errorf("new offers to %v, want [6 7]", got)
		}
	})

	t.Run("NoOfferOnceBatchHasStarted", func(t *testing.T) {
		sessionStart := seats.Batch.SessionStart(1)
		for _, at := range []time.Time{sessionStart, sessionStart.Add(time.Hour), seats.Batch.End()} {
			t.Run(at.Format("01-02T15:04"), func(t *testing.T) {
				db := mustOpen(t)
				wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
				var made []store.Offer
				mustUpdate(t, db, func(tx *store.Tx) error {
					var err error
					made, err = tx.CancelRegistration(seats, 1, at)
					return err
				})
				if len(made) != 0 {
					t.Errorf("CancelRegistration at %v made %+v, want no offer", at, made)
				}
				if got := wlOffers(t, db, "b"); len(got) != 0 {
					t.Errorf("Offers = %+v, want none", got)
				}
			})
		}
		t.Run("ExpiryAtStart", func(t *testing.T) {
			db := mustOpen(t)
			wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
			mustUpdate(t, db, func(tx *store.Tx) error {
				_, err := tx.CancelRegistration(seats, 1, sessionStart.Add(-time.Hour))
				return err
			})
			var expired, made []store.Offer
			mustUpdate(t, db, func(tx *store.Tx) error {
				var err error
				expired, made, err = tx.ExpireOffers(seats, sessionStart)
				return err
			})
			if got := wlOfferUsers(expired); !slices.Equal(got, []int64{3}) {
				t.Errorf("expired offers of %v, want [3]", got)
			}
			if len(made) != 0 {
				t.Errorf("ExpireOffers at the start made %+v, want no offer", made)
			}
		})
	})

	t.Run("LeavingWithOfferPassesItOn", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, wlNow)
			return err
		})
		var made []store.Offer
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			made, err = tx.CancelRegistration(seats, 3, wlNow.Add(time.Minute))
			return err
		})
		if got := wlOfferUsers(made); !slices.Equal(got, []int64{4}) {
			t.Errorf("new offers to %v, want [4]", got)
		}
		if got := wlOfferUsers(wlOffers(t, db, "b")); !slices.Equal(got, []int64{4}) {
			t.Errorf("offers held by %v, want [4]", got)
		}
		if got, want := wlWaiting(t, db, "b", 3, 4), []int{0, 1}; !slices.Equal(got, want) {
			t.Errorf("positions of 3, 4 = %v, want %v", got, want)
		}
	})

	// A person told "full" may press "join the waiting list" after the
	// last seat was given back with nobody waiting: they must not wait
	// for a seat that stays free.
	t.Run("JoinAfterSeatFreedLosesNoSeat", func(t *testing.T) {
		seats := wlSeats("b", 1, start)
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1}, nil)
		if _, err := confirm(t, db, wlPerson("b", 2), 1); !errors.Is(err, store.ErrBatchFull) {
			t.Fatalf("ConfirmSeat(2) = %v, want ErrBatchFull", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, wlNow)
			return err
		})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.JoinWaitingList(seats, wlPerson("b", 2), wlNow)
			return err
		})
		waiting := wlWaiting(t, db, "b", 2)[0] > 0
		if taken, offers := seatsTaken(t, db, "b"), wlOffers(t, db, "b"); waiting && len(offers) == 0 && taken < 1 {
			_, err := confirm(t, db, wlPerson("b", 3), 1)
			t.Errorf("user 2 waits with no offer while %d of 1 seats is taken; a newcomer's ConfirmSeat = %v", taken, err)
		}
	})

	// The outbox keeps one entry per key forever; a second offer to the
	// same person must not be swallowed because the first (sent long ago)
	// had the same key.
	t.Run("SecondOfferToSamePersonIsQueued", func(t *testing.T) {
		seats := wlSeats("b", 1, start)
		sessionStart := seats.Batch.SessionStart(1)
		now := sessionStart.Add(-3 * time.Hour) // offers end at the session start
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1}, []int64{2, 3})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(seats, 1, now)
			return err
		})
		first, err := wlOutbox(t, db, wlOfferKey("b", 2, sessionStart))
		if err != nil {
			t.Fatalf("first offer to 2: %v", err)
		}
		if err := db.MarkSent(first.ID, 77, now); err != nil {
			t.Fatalf("MarkSent: %v", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			if _, err := tx.DeclineOffer(seats, 2, now.Add(time.Minute)); err != nil {
				return err
			}
			if _, err := tx.JoinWaitingList(seats, wlPerson("b", 2), wlNow); err != nil {
				return err
			}
			_, err := tx.DeclineOffer(seats, 3, now.Add(2*time.Minute))
			return err
		})
		if got := wlOfferUsers(wlOffers(t, db, "b")); !slices.Equal(got, []int64{2}) {
			t.Fatalf("offers held by %v, want [2]", got)
		}
		queued, err := db.Queued(now, 100, nil)
		if err != nil {
			t.Fatalf("Queued: %v", err)
		}
		if !slices.ContainsFunc(queued, func(e store.OutboxEntry) bool { return e.Kind == store.KindOffer && e.UserID == 2 }) {
			t.Errorf("user 2 holds a second offer but no offer message to them is queued (queued: %+v)", queued)
		}
	})

	t.Run("EraseRemovesPersonAndPassesSeatOn", func(t *testing.T) {
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4, 5})
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, u := range []int64{1, 3} {
				if err := tx.PutConversation(store.Conversation{UserID: u, ChatID: 1000 + u, State: "done"}); err != nil {
					return err
				}
			}
			_, err := tx.Enqueue(store.OutboxEntry{Key: "test/1", Kind: store.KindNotice, UserID: 1, ChatID: 1001})
			return err
		})
		erase := func(user int64, at time.Time) []store.Offer {
			t.Helper()
			var made []store.Offer
			mustUpdate(t, db, func(tx *store.Tx) error {
				var err error
				made, err = tx.Erase([]store.Seats{seats}, user, at)
				return err
			})
			return made
		}
		if got := wlOfferUsers(erase(1, wlNow)); !slices.Equal(got, []int64{3}) {
			t.Errorf("Erase(1) made offers to %v, want [3]", got)
		}
		if _, err := wlParticipant(t, db, "b", 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Participant(1) after Erase = %v, want ErrNotFound", err)
		}
		if _, err := wlOutbox(t, db, "test/1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("outbox entry of 1 after Erase = %v, want ErrNotFound", err)
		}
		offerTo3 := wlOfferKey("b", 3, wlNow.Add(24*time.Hour))
		if _, err := wlOutbox(t, db, offerTo3); err != nil {
			t.Errorf("offer to 3 after Erase(1): %v", err)
		}
		// 3 holds the offer: erasing them passes it on and takes its message.
		if got := wlOfferUsers(erase(3, wlNow.Add(time.Hour))); !slices.Equal(got, []int64{4}) {
			t.Errorf("Erase(3) made offers to %v, want [4]", got)
		}
		if _, err := wlOutbox(t, db, offerTo3); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("offer to 3 after Erase(3) = %v, want ErrNotFound", err)
		}
		if got := erase(1, wlNow.Add(2*time.Hour)); len(got) != 0 {
			t.Errorf("Erase(1) again made offers %+v", got)
		}
		err := db.View(func(tx *store.Tx) error {
			for _, u := range []int64{1, 3} {
				if _, ok, err := tx.Conversation(u); err != nil || ok {
					t.Errorf("Conversation(%d) after Erase = %v, %v; want none", u, ok, err)
				}
			}
			if _, ok, _ := tx.Conversation(2); ok {
				t.Errorf("Conversation(2) exists; nobody stored one")
			}
			if n, err := tx.ErasedCount("b"); err != nil || n != 2 {
				t.Errorf("ErasedCount = %d, %v; want 2", n, err)
			}
			if got, want := wlOfferUsers(wlMust(tx.Offers("b"))), []int64{4}; !slices.Equal(got, want) {
				t.Errorf("offers held by %v, want %v", got, want)
			}
			if got := wlMust(tx.WaitingPosition("b", 5)); got != 2 {
				t.Errorf("WaitingPosition(5) = %d, want 2", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := seatsTaken(t, db, "b"); got != 1 {
			t.Errorf("SeatsTaken = %d, want 1", got)
		}
	})

	t.Run("RetireBatchDeletesEveryParticipantAndKeepsCounts", func(t *testing.T) {
		other := wlSeats("c", 2, wlStartIn(60))
		db := mustOpen(t)
		wlFill(t, db, seats, []int64{1, 2}, []int64{3, 4, 5, 6})
		wlFill(t, db, other, []int64{1}, nil)
		mustUpdate(t, db, func(tx *store.Tx) error {
			for u := int64(1); u <= 6; u++ {
				if err := tx.PutConversation(store.Conversation{UserID: u, ChatID: 1000 + u, State: "done"}); err != nil {
					return err
				}
			}
			if _, err := tx.CancelRegistration(seats, 2, wlNow); err != nil { // 3 gets an offer
				return err
			}
			if _, err := tx.CancelRegistration(seats, 4, wlNow); err != nil {
				return err
			}
			_, err := tx.Erase([]store.Seats{seats, other}, 6, wlNow)
			return err
		})
		var n int
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			n, err = tx.RetireBatch("b")
			return err
		})
		if n != 5 {
			t.Errorf("RetireBatch = %d, want 5 (users 1 to 5)", n)
		}
		err := db.View(func(tx *store.Tx) error {
			for u := int64(1); u <= 6; u++ {
				if _, err := tx.Participant("b", u); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("Participant(b, %d) after RetireBatch = %v, want ErrNotFound", u, err)
				}
				_, ok, _ := tx.Conversation(u)
				if want := u == 1; ok != want { // 1 is still registered in c
					t.Errorf("Conversation(%d) exists = %v, want %v", u, ok, want)
				}
			}
			if p, err := tx.Participant("c", 1); err != nil || p.Status != store.StatusRegistered {
				t.Errorf("Participant(c, 1) = %s, %v; want registered", p.Status, err)
			}
			if got := wlMust(tx.SeatsTaken("b")); got != 1 {
				t.Errorf("SeatsTaken(b) = %d, want 1 (kept as a count)", got)
			}
			if got := wlMust(tx.ErasedCount("b")); got != 1 {
				t.Errorf("ErasedCount(b) = %d, want 1", got)
			}
			if got := wlMust(tx.WaitingCount("b")); got != 0 {
				t.Errorf("WaitingCount(b) = %d, want 0", got)
			}
			if got := wlMust(tx.Offers("b")); len(got) != 0 {
				t.Errorf("Offers(b) = %+v, want none", got)
			}
			if got := wlMust(tx.SeatsTaken("c")); got != 1 {
				t.Errorf("SeatsTaken(c) = %d, want 1", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wlOutbox(t, db, wlOfferKey("b", 3, wlNow.Add(24*time.Hour))); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("offer message to retired user 3 = %v, want ErrNotFound", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			var err error
			n, err = tx.RetireBatch("b")
			return err
		})
		if n != 0 {
			t.Errorf("RetireBatch again = %d, want 0", n)
		}
	})

	// bbolt does not zero freed pages, so an erasure is only complete
	// once Scrub has rewritten the file.
	t.Run("ScrubRemovesErasedDataFromFile", func(t *testing.T) {
		const name, phone = "Sulastri Wiryodiningrat", "+6281398765432"
		path := filepath.Join(t.TempDir(), "daftar.db")
		db := mustOpenPath(t, path)
		p := wlPerson("b", 1)
		p.Answers = map[string]string{"name": name, "phone": phone}
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.PutConversation(store.Conversation{UserID: 1, ChatID: 1001, State: "done", Answers: p.Answers}); err != nil {
				return err
			}
			_, err := tx.ConfirmSeat(p, 2)
			return err
		})
		wlFill(t, db, seats, []int64{2}, []int64{3, 4, 5})
		// The bot scrubs right after the erasure commits: the pages it
		// freed still hold the data then (later commits may reuse them).
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.Erase([]store.Seats{seats}, 1, wlNow)
			return err
		})
		contains := func() (bool, bool) {
			t.Helper()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			return bytes.Contains(data, []byte(name)), bytes.Contains(data, []byte(phone))
		}
		hasName, hasPhone := contains()
		if !hasName || !hasPhone {
			t.Fatalf("before Scrub the file holds name %v, phone %v; want both (freed pages kept), or the Scrub check below proves nothing", hasName, hasPhone)
		}
		if err := db.Scrub(); err != nil {
			t.Fatalf("Scrub: %v", err)
		}
		if hasName, hasPhone := contains(); hasName || hasPhone {
			t.Errorf("after Scrub the file holds name %v, phone %v; want neither", hasName, hasPhone)
		}
		if _, err := os.Stat(path + ".scrub"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Stat(%s.scrub) = %v, want not exist", path, err)
		}
		if got, want := wlWaiting(t, db, "b", 3, 4, 5), []int{1, 2, 3}; !slices.Equal(got, want) {
			t.Errorf("after Scrub positions of 3, 4, 5 = %v, want %v", got, want)
		}
	})
}

// wlMust returns v and panics on err: for reads in a View that are
// expected to succeed.
func wlMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Ensure that concurrent registrations sharing batch transactions give out
// each seat once, without gaps, and queue the rest in one unbroken line.
func TestWaitingList_Batch(t *testing.T) {
	const capacity, people = 16, 200
	db := mustOpen(t)
	var (
		wg    sync.WaitGroup
		seat  [people]int
		pos   [people]int
		errs  [people]error
		start = make(chan struct{})
	)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = db.Batch(func(tx *store.Tx) error {
				// Batch may run this more than once: only the last run counts.
				var err error
				seat[i], pos[i], err = wlRegister(tx, wlSeats("b", capacity, wlStartIn(30)), wlPerson("b", int64(i+1)), wlNow)
				return err
			})
		}()
	}
	close(start)
	wg.Wait()

	var seats, positions []int
	for i := range people {
		if errs[i] != nil {
			t.Fatalf("user %d: %v", i+1, errs[i])
		}
		if (seat[i] == 0) == (pos[i] == 0) {
			t.Fatalf("user %d got seat %d and position %d; want exactly one", i+1, seat[i], pos[i])
		}
		if seat[i] > 0 {
			seats = append(seats, seat[i])
		} else {
			positions = append(positions, pos[i])
		}
	}
	slices.Sort(seats)
	slices.Sort(positions)
	if want := wlSeq(capacity); !slices.Equal(seats, want) {
		t.Errorf("seats given = %v, want %v", seats, want)
	}
	if want := wlSeq(people - capacity); !slices.Equal(positions, want) {
		t.Errorf("positions given = %v, want 1..%d", positions, people-capacity)
	}

	// What the transactions returned is what was stored.
	err := db.View(func(tx *store.Tx) error {
		var stored []int
		for i := range people {
			p, err := tx.Participant("b", int64(i+1))
			if err != nil {
				return err
			}
			wp, err := tx.WaitingPosition("b", int64(i+1))
			if err != nil {
				return err
			}
			if p.Seat != seat[i] || wp != pos[i] {
				t.Errorf("user %d stored seat %d position %d, returned seat %d position %d", i+1, p.Seat, wp, seat[i], pos[i])
			}
			if wp > 0 {
				stored = append(stored, wp)
			}
		}
		slices.Sort(stored)
		if want := wlSeq(people - capacity); !slices.Equal(stored, want) {
			t.Errorf("stored positions = %v, want 1..%d", stored, people-capacity)
		}
		if n := wlMust(tx.SeatsTaken("b")); n != capacity {
			t.Errorf("SeatsTaken = %d, want %d", n, capacity)
		}
		if n := wlMust(tx.WaitingCount("b")); n != people-capacity {
			t.Errorf("WaitingCount = %d, want %d", n, people-capacity)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wlSeq returns 1..n.
func wlSeq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// wlModel is what the store of one batch should hold: the waiting-list
// model test runs every operation on it and on the store, and compares.
type wlModel struct {
	seats        store.Seats
	sessionStart time.Time                    // computed here, not by Batch.SessionStart
	status       map[int64]store.Status       // no entry: never registered, or erased
	seat         map[int64]int                // of registered users
	regAt        map[int64]time.Time          // RegisteredAt of each registration (the staff's are not wlNow)
	waiting      []int64                      // in the order they joined
	offers       []wlModelOffer               // in the order they were made
	erased       int                          // ErasedCount
	notices      map[string]store.OutboxEntry // expiry notices owed, by key
	closed       bool                         // /tutup (offerclose_model_test.go)
	in           *wlIntake                    // the NIKs and the course's other batch (person_model_test.go)
	desk         wlDesk                       // the staff's moves and walk-ins (desk_model_test.go)
	adm          *wlAdmission                 // selection and "still coming?" (selection_model_test.go)
}

type wlModelOffer struct {
	user  int64
	until time.Time
	sent  bool // its message was dispatched: no longer queued
	kind  store.OfferKind
}

func (m *wlModel) taken() int { return len(m.seat) }

func (m *wlModel) offerOf(u int64) int {
	return slices.IndexFunc(m.offers, func(o wlModelOffer) bool { return o.user == u })
}

// remove takes u's seat, place and offer away.
func (m *wlModel) remove(u int64) {
	delete(m.seat, u)
	m.waiting = slices.DeleteFunc(m.waiting, func(w int64) bool { return w == u })
	m.offers = slices.DeleteFunc(m.offers, func(o wlModelOffer) bool { return o.user == u })
}

// lowestFree is the lowest seat number nobody holds.
func (m *wlModel) lowestFree() int {
	held := map[int]bool{}
	for _, s := range m.seat {
		held[s] = true
	}
	s := 1
	for held[s] {
		s++
	}
	return s
}

// offerFreed offers every seat neither taken nor held to the first
// waiting people without an offer, until the first session starts.
func (m *wlModel) offerFreed(now time.Time) []wlModelOffer {
	if !m.handsOn() {
		return nil
	}
	until := now.Add(m.seats.Claim)
	if until.After(m.sessionStart) {
		until = m.sessionStart
	}
	if !until.After(now) {
		return nil
	}
	var made []wlModelOffer
	for _, u := range m.waiting {
		if m.taken()+len(m.offers) >= m.seats.Batch.Capacity {
			break
		}
		if m.offerOf(u) >= 0 {
			continue
		}
		o := wlModelOffer{user: u, until: until}
		m.offers = append(m.offers, o)
		made = append(made, o)
	}
	return made
}

func (m *wlModel) register(u int64, now time.Time) (seat, pos int, err error) {
	switch m.status[u] {
	case store.StatusRegistered:
		return 0, 0, store.ErrAlreadyRegistered
	}
	if done, err := m.apply(u, now); done {
		return 0, 0, err
	}
	if !now.Before(m.sessionStart) {
		return 0, 0, store.ErrBatchStarted
	}
	if m.closed {
		return 0, 0, store.ErrBatchClosed
	}
	if err := m.intakeErr(u, "b", m.in.nik[u]); err != nil {
		return 0, 0, err
	}
	if m.status[u] == store.StatusWaiting {
		return 0, 0, store.ErrAlreadyWaiting
	}
	if m.taken()+len(m.offers) < m.seats.Batch.Capacity && len(m.waiting) == 0 {
		s := m.lowestFree()
		m.seat[u], m.status[u], m.regAt[u] = s, store.StatusRegistered, wlNow
		m.registeredNIK(u)
		return s, 0, nil
	}
	return 0, m.enqueue(u, now), nil
}

// join puts u on the waiting list, or tells their place there.
func (m *wlModel) join(u int64, now time.Time) (int, error) {
	switch m.status[u] {
	case store.StatusRegistered:
		return 0, store.ErrAlreadyRegistered
	case store.StatusWaiting, store.StatusSelected, store.StatusReserve:
		return slices.Index(m.waiting, u) + 1, nil
	}
	if m.seats.Batch.Admission.Selection && !m.adm.sent {
		return 0, store.ErrBatchClosed
	}
	if !now.Before(m.sessionStart) {
		return 0, store.ErrBatchStarted
	}
	if m.closed {
		return 0, store.ErrBatchClosed
	}
	if err := m.intakeErr(u, "b", m.in.nik[u]); err != nil {
		return 0, err
	}
	return m.enqueue(u, now), nil
}

// enqueue appends u to the waiting list. A seat that is neither taken
// nor offered goes to them as an offer at once: a person waiting for a
// seat that stays free loses it (the "no seat lost" check), and so does
// everyone after them, since ConfirmSeat sends newcomers to the list.
func (m *wlModel) enqueue(u int64, now time.Time) int {
	m.waiting = append(m.waiting, u)
	m.status[u], m.regAt[u] = store.StatusWaiting, wlNow
	m.registeredNIK(u)
	m.offerFreed(now)
	return len(m.waiting)
}

func (m *wlModel) cancel(u int64, now time.Time) ([]wlModelOffer, error) {
	switch m.status[u] {
	case "":
		return nil, store.ErrNotFound
	case store.StatusCancelled:
		return nil, nil
	}
	m.remove(u)
	m.status[u] = store.StatusCancelled
	return m.offerFreed(now), nil
}

func (m *wlModel) accept(u int64, now time.Time) (int, error) {
	i := m.offerOf(u)
	if i < 0 || !now.Before(m.offers[i].until) {
		if !m.handsOn() && slices.Contains(m.waiting, u) {
			return 0, store.ErrBatchClosed
		}
		return 0, store.ErrNoOffer
	}
	if err := m.intakeErr(u, "b", m.in.nikB[u]); err != nil {
		return 0, err
	}
	m.remove(u)
	s := m.lowestFree()
	m.seat[u], m.status[u] = s, store.StatusRegistered
	return s, nil
}

func (m *wlModel) decline(u int64, now time.Time) ([]wlModelOffer, error) {
	if m.offerOf(u) < 0 {
		return nil, store.ErrNoOffer
	}
	return m.cancel(u, now)
}

func (m *wlModel) expire(now time.Time) (expired, made []wlModelOffer) {
	for _, o := range slices.Clone(m.offers) {
		if now.Before(o.until) {
			continue
		}
		expired = append(expired, o)
		m.remove(o.user)
		m.status[o.user] = store.StatusCancelled
		key := wlExpiredKey(m.seats.Batch.ID, o.user, o.until)
		notice := "offer_expired"
		if o.kind == store.OfferSelected {
			notice = "selection_expired"
		}
		m.notices[key] = store.OutboxEntry{Key: key, Kind: store.KindNotice, UserID: o.user, ChatID: wlChat(o.user),
			Data: map[string]string{"notice": notice, "batch": m.seats.Batch.ID}}
	}
	return expired, m.offerFreed(now)
}

func (m *wlModel) erase(u int64, now time.Time) []wlModelOffer {
	m.erasedNIK(u) // every registration of u goes, in c too
	for k, e := range m.notices {
		if e.UserID == u {
			delete(m.notices, k)
		}
	}
	m.desk.erase(u)
	if m.status[u] == "" {
		return nil
	}
	made, _ := m.cancel(u, now)
	delete(m.status, u)
	delete(m.regAt, u)
	m.adm.forget(u)
	m.erased++
	return made
}

// wlRun is one run of the model test: the store, the model, the clock and
// what happened so far.
type wlRun struct {
	t       *testing.T
	seed    uint64
	path    string
	db      *store.DB
	m       *wlModel
	now     time.Time
	step    int
	history []string
	// The staff's steps at a selection's results (desk_model_test.go):
	// seatWalkIn enrols a walk-in before them, resultsDay follows them.
	seatWalkIn, resultsDay func() string
}

func (r *wlRun) fail(format string, args ...any) {
	r.t.Helper()
	h := r.history
	if len(h) > 20 {
		h = h[len(h)-20:]
	}
	r.t.Fatalf("step %d: %s\nseed %d (repeat with DAFTAR_MODEL_SEED=%d)\nlast %d operations (clock, op, result):\n  %s",
		r.step, fmt.Sprintf(format, args...), r.seed, r.seed, len(h), strings.Join(h, "\n  "))
}

// sameOffers compares what the store returned with what the model made.
func (r *wlRun) sameOffers(what string, got []store.Offer, want []wlModelOffer) {
	r.t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = got[i].UserID == want[i].user && got[i].Until.Equal(want[i].until) && got[i].Batch == r.m.seats.Batch.ID &&
			got[i].ChatID == 1000+got[i].UserID
	}
	if !ok {
		r.fail("%s: store returned %s, model wants %s", what, wlFmtOffers(got, nil), wlFmtOffers(nil, want))
	}
}

func wlFmtOffers(got []store.Offer, want []wlModelOffer) string {
	var parts []string
	for _, o := range got {
		parts = append(parts, fmt.Sprintf("u%d<%s", o.UserID, o.Until.Format("01-02T15:04:05")))
	}
	for _, o := range want {
		parts = append(parts, fmt.Sprintf("u%d<%s", o.user, o.until.Format("01-02T15:04:05")))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func wlErrIs(got, want error) bool {
	if want == nil {
		return got == nil
	}
	return errors.Is(got, want)
}

// check reads the store in one View and compares it with the model and
// the invariants of the waiting list.
func (r *wlRun) check() {
	r.t.Helper()
	m := r.m
	capacity := m.seats.Batch.Capacity
	batch := m.seats.Batch.ID
	var problem string
	failf := func(format string, args ...any) error {
		problem = fmt.Sprintf(format, args...)
		return errors.New(problem)
	}
	err := r.db.View(func(tx *store.Tx) error {
		taken, err := tx.SeatsTaken(batch)
		if err != nil {
			return err
		}
		offers, err := tx.Offers(batch)
		if err != nil {
			return err
		}
		waitingCount, err := tx.WaitingCount(batch)
		if err != nil {
			return err
		}
		// Invariants, whatever the model says.
		if taken > capacity {
			return failf("%d seats taken of %d", taken, capacity)
		}
		if taken+len(offers) > capacity {
			return failf("%d seats taken and %d offered, capacity %d", taken, len(offers), capacity)
		}
		seatOf := map[int]int64{}
		byPos := map[int]int64{}
		registered := 0
		for _, u := range m.users() {
			p, err := tx.Participant(batch, u)
			status := p.Status
			if errors.Is(err, store.ErrNotFound) {
				status = ""
			} else if err != nil {
				return err
			}
			pos, err := tx.WaitingPosition(batch, u)
			if err != nil {
				return err
			}
			hasOffer := slices.ContainsFunc(offers, func(o store.Offer) bool { return o.UserID == u })
			if hasOffer {
				if o, ok, err := tx.OfferOf(batch, u); err != nil || !ok || o.UserID != u {
					return failf("OfferOf(%d) = %+v, %v, %v; Offers lists one", u, o, ok, err)
				}
			}
			switch status {
			case store.StatusRegistered:
				registered++
				if p.Seat < 1 || p.Seat > capacity {
					return failf("user %d registered on seat %d, outside 1..%d", u, p.Seat, capacity)
				}
				if other, dup := seatOf[p.Seat]; dup {
					return failf("seat %d held by users %d and %d", p.Seat, other, u)
				}
				seatOf[p.Seat] = u
				if pos != 0 || hasOffer {
					return failf("user %d registered yet waiting at %d (offer %v)", u, pos, hasOffer)
				}
			case store.StatusApplied, store.StatusNotSelected:
				if pos != 0 || hasOffer || p.Seat != 0 {
					return failf("user %d %q yet at position %d, seat %d, offer %v", u, status, pos, p.Seat, hasOffer)
				}
			case store.StatusWaiting, store.StatusSelected, store.StatusReserve:
				if status == store.StatusSelected && !hasOffer {
					return failf("user %d selected without the seat held for them", u)
				}
				if pos == 0 || p.Seat != 0 {
					return failf("user %d waiting yet at position %d, seat %d", u, pos, p.Seat)
				}
				if other, dup := byPos[pos]; dup {
					return failf("position %d held by users %d and %d", pos, other, u)
				}
				byPos[pos] = u
			case store.StatusCancelled, "":
				if pos != 0 || hasOffer || p.Seat != 0 {
					return failf("user %d %q yet at position %d, seat %d, offer %v", u, status, pos, p.Seat, hasOffer)
				}
			default:
				return failf("user %d has status %q", u, status)
			}
			if status == store.StatusCancelled && p.CancelledAt.IsZero() {
				return failf("user %d cancelled without CancelledAt", u)
			}
			if status != m.status[u] {
				return failf("user %d is %q, model says %q", u, status, m.status[u])
			}
			if status == store.StatusRegistered && p.Seat != m.seat[u] {
				return failf("user %d on seat %d, model says %d", u, p.Seat, m.seat[u])
			}
		}
		if taken != registered {
			return failf("SeatsTaken = %d, %d participants registered", taken, registered)
		}
		if waitingCount != len(byPos) {
			return failf("WaitingCount = %d, %d participants waiting", waitingCount, len(byPos))
		}
		var line []int64
		for pos := 1; pos <= len(byPos); pos++ {
			u, ok := byPos[pos]
			if !ok {
				return failf("waiting positions have a gap at %d: %v", pos, byPos)
			}
			line = append(line, u)
		}
		if !slices.Equal(line, m.waiting) {
			return failf("waiting list %v, model (order of joining) %v", line, m.waiting)
		}
		seen := map[int64]bool{}
		for i, o := range offers {
			if seen[o.UserID] {
				return failf("user %d holds two offers: %s", o.UserID, wlFmtOffers(offers, nil))
			}
			seen[o.UserID] = true
			if p, err := tx.Participant(batch, o.UserID); err != nil || (o.Kind == store.OfferSelected) != (p.Status == store.StatusSelected) ||
				p.Status != store.StatusWaiting && p.Status != store.StatusSelected && p.Status != store.StatusReserve {
				return failf("offer to user %d, who is %q (%v)", o.UserID, p.Status, err)
			}
			if o.Batch != batch || o.ChatID != 1000+o.UserID {
				return failf("offer %+v: wrong batch or chat", o)
			}
			// Offers go in waiting order, so their holders lead the line.
			if i >= len(line) || line[i] != o.UserID {
				return failf("offers %s are not held by the head of the line %v", wlFmtOffers(offers, nil), line)
			}
		}
		started := !r.now.Before(m.sessionStart) || !m.handsOn() // a closed batch hands out no seat
		if !started && len(line) > len(offers) && taken+len(offers) < capacity {
			return failf("seat lost: %d taken, %d offered of %d while %d wait without an offer",
				taken, len(offers), capacity, len(line)-len(offers))
		}
		if !started && len(line) > 0 && len(offers) == 0 && taken != capacity {
			return failf("seat lost: %d wait, no offer, %d of %d seats taken", len(line), taken, capacity)
		}
		for _, o := range offers {
			key := o.Key
			e, err := tx.OutboxByKey(key)
			if err != nil {
				return failf("offer to user %d has no outbox entry %s: %v", o.UserID, key, err)
			}
			kind := store.KindOffer
			if o.Kind == store.OfferSelected {
				kind = store.KindResult // the result is the offer
			}
			if e.Kind != kind || e.UserID != o.UserID || e.ChatID != o.ChatID {
				return failf("outbox entry %s = %+v, want an offer to user %d", key, e, o.UserID)
			}
			if j := m.offerOf(o.UserID); j >= 0 && !m.offers[j].sent && e.Status != store.OutboxQueued {
				return failf("offer to user %d not yet told: outbox entry %s is %s (created %v), want queued",
					o.UserID, key, e.Status, e.CreatedAt)
			}
		}
		for key, want := range m.notices {
			e, err := tx.OutboxByKey(key)
			if err != nil {
				return failf("expiry notice %s: %v", key, err)
			}
			if e.Kind != want.Kind || e.UserID != want.UserID || e.ChatID != want.ChatID || e.Data["notice"] != want.Data["notice"] {
				return failf("expiry notice %s = %+v", key, e)
			}
		}
		// And the model's view of the offers.
		ok := len(offers) == len(m.offers)
		for i := 0; ok && i < len(offers); i++ {
			ok = offers[i].UserID == m.offers[i].user && offers[i].Until.Equal(m.offers[i].until)
		}
		if !ok {
			return failf("offers %s, model %s", wlFmtOffers(offers, nil), wlFmtOffers(nil, m.offers))
		}
		if n, err := tx.ErasedCount(batch); err != nil || n != m.erased {
			return failf("ErasedCount = %d, %v; model %d", n, err, m.erased)
		}
		all, err := tx.ParticipantsIn(batch)
		if err != nil {
			return err
		}
		if err := r.checkIntake(tx); err != nil {
			return failf("%v", err)
		}
		if len(all) != len(m.status) {
			return failf("%d participants stored, model has %d", len(all), len(m.status))
		}
		if msg := r.checkAdmission(tx); msg != "" {
			return failf("%s", msg)
		}
		return nil
	})
	if problem != "" {
		r.fail("%s", problem)
	}
	if err != nil {
		r.fail("read the store: %v", err)
	}
}

const wlUsers = 20

// Ensure that any sequence of registrations, cancellations, waiting-list
// joins, offers accepted, declined and expired, erasures, restarts and
// scrubs keeps the waiting list's invariants, and that the store does what
// a simple model of it does.
func TestWaitingList_Model(t *testing.T) {
	// The same random steps on a first-come batch whose seat holders are
	// asked whether they still come (keeping or releasing the seats of
	// those who do not answer), and on a selection batch.
	for _, intake := range []struct {
		name      string
		admission store.Admission
	}{
		{"plain", store.Admission{}},
		{"first_come", store.Admission{AskDaysBefore: 28, ConfirmWindow: 36 * time.Hour}},
		{"first_come_release", store.Admission{AskDaysBefore: 28, ConfirmWindow: 36 * time.Hour, Release: true}},
		{"selection", store.Admission{Selection: true, ConfirmWindow: 48 * time.Hour}},
	} {
		t.Run(intake.name, func(t *testing.T) {
			// Each run has its own file, clock and random steps; in
			// parallel they share out the waits for fsync.
			t.Parallel()
			testWaitingListModel(t, intake.admission)
		})
	}
}

func testWaitingListModel(t *testing.T, admission store.Admission) {
	seed := uint64(20260302)
	if s := os.Getenv("DAFTAR_MODEL_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DAFTAR_MODEL_SEED=%q: %v", s, err)
		}
		seed = v
	}
	steps := 4000
	if testing.Short() {
		steps = 500
	}
	t.Logf("seed %d (set DAFTAR_MODEL_SEED to repeat or vary)", seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	seats := wlIntakeSeats(wlSeats("b", 5, wlStartIn(30)))
	seats.Batch.Admission = admission
	r := &wlRun{
		t: t, seed: seed, path: filepath.Join(t.TempDir(), "daftar.db"), now: wlNow,
		m: &wlModel{
			seats:        seats,
			sessionStart: wlStartIn(30).Add(8 * time.Hour),
			status:       map[int64]store.Status{},
			seat:         map[int64]int{},
			regAt:        map[int64]time.Time{},
			notices:      map[string]store.OutboxEntry{},
			in:           newWLIntake(),
			adm:          newWlAdmission(),
		},
	}
	open := func() {
		db, err := store.Open(r.path, store.Options{})
		if err != nil {
			r.fail("Open: %v", err)
		}
		r.db = db
	}
	open()
	t.Cleanup(func() {
		if r.db != nil {
			r.db.Close()
		}
	})

	// pick returns a user: one holding an offer with probability
	// offered, else anyone.
	pick := func(offered float64) int64 {
		if len(r.m.offers) > 0 && rng.Float64() < offered {
			return r.m.offers[rng.IntN(len(r.m.offers))].user
		}
		return 1 + rng.Int64N(wlUsers)
	}
	type op = wlOp
	ops := []op{
		{"register", 24, func() string {
			u := pick(0)
			var seat, pos int
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				seat, pos, err = wlRegister(tx, seats, r.person("b", u), r.now)
				return err
			})
			wantSeat, wantPos, wantErr := r.m.register(u, r.now)
			if !wlErrIs(err, wantErr) || seat != wantSeat || pos != wantPos {
				r.fail("register(u%d) = seat %d, position %d, %v; model: seat %d, position %d, %v", u, seat, pos, err, wantSeat, wantPos, wantErr)
			}
			return fmt.Sprintf("register(u%d) → seat %d pos %d err %v", u, seat, pos, err)
		}},
		{"join", 10, func() string {
			u := pick(0)
			var pos int
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				pos, err = tx.JoinWaitingList(seats, r.person("b", u), r.now)
				return err
			})
			wantPos, wantErr := r.m.join(u, r.now)
			if !wlErrIs(err, wantErr) || pos != wantPos {
				r.fail("join(u%d) = %d, %v; model: %d, %v", u, pos, err, wantPos, wantErr)
			}
			return fmt.Sprintf("join(u%d) → pos %d err %v", u, pos, err)
		}},
		{"cancel", 14, func() string {
			u := pick(0.2)
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				made, err = tx.CancelRegistration(seats, u, r.now)
				return err
			})
			want, wantErr := r.m.cancel(u, r.now)
			if !wlErrIs(err, wantErr) {
				r.fail("cancel(u%d) = %v, model: %v", u, err, wantErr)
			}
			r.sameOffers(fmt.Sprintf("cancel(u%d)", u), made, want)
			return fmt.Sprintf("cancel(u%d) → offers %s err %v", u, wlFmtOffers(made, nil), err)
		}},
		{"accept", 16, func() string {
			u := pick(0.85)
			var p store.Participant
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				p, err = tx.AcceptOffer(seats, u, r.now)
				return err
			})
			wantSeat, wantErr := r.m.accept(u, r.now)
			if !wlErrIs(err, wantErr) || p.Seat != wantSeat {
				r.fail("accept(u%d) = seat %d, %v; model: seat %d, %v", u, p.Seat, err, wantSeat, wantErr)
			}
			if err == nil && (p.Status != store.StatusRegistered || p.UserID != u) {
				r.fail("accept(u%d) returned user %d %s", u, p.UserID, p.Status)
			}
			return fmt.Sprintf("accept(u%d) → seat %d err %v", u, p.Seat, err)
		}},
		{"decline", 6, func() string {
			u := pick(0.8)
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				made, err = tx.DeclineOffer(seats, u, r.now)
				return err
			})
			want, wantErr := r.m.decline(u, r.now)
			if !wlErrIs(err, wantErr) {
				r.fail("decline(u%d) = %v, model: %v", u, err, wantErr)
			}
			r.sameOffers(fmt.Sprintf("decline(u%d)", u), made, want)
			return fmt.Sprintf("decline(u%d) → offers %s err %v", u, wlFmtOffers(made, nil), err)
		}},
		{"expire", 4, func() string {
			if len(r.m.offers) > 0 {
				// Just past the earliest offer's end, sometimes well past.
				until := r.m.offers[0].until
				for _, o := range r.m.offers {
					if o.until.Before(until) {
						until = o.until
					}
				}
				if at := until.Add(time.Duration(rng.IntN(30)) * time.Minute); at.After(r.now) {
					r.now = at
				}
			}
			var expired, made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				expired, made, err = tx.ExpireOffers(seats, r.now)
				return err
			})
			if err != nil {
				r.fail("expire at %v: %v", r.now, err)
			}
			wantExpired, wantMade := r.m.expire(r.now)
			r.sameOffers("expire: expired", expired, wantExpired)
			r.sameOffers("expire: made", made, wantMade)
			return fmt.Sprintf("expire → expired %s made %s", wlFmtOffers(expired, nil), wlFmtOffers(made, nil))
		}},
		{"dispatch", 4, func() string {
			queued, err := r.db.Queued(r.now, 1<<20, nil)
			if err != nil {
				r.fail("Queued: %v", err)
			}
			for _, e := range queued {
				if err := r.db.MarkSent(e.ID, int(e.ID), r.now); err != nil {
					r.fail("MarkSent(%d): %v", e.ID, err)
				}
			}
			for i := range r.m.offers {
				r.m.offers[i].sent = true
			}
			return fmt.Sprintf("dispatch → %d sent", len(queued))
		}},
		{"erase", 3, func() string {
			u := pick(0.3)
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				made, err = tx.Erase([]store.Seats{seats}, u, r.now)
				return err
			})
			if err != nil {
				r.fail("erase(u%d): %v", u, err)
			}
			r.sameOffers(fmt.Sprintf("erase(u%d)", u), made, r.m.erase(u, r.now))
			return fmt.Sprintf("erase(u%d) → offers %s", u, wlFmtOffers(made, nil))
		}},
		{"close", 2, func() string {
			if admission.Selection && !r.m.adm.sent && rng.IntN(4) != 0 {
				// /tutup ends the applications: mostly spared, so that they
				// outnumber the seats when the results go out.
				return "close: spared before the results"
			}
			return r.setOpen(false)
		}},
		{"open", 2, func() string { return r.setOpen(true) }},
		{"restart", 2, func() string {
			if err := r.db.Close(); err != nil {
				r.fail("Close: %v", err)
			}
			r.db = nil
			open()
			return "restart"
		}},
		{"scrub", 1, func() string {
			if err := r.db.Scrub(); err != nil {
				r.fail("Scrub: %v", err)
			}
			return "scrub"
		}},
	}
	ops = append(ops, r.intakeOps(rng, seats)...)
	// The staff's cancellations, moves and walk-ins, and the claim links,
	// in every admission (desk_model_test.go).
	ops = append(ops, r.deskOps(rng, pick)...)
	ops = append(ops, r.admissionOps(rng, pick)...)
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	counts := map[string]int{}
	startedAt := 0
	began := time.Now()
	for r.step = 1; r.step <= steps; r.step++ {
		r.now = r.now.Add(time.Duration(rng.IntN(8)) * time.Minute)
		if r.step == steps*9/10 && r.now.Before(r.m.sessionStart.Add(-time.Hour)) {
			// The steps above cover some ten days of a batch starting in
			// thirty: the last tenth runs up to the first session and past
			// it, where seats are no longer handed out and offers end at
			// the start.
			r.now = r.m.sessionStart.Add(-time.Hour)
			r.history = append(r.history, fmt.Sprintf("#%d the clock jumps to an hour before the first session", r.step))
		}
		n := rng.IntN(total)
		var o op
		for _, o = range ops {
			if n < o.weight {
				break
			}
			n -= o.weight
		}
		r.history = append(r.history, fmt.Sprintf("#%d start%+.1fh %s (failed)", r.step, r.now.Sub(r.m.sessionStart).Hours(), o.name))
		r.history[len(r.history)-1] = fmt.Sprintf("#%d start%+.1fh %s", r.step, r.now.Sub(r.m.sessionStart).Hours(), o.run())
		counts[o.name]++
		if startedAt == 0 && !r.now.Before(r.m.sessionStart) {
			startedAt = r.step
		}
		r.check()
		r.checkDesk()
	}
	if startedAt == 0 {
		r.fail("the first session never started: the steps after it are not covered")
	}
	t.Logf("%d steps in %v; first session started at step %d; ops %v", steps, time.Since(began).Round(time.Millisecond), startedAt, counts)
}

// Ensure that a person's seat, waiting place and accepted offer are
// checked against the batch rules in their own transaction: a summary
// confirmed after /tutup or after the start is refused, and nobody holds
// places (seats or waiting places) in two batches whose dates overlap.
func TestTx_TakeSeat(t *testing.T) {
	// a: days 10–12; b: 12–14 (shares the 12th with a); c: 20–22.
	a, b, c := wlSeats("a", 1, wlStartIn(10)), wlSeats("b", 1, wlStartIn(12)), wlSeats("c", 5, wlStartIn(20))
	all := []store.Batch{a.Batch, b.Batch, c.Batch}
	for _, s := range []*store.Seats{&a, &b, &c} {
		s.Batches = all
	}
	take := func(db *store.DB, seats store.Seats, user int64, now time.Time) error {
		return db.Update(func(tx *store.Tx) error {
			_, err := tx.TakeSeat(seats, wlPerson(seats.Batch.ID, user), now)
			return err
		})
	}
	join := func(db *store.DB, seats store.Seats, user int64, now time.Time) error {
		return db.Update(func(tx *store.Tx) error {
			_, err := tx.JoinWaitingList(seats, wlPerson(seats.Batch.ID, user), now)
			return err
		})
	}
	t.Run("closed by the config or by /tutup", func(t *testing.T) {
		db := mustOpen(t)
		shut := c
		shut.Batch.Open = false
		if err := take(db, shut, 1, wlNow); !errors.Is(err, store.ErrBatchClosed) {
			t.Fatalf("TakeSeat(closed in the config) = %v, want ErrBatchClosed", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetBatchOpen("c", false, 99, wlNow) })
		if err := take(db, c, 1, wlNow); !errors.Is(err, store.ErrBatchClosed) {
			t.Fatalf("TakeSeat(after /tutup) = %v, want ErrBatchClosed", err)
		}
		if err := join(db, c, 1, wlNow); !errors.Is(err, store.ErrBatchClosed) {
			t.Fatalf("JoinWaitingList(after /tutup) = %v, want ErrBatchClosed", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetBatchOpen("shut", true, 99, wlNow) })
		shut.Batch.ID = "shut"
		if err := take(db, shut, 1, wlNow); err != nil {
			t.Fatalf("TakeSeat(opened by /buka) = %v", err)
		}
	})
	t.Run("started", func(t *testing.T) {
		db := mustOpen(t)
		at := c.Batch.SessionStart(1)
		if err := take(db, c, 1, at); !errors.Is(err, store.ErrBatchStarted) {
			t.Fatalf("TakeSeat(at the first session) = %v, want ErrBatchStarted", err)
		}
		if err := join(db, c, 1, at.AddDate(0, 1, 0)); !errors.Is(err, store.ErrBatchStarted) {
			t.Fatalf("JoinWaitingList(after the end) = %v, want ErrBatchStarted", err)
		}
		if err := take(db, c, 1, at.Add(-time.Minute)); err != nil {
			t.Fatalf("TakeSeat(a minute before) = %v", err)
		}
	})
	t.Run("overlap with a seat or a waiting place", func(t *testing.T) {
		db := mustOpen(t)
		if err := take(db, a, 1, wlNow); err != nil {
			t.Fatal(err)
		}
		if err := take(db, b, 1, wlNow); !errors.Is(err, store.ErrOverlap) {
			t.Fatalf("TakeSeat(b with a seat in a) = %v, want ErrOverlap", err)
		}
		// a is full now: 2 waits in a, and may then not take b either.
		if err := join(db, a, 2, wlNow); err != nil {
			t.Fatal(err)
		}
		if err := take(db, b, 2, wlNow); !errors.Is(err, store.ErrOverlap) {
			t.Fatalf("TakeSeat(b while waiting in a) = %v, want ErrOverlap", err)
		}
		if err := take(db, c, 2, wlNow); err != nil {
			t.Fatalf("TakeSeat(c, no overlap) = %v", err)
		}
		// 3 holds b; 4 waits in b and must not wait in a too.
		if err := take(db, b, 3, wlNow); err != nil {
			t.Fatal(err)
		}
		if err := join(db, b, 4, wlNow); err != nil {
			t.Fatal(err)
		}
		if err := join(db, a, 4, wlNow); !errors.Is(err, store.ErrOverlap) {
			t.Fatalf("JoinWaitingList(a while waiting in b) = %v, want ErrOverlap", err)
		}
		if err := join(db, a, 3, wlNow); !errors.Is(err, store.ErrOverlap) {
			t.Fatalf("JoinWaitingList(a with a seat in b) = %v, want ErrOverlap", err)
		}
	})
}

// Ensure that an offered seat cannot be accepted by someone who took a
// seat in an overlapping batch meanwhile, as data written before the
// overlap rule counted waiting places may have it; the offer stays.
func TestTx_AcceptOffer_Overlap(t *testing.T) {
	a, b := wlSeats("a", 1, wlStartIn(10)), wlSeats("b", 1, wlStartIn(12))
	a.Batches = []store.Batch{a.Batch, b.Batch}
	b.Batches = a.Batches
	db := mustOpen(t)
	// 2 waits in a without the course (an older daftar did not look),
	// then holds a seat in b.
	wlFill(t, db, wlSeats("a", 1, wlStartIn(10)), []int64{1}, []int64{2})
	wlFill(t, db, wlSeats("b", 1, wlStartIn(12)), []int64{2}, nil)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.CancelRegistration(a, 1, wlNow)
		return err
	})
	err := db.Update(func(tx *store.Tx) error {
		_, err := tx.AcceptOffer(a, 2, wlNow.Add(time.Hour))
		return err
	})
	if !errors.Is(err, store.ErrOverlap) {
		t.Fatalf("AcceptOffer(a with a seat in b) = %v, want ErrOverlap", err)
	}
	if offers := wlOffers(t, db, "a"); len(offers) != 1 || offers[0].UserID != 2 {
		t.Fatalf("offers after the refusal = %v, want 2's still there", offers)
	}
	if p, _ := wlParticipant(t, db, "a", 2); p.Status != store.StatusWaiting {
		t.Fatalf("2 in a = %s, want still waiting", p.Status)
	}
}

// Ensure that an offer cannot be accepted after /tutup (closing
// registration hands out no more seats; the person keeps their waiting
// place), nor once the batch has started.
func TestTx_AcceptOffer_ClosedOrStarted(t *testing.T) {
	a := wlSeats("a", 1, wlStartIn(1))
	offer := func(t *testing.T) *store.DB {
		db := mustOpen(t)
		wlFill(t, db, a, []int64{1}, []int64{2})
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.CancelRegistration(a, 1, wlNow)
			return err
		})
		return db
	}
	accept := func(db *store.DB, at time.Time) error {
		return db.Update(func(tx *store.Tx) error {
			_, err := tx.AcceptOffer(a, 2, at)
			return err
		})
	}
	t.Run("after /tutup", func(t *testing.T) {
		db := offer(t)
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetBatchOpen("a", false, 99, wlNow) })
		if err := accept(db, wlNow.Add(time.Hour)); !errors.Is(err, store.ErrBatchClosed) {
			t.Fatalf("AcceptOffer(after /tutup) = %v, want ErrBatchClosed", err)
		}
		if p, _ := wlParticipant(t, db, "a", 2); p.Status != store.StatusWaiting {
			t.Fatalf("2 in a = %s, want still waiting", p.Status)
		}
	})
	t.Run("started", func(t *testing.T) {
		db := offer(t)
		// An offer's window ends at the first session at the latest, so
		// the refusal is ErrNoOffer; mayJoin's ErrBatchStarted backs it.
		if err := accept(db, a.Batch.SessionStart(1)); !errors.Is(err, store.ErrNoOffer) && !errors.Is(err, store.ErrBatchStarted) {
			t.Fatalf("AcceptOffer(at the first session) = %v, want a refusal", err)
		}
		if p, _ := wlParticipant(t, db, "a", 2); p.Status == store.StatusRegistered {
			t.Fatal("a seat was taken after the start")
		}
	})
}
