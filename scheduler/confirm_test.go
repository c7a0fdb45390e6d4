package scheduler

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that, confirm_days_before days before a first-come batch starts,
// a tick asks every seat holder who registered before then whether they
// still come, once, also when the scheduler was down at that moment; that
// "Tidak jadi" frees the seat for the waiting list at once; and that the
// unanswered are, when confirm_hours is over, kept and flagged
// (unconfirmed = "keep") or released to the waiting list ("release").
func TestScheduler_StillComing(t *testing.T) {
	for _, release := range []bool{false, true} {
		name := "keep"
		if release {
			name = "release"
		}
		t.Run(name, func(t *testing.T) { testStillComing(t, release) })
	}
}

func testStillComing(t *testing.T, release bool) {
	loc := time.FixedZone("WIB", 7*3600)
	start := time.Date(2025, 10, 20, 0, 0, 0, 0, loc)
	b := store.Batch{ID: "angkatan-1", Name: "Angkatan 1", Start: start, Days: 7, Capacity: 3, DailyStart: "08:00", DailyEnd: "15:00", Open: true,
		Admission: store.Admission{AskDaysBefore: 3, ConfirmWindow: 24 * time.Hour, Release: release}}
	course := store.Course{Location: loc, ClaimWindow: 12 * time.Hour, Batches: []store.Batch{b}}
	cat := store.Catalog{Courses: []store.Course{course}}
	seats := store.Seats{Batch: b, Claim: course.ClaimWindow, Batches: cat.Batches()}
	db := mustOpen(t)
	for _, u := range []int64{1, 2, 3} {
		mustRegister(t, db, b, u, start.AddDate(0, 0, -10))
	}
	err := db.Update(func(tx *store.Tx) error {
		for _, u := range []int64{4, 5} {
			p := store.Participant{UserID: u, ChatID: u + 1000, Lang: "id", RegisteredAt: start.AddDate(0, 0, -9)}
			if _, err := tx.JoinWaitingList(seats, p, start.AddDate(0, 0, -9)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, cat, Options{Evening: evening, Morning: morning})
	tick := func(at time.Time, want int) {
		t.Helper()
		n, err := s.Tick(at)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("tick at %v enqueued %d, want %d", at, n, want)
		}
	}
	ask := time.Date(2025, 10, 17, 8, 0, 0, 0, loc) // three days before 08:00 on the 20th
	if got := StillComingDue(course, ask.Add(-time.Minute)); len(got) != 0 {
		t.Fatalf("due a minute early: %v", got)
	}
	tick(ask.Add(-time.Minute), 0)
	late := ask.Add(90 * time.Minute) // the bot was down at 08:00: asked when it comes back
	tick(late, 3)
	tick(late.Add(time.Hour), 0) // once
	view := func(fn func(tx *store.Tx) error) {
		t.Helper()
		if err := db.View(fn); err != nil {
			t.Fatal(err)
		}
	}
	view(func(tx *store.Tx) error {
		for _, u := range []int64{1, 2, 3} {
			e, err := tx.OutboxByKey(store.StillComingKey(b.ID, u))
			if err != nil || e.Kind != store.KindStillComing || e.ChatID != u+1000 {
				t.Errorf("user %d: question %+v, %v", u, e, err)
			}
			c, ok, err := tx.StillComingOf(b.ID, u)
			if err != nil || !ok || !c.Until.Equal(late.Add(24*time.Hour)) {
				t.Errorf("user %d: asked %+v, %v, %v; want an answer by %v", u, c, ok, err, late.Add(24*time.Hour))
			}
		}
		return nil
	})

	// User 1 comes, user 2 does not: the seat goes to user 4 at once.
	err = db.Update(func(tx *store.Tx) error {
		if _, err := tx.AnswerStillComing(seats, 1, true, late.Add(2*time.Hour)); err != nil {
			return err
		}
		offers, err := tx.AnswerStillComing(seats, 2, false, late.Add(2*time.Hour))
		if len(offers) != 1 || offers[0].UserID != 4 {
			t.Errorf("Tidak jadi made offers %+v, want one to user 4", offers)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// User 3 never answers.
	over := late.Add(24 * time.Hour)
	want := 0
	if release {
		want = 2 // the notice, and the seat offered to user 5
	}
	tick(over.Add(-time.Minute), 0)
	tick(over, want)
	view(func(tx *store.Tx) error {
		p, err := tx.Participant(b.ID, 3)
		if err != nil {
			return err
		}
		flagged, err := tx.Unconfirmed(b.ID)
		if err != nil {
			return err
		}
		offers, err := tx.Offers(b.ID)
		if err != nil {
			return err
		}
		if release {
			if p.Status != store.StatusCancelled || len(flagged) != 0 {
				t.Errorf("released: user 3 is %s, flagged %v", p.Status, flagged)
			}
			if len(offers) != 2 || offers[1].UserID != 5 {
				t.Errorf("offers %+v, want users 4 and 5", offers)
			}
			if _, err := tx.OutboxByKey("unconfirmed-released/angkatan-1/3"); err != nil {
				t.Errorf("no notice of the release: %v", err)
			}
		} else {
			if p.Status != store.StatusRegistered || !flagged[3] || len(flagged) != 1 {
				t.Errorf("kept: user 3 is %s, flagged %v; want registered and flagged alone", p.Status, flagged)
			}
			if len(offers) != 1 {
				t.Errorf("offers %+v, want user 4's only", offers)
			}
		}
		return nil
	})
	// After the start nothing is asked, not even of a newcomer's seat.
	tick(start.Add(9*time.Hour), 0)
}
