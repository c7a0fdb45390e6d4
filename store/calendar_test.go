package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// sundaysOff is a welding batch of 7 session days from Monday 1 Feb 2027,
// Sundays off and 3 Feb (a Wednesday) a holiday: 1, 2, 4, 5, 6, 8, 9 Feb.
func sundaysOff(tb testing.TB) store.Batch {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		tb.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2027, 2, d, 0, 0, 0, 0, loc) }
	dates := store.SessionDates(day(1), 7, []time.Weekday{time.Sunday}, []time.Time{day(3)})
	return store.Batch{ID: "las-1", Name: "Las 1", Start: dates[0], Days: len(dates), Dates: dates,
		Capacity: 10, DailyStart: "08:00", DailyEnd: "15:00", Open: true}
}

func dateStrings(ds []time.Time) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Format("Mon 2006-01-02"))
	}
	return out
}

// Ensure that SessionDates counts days session days from start, skipping
// the weekdays and holidays given, and gives none when every weekday is
// skipped.
func TestSessionDates(t *testing.T) {
	b := sundaysOff(t)
	want := []string{"Mon 2027-02-01", "Tue 2027-02-02", "Thu 2027-02-04", "Fri 2027-02-05", "Sat 2027-02-06", "Mon 2027-02-08", "Tue 2027-02-09"}
	if got := dateStrings(b.SessionDays()); !slices.Equal(got, want) {
		t.Errorf("session days %q, want %q", got, want)
	}
	plain := []string{"Mon 2027-02-01", "Tue 2027-02-02", "Wed 2027-02-03"}
	if got := dateStrings(store.SessionDates(b.Start, 3, nil, nil)); !slices.Equal(got, plain) {
		t.Errorf("consecutive %q, want %q", got, plain)
	}
	all := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	if got := store.SessionDates(b.Start, 3, all, nil); got != nil {
		t.Errorf("every weekday skipped: %q, want none", dateStrings(got))
	}
}

// Ensure that a batch with days off numbers its session days by its
// dates: Day, End, DayOn (none on a day off), Begun, Ended.
func TestBatch_Calendar(t *testing.T) {
	b := sundaysOff(t)
	loc := b.Start.Location()
	at := func(d, h int) time.Time { return time.Date(2027, 2, d, h, 0, 0, 0, loc) }
	if got := b.Day(3).Format(time.DateOnly); got != "2027-02-04" {
		t.Errorf("Day(3) = %s, want 2027-02-04 (3 Feb is a holiday)", got)
	}
	if got := b.End().Format(time.DateOnly); got != "2027-02-09" {
		t.Errorf("End = %s, want 2027-02-09", got)
	}
	for _, tc := range []struct {
		day, want int
		ok        bool
	}{{1, 1, true}, {3, 0, false}, {4, 3, true}, {7, 0, false}, {8, 6, true}, {9, 7, true}, {10, 0, false}} {
		n, ok := b.DayOn(at(tc.day, 10))
		if n != tc.want || ok != tc.ok {
			t.Errorf("DayOn(%d Feb) = %d, %v; want %d, %v", tc.day, n, ok, tc.want, tc.ok)
		}
	}
	if b.Begun(6, at(7, 12)) || !b.Begun(6, at(8, 0)) {
		t.Error("Begun(6): want false on Sunday 7 Feb, true from Monday 8 Feb")
	}
	if b.Ended(at(9, 23)) || !b.Ended(at(10, 0)) {
		t.Error("Ended: want false on 9 Feb, true from 10 Feb")
	}
}

// Ensure that batches overlap only when they share a session day: a
// batch meeting on the other batch's day off does not.
func TestBatch_OverlapsCalendar(t *testing.T) {
	b := sundaysOff(t)
	loc := b.Start.Location()
	one := func(d int) store.Batch {
		return store.Batch{ID: "x", Start: time.Date(2027, 2, d, 0, 0, 0, 0, loc), Days: 1}
	}
	for _, tc := range []struct {
		day  int
		want bool
	}{{3, false}, {7, false}, {4, true}, {9, true}, {10, false}, {31, false}} {
		o := one(tc.day)
		if tc.day == 31 {
			o.Start = time.Date(2027, 1, 31, 0, 0, 0, 0, loc)
		}
		if got := b.Overlaps(o); got != tc.want {
			t.Errorf("overlaps a one-day batch on %d: %v, want %v", tc.day, got, tc.want)
		}
		if got := o.Overlaps(b); got != tc.want {
			t.Errorf("the one-day batch on %d overlaps: %v, want %v", tc.day, got, tc.want)
		}
	}
}
