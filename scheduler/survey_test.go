package scheduler

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a tick sends the survey, once, to everyone present on at
// least one day of a batch whose survey is due, counting session days by
// the batch's calendar, and reminds once, a day later, those who have not
// answered; after the survey closes nothing more goes.
func TestScheduler_Surveys(t *testing.T) {
	loc := time.FixedZone("WIB", 7*3600)
	start := time.Date(2025, 10, 24, 0, 0, 0, 0, loc) // a Friday
	// Friday, Saturday, (Sunday off), Monday: the last session ends on the 27th.
	dates := store.SessionDates(start, 3, []time.Weekday{time.Sunday}, nil)
	b := store.Batch{ID: "angkatan-1", Name: "Angkatan 1", Start: start, Days: 3, Dates: dates, Capacity: 10, DailyStart: "08:00", DailyEnd: "15:00"}
	course := store.Course{Location: loc, Batches: []store.Batch{b}, Survey: store.Survey{Hours: 2, Fields: []store.SurveyField{
		{Key: "overall", Kind: store.SurveyRating, Label: "Nilai"},
	}}}
	db := mustOpen(t)
	for _, u := range []int64{1, 2, 3} {
		mustRegister(t, db, b, u, start.AddDate(0, 0, -7))
	}
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.SetAttendance(b.ID, 1, 1, true, 9, start); err != nil {
			return err
		}
		return tx.SetAttendance(b.ID, 2, 3, true, 9, b.Day(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(db, store.Catalog{Courses: []store.Course{course}}, Options{Evening: evening, Morning: morning})
	due := time.Date(2025, 10, 27, 17, 0, 0, 0, loc)
	if got := SurveysDue(course, due.Add(-time.Minute)); len(got) != 0 {
		t.Fatalf("due before the last session ended: %v", got)
	}
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
	tick(due.Add(-time.Minute), 0)
	tick(due, 2)                   // users 1 and 2, not 3 (never present)
	tick(due.Add(time.Hour), 0)    // once
	tick(due.Add(23*time.Hour), 0) // no reminder before a day
	err = db.Update(func(tx *store.Tx) error {
		_, _, err := tx.AnswerSurvey(course, b, 2, store.SurveyAnswer{Button: true, Value: "5"}, due.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tick(due.Add(25*time.Hour), 1) // user 1 only: 2 answered
	tick(due.Add(49*time.Hour), 0) // at most once
	err = db.View(func(tx *store.Tx) error {
		for _, key := range []string{store.SurveyKey(b.ID, 1, false), store.SurveyKey(b.ID, 2, false), store.SurveyKey(b.ID, 1, true)} {
			e, err := tx.OutboxByKey(key)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			if p, err := e.Survey(); err != nil || p.Batch != b.ID || p.Reminder != (key == store.SurveyKey(b.ID, 1, true)) {
				t.Fatalf("%s: %+v %v", key, p, err)
			}
		}
		if _, err := tx.OutboxByKey(store.SurveyKey(b.ID, 3, false)); err == nil {
			t.Fatal("the survey went to someone never present")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Marked present late, after the survey closed: nothing.
	err = db.Update(func(tx *store.Tx) error { return tx.SetAttendance(b.ID, 3, 2, true, 9, b.Day(2)) })
	if err != nil {
		t.Fatal(err)
	}
	tick(due.AddDate(0, 0, store.SurveyOpenDays), 0)
}

// Ensure that a course's own survey window and reminder delay are kept:
// the reminder after ReminderHours, none when it is negative, and nothing
// once the window of Days is over.
func TestScheduler_SurveyWindowAndReminder(t *testing.T) {
	loc := time.FixedZone("WIB", 7*3600)
	start := time.Date(2025, 10, 20, 0, 0, 0, 0, loc)
	b := store.Batch{ID: "angkatan-1", Name: "Angkatan 1", Start: start, Days: 1, Capacity: 10, DailyStart: "08:00", DailyEnd: "15:00"}
	due := time.Date(2025, 10, 20, 17, 0, 0, 0, loc)
	for _, tc := range []struct {
		name          string
		days, remind  int
		early, remAt  time.Duration // no reminder at early, the reminder at remAt
		closedAfter   time.Duration // nothing sent to a late attendee from here
		wantReminders int
	}{
		{"reminder after 6 hours, open 3 days", 3, 6, 5 * time.Hour, 6 * time.Hour, 72 * time.Hour, 1},
		{"no reminder, open 1 day", 1, -1, 5 * time.Hour, 23 * time.Hour, 24 * time.Hour, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			course := store.Course{Location: loc, Batches: []store.Batch{b}, Survey: store.Survey{
				Hours: 2, Days: tc.days, ReminderHours: tc.remind,
				Fields: []store.SurveyField{{Key: "overall", Kind: store.SurveyRating, Label: "Nilai"}},
			}}
			db := mustOpen(t)
			mustRegister(t, db, b, 1, start.AddDate(0, 0, -7))
			mustRegister(t, db, b, 2, start.AddDate(0, 0, -7))
			if err := db.Update(func(tx *store.Tx) error { return tx.SetAttendance(b.ID, 1, 1, true, 9, start) }); err != nil {
				t.Fatal(err)
			}
			s := New(db, store.Catalog{Courses: []store.Course{course}}, Options{Evening: evening, Morning: morning})
			tick := func(at time.Duration, want int) {
				t.Helper()
				n, err := s.Tick(due.Add(at))
				if err != nil {
					t.Fatal(err)
				}
				if n != want {
					t.Fatalf("tick at due+%v enqueued %d, want %d", at, n, want)
				}
			}
			tick(0, 1)
			tick(tc.early, 0)
			tick(tc.remAt, tc.wantReminders)
			tick(tc.remAt+time.Hour, 0)
			// Marked present late: the survey goes while open, not after.
			if err := db.Update(func(tx *store.Tx) error { return tx.SetAttendance(b.ID, 2, 1, true, 9, start) }); err != nil {
				t.Fatal(err)
			}
			tick(tc.closedAfter, 0)
			if !course.Survey.Open(b, due.Add(tc.closedAfter-time.Minute)) || course.Survey.Open(b, due.Add(tc.closedAfter)) {
				t.Fatalf("the survey is not open for exactly %d days", tc.days)
			}
		})
	}
}
