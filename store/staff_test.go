package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that an organiser's cancellation frees the seat for the first
// person waiting, tells the person with the reason, and is refused when
// the registration changed since the organiser's screen showed it.
func TestTx_StaffCancel(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 2, wlStartIn(10))
	wlFill(t, db, seats, []int64{1, 2}, []int64{3})
	var stamp string
	err := db.Update(func(tx *store.Tx) error {
		p, err := tx.Participant("b", 1)
		stamp = p.Stamp()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *store.Tx) error {
		_, _, err := tx.StaffCancel(seats, 1, "registered.9.0.0", "", wlNow)
		return err
	})
	if !errors.Is(err, store.ErrChanged) {
		t.Fatalf("StaffCancel with an old stamp = %v, want ErrChanged", err)
	}
	var offers []store.Offer
	err = db.Update(func(tx *store.Tx) error {
		var p store.Participant
		var err error
		p, offers, err = tx.StaffCancel(seats, 1, stamp, "tidak jadi ikut", wlNow)
		if err == nil && (p.Status != store.StatusCancelled || p.CancelledAt.IsZero()) {
			t.Errorf("cancelled registration %+v", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(offers) != 1 || offers[0].UserID != 3 {
		t.Errorf("offers %+v, want one to user 3", offers)
	}
	var told []store.OutboxEntry
	queued, err := db.Queued(wlNow.Add(time.Hour), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range queued {
		if n, err := e.Notice(); err == nil && n.Notice == store.NoticeStaffCancelled {
			told = append(told, e)
		}
	}
	if len(told) != 1 || told[0].UserID != 1 || told[0].ChatID != 1001 || told[0].Data["reason"] != "tidak jadi ikut" || told[0].Data["batch"] != "b" {
		t.Errorf("notices %+v, want one to user 1 with the reason", told)
	}
	// The second organiser, whose screen showed the same registration.
	err = db.Update(func(tx *store.Tx) error {
		_, _, err := tx.StaffCancel(seats, 1, stamp, "", wlNow)
		return err
	})
	if !errors.Is(err, store.ErrChanged) {
		t.Errorf("second StaffCancel = %v, want ErrChanged", err)
	}
	err = db.Update(func(tx *store.Tx) error {
		_, _, err := tx.StaffCancel(seats, 42, "", "", wlNow)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StaffCancel of nobody = %v, want ErrNotFound", err)
	}
}

// Ensure that a move takes a seat in the other batch as a registration
// does, cancels the old one with MovedTo, offers the freed seat, tells the
// person, and changes nothing when the other batch refuses.
func TestTx_MoveParticipant(t *testing.T) {
	db := mustOpen(t)
	a := wlSeats("a", 1, wlStartIn(10))
	b := wlSeats("b", 1, wlStartIn(20))
	c := wlSeats("c", 5, wlStartIn(-1)) // started yesterday
	wlFill(t, db, a, []int64{1}, []int64{2})
	wlFill(t, db, b, []int64{3}, nil)
	move := func(from, to store.Seats, user int64) (store.Participant, []store.Offer, error) {
		var p store.Participant
		var offers []store.Offer
		err := db.Update(func(tx *store.Tx) error {
			var err error
			p, offers, err = tx.MoveParticipant(from, to, user, "", wlNow)
			return err
		})
		return p, offers, err
	}
	before := snapshotBatch(t, db, "a")
	for _, tc := range []struct {
		to   store.Seats
		want error
	}{{b, store.ErrBatchFull}, {c, store.ErrBatchStarted}, {a, store.ErrSameBatch}} {
		if _, _, err := move(a, tc.to, 1); !errors.Is(err, tc.want) {
			t.Errorf("move to %s = %v, want %v", tc.to.Batch.ID, err, tc.want)
		}
		if got := snapshotBatch(t, db, "a"); got != before {
			t.Errorf("refused move to %s changed batch a:\n%s\nwas\n%s", tc.to.Batch.ID, got, before)
		}
	}
	if _, _, err := move(a, b, 2); !errors.Is(err, store.ErrChanged) {
		t.Errorf("move of a waiting person = %v, want ErrChanged", err)
	}
	d := wlSeats("d", 3, wlStartIn(30))
	p, offers, err := move(a, d, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Batch != "d" || p.Seat != 1 || p.Status != store.StatusRegistered || p.Answers["name"] != "Peserta 1" {
		t.Errorf("moved registration %+v", p)
	}
	if len(offers) != 1 || offers[0].UserID != 2 || offers[0].Batch != "a" {
		t.Errorf("offers %+v, want batch a's seat to user 2", offers)
	}
	old, err := wlParticipant(t, db, "a", 1)
	if err != nil || old.Status != store.StatusCancelled || old.MovedTo != "d" {
		t.Errorf("registration left behind %+v, %v", old, err)
	}
	queued, err := db.Queued(wlNow.Add(time.Hour), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, e := range queued {
		if n, err := e.Notice(); err == nil && n.Notice == store.NoticeStaffMoved && e.UserID == 1 && n.Batch == "d" && e.Data["from"] == "a" {
			told++
		}
	}
	if told != 1 {
		t.Errorf("%d move notices to user 1, want 1", told)
	}
	err = db.View(func(tx *store.Tx) error {
		targets, err := tx.MoveTargets("d", []store.Seats{a, b, c, d}, wlNow)
		if err != nil {
			return err
		}
		// a: its freed seat is offered; b: full; c: started; d: the batch itself.
		if len(targets) != 0 {
			t.Errorf("MoveTargets = %v, want none", targets)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshotBatch is batch's registrations and counts as text.
func snapshotBatch(t *testing.T, db *store.DB, batch string) string {
	t.Helper()
	var out string
	err := db.View(func(tx *store.Tx) error {
		ps, err := tx.ParticipantsIn(batch)
		for _, p := range ps {
			out += p.Stamp() + "/" + p.MovedTo + ";"
		}
		out += "taken " + string(rune('0'+wlMust(tx.SeatsTaken(batch))))
		out += " waiting " + string(rune('0'+wlMust(tx.WaitingCount(batch))))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
