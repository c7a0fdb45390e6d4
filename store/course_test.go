package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a certificate needs a seat and CertificateMinDays days
// present, and that a course with CertificateMinDays 0 gives none.
func TestCourse_CertificateEligible(t *testing.T) {
	for _, tc := range []struct {
		min, days int
		status    store.Status
		want      bool
	}{
		{2, 2, store.StatusRegistered, true},
		{2, 3, store.StatusRegistered, true},
		{2, 1, store.StatusRegistered, false},
		{2, 2, store.StatusWaiting, false},
		{2, 2, store.StatusCancelled, false},
		{0, 0, store.StatusRegistered, false},
		{0, 5, store.StatusRegistered, false},
	} {
		c := store.Course{CertificateMinDays: tc.min}
		if got := c.CertificateEligible(tc.status, tc.days); got != tc.want {
			t.Errorf("min %d: CertificateEligible(%s, %d) = %v, want %v", tc.min, tc.status, tc.days, got, tc.want)
		}
	}
}

// Ensure that a participant is named by their "name" answer, else by the
// first text answer they gave, else by their user id, and that blanks
// around an answer do not count.
func TestCourse_DisplayName(t *testing.T) {
	c := store.Course{Fields: []store.Field{
		{Key: "phone", Kind: store.KindPhone},
		{Key: "city", Kind: store.KindChoice},
		{Key: "nickname", Kind: store.KindText},
		{Key: "name", Kind: store.KindText},
	}}
	for _, tc := range []struct {
		answers map[string]string
		want    string
	}{
		{map[string]string{"name": " Siti Aminah ", "nickname": "Siti"}, "Siti Aminah"},
		{map[string]string{"name": "  ", "nickname": "Siti", "city": "Bandung"}, "Siti"},
		{map[string]string{"city": "Bandung", "phone": "+6281234567890"}, "#42"},
		{nil, "#42"},
	} {
		if got := c.DisplayName(store.Participant{UserID: 42, Answers: tc.answers}); got != tc.want {
			t.Errorf("DisplayName(%v) = %q, want %q", tc.answers, got, tc.want)
		}
	}
}

// Ensure that a participant's phone is their answer to the first phone
// field, and empty when the form asks for none.
func TestCourse_PhoneOf(t *testing.T) {
	p := store.Participant{Answers: map[string]string{"hp": "+6281234567890", "hp2": "+6289876543210"}}
	c := store.Course{Fields: []store.Field{{Key: "name", Kind: store.KindText}, {Key: "hp", Kind: store.KindPhone}, {Key: "hp2", Kind: store.KindPhone}}}
	if got := c.PhoneOf(p); got != "+6281234567890" {
		t.Errorf("PhoneOf = %q, want the first phone field's answer", got)
	}
	if got := (store.Course{Fields: []store.Field{{Key: "name", Kind: store.KindText}}}).PhoneOf(p); got != "" {
		t.Errorf("PhoneOf without a phone field = %q, want none", got)
	}
}

// Ensure that DayOn finds the session day of a moment in the batch's time
// zone, whatever zone the moment is given in, and none outside the batch.
func TestBatch_DayOn(t *testing.T) {
	jakarta := time.FixedZone("WIB", 7*3600)
	b := store.Batch{Start: time.Date(2027, 2, 1, 0, 0, 0, 0, jakarta), Days: 3}
	for _, tc := range []struct {
		at  time.Time
		day int
		ok  bool
	}{
		{time.Date(2027, 2, 1, 8, 0, 0, 0, jakarta), 1, true},
		{time.Date(2027, 2, 3, 23, 59, 0, 0, jakarta), 3, true},
		{time.Date(2027, 2, 2, 18, 0, 0, 0, time.UTC), 3, true}, // 01:00 on 3 Feb in Jakarta
		{time.Date(2027, 1, 31, 23, 0, 0, 0, jakarta), 0, false},
		{time.Date(2027, 2, 4, 0, 0, 0, 0, jakarta), 0, false},
		{time.Date(2028, 2, 1, 8, 0, 0, 0, jakarta), 0, false},
	} {
		if day, ok := b.DayOn(tc.at); day != tc.day || ok != tc.ok {
			t.Errorf("DayOn(%v) = %d, %v; want %d, %v", tc.at, day, ok, tc.day, tc.ok)
		}
	}
}

// Ensure that InSession lists the batches with a session on a date, in
// config order, and none on a date without one.
func TestCourse_InSession(t *testing.T) {
	jakarta := time.FixedZone("WIB", 7*3600)
	day := func(d int) time.Time { return time.Date(2027, 2, d, 0, 0, 0, 0, jakarta) }
	c := store.Course{Batches: []store.Batch{{ID: "a", Start: day(1), Days: 3}, {ID: "b", Start: day(3), Days: 2}, {ID: "c", Start: day(10), Days: 1}}}
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{day(1).Add(9 * time.Hour), []string{"a"}},
		{day(3).Add(23 * time.Hour), []string{"a", "b"}},
		{day(5), nil},
	} {
		var got []string
		for _, b := range c.InSession(tc.at) {
			got = append(got, b.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("InSession(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
}

// Ensure that two batches overlap when they share at least one day, and
// that the batch a person may choose is open, not started, not theirs, and
// not overlapping a batch they hold a seat or a waiting place in; a full
// batch still counts.
func TestCourse_Available(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2027, 2, d, 0, 0, 0, 0, time.UTC) }
	batch := func(id string, start, days int, open bool) store.Batch {
		return store.Batch{ID: id, Start: day(start), Days: days, Capacity: 1, DailyStart: "08:00", DailyEnd: "15:00", Open: open}
	}
	// Three places at once: this test is about dates (person_test.go
	// about the limit).
	c := store.Course{MaxBatchesPerPerson: 3, Batches: []store.Batch{
		batch("started", 1, 5, true),
		batch("a", 10, 3, true), // 10–12
		batch("b", 12, 3, true), // 12–14: shares the 12th with a
		batch("c", 15, 3, true), // 15–17
		batch("shut", 20, 3, false),
		batch("w", 25, 3, true),
	}}
	now := day(3)
	for _, tc := range []struct{ x, y string }{{"a", "b"}, {"b", "a"}, {"a", "a"}} {
		x, _ := c.Batch(tc.x)
		y, _ := c.Batch(tc.y)
		if !x.Overlaps(y) {
			t.Errorf("%s and %s do not overlap", tc.x, tc.y)
		}
	}
	if b, _ := c.Batch("b"); b.Overlaps(c.Batches[3]) {
		t.Errorf("b and c overlap: b ends the 14th, c starts the 15th")
	}
	ids := func(bs []store.Batch) (out []string) {
		for _, b := range bs {
			out = append(out, b.ID)
		}
		return out
	}
	if got := ids(c.Available(nil, now)); !slices.Equal(got, []string{"a", "b", "c", "w"}) {
		t.Errorf("Available to a newcomer = %v, want a b c w", got)
	}
	mine := store.Registrations{
		{Batch: "a", Status: store.StatusRegistered},
		{Batch: "w", Status: store.StatusWaiting},
		{Batch: "c", Status: store.StatusCancelled},
	}
	if got := ids(c.Available(mine, now)); !slices.Equal(got, []string{"c"}) {
		t.Errorf("Available = %v, want c (a is theirs, b overlaps a, w is where they wait)", got)
	}
	if o, ok := c.Overlap(c.Batches[2], mine); !ok || o.ID != "a" {
		t.Errorf("Overlap(b) = %v, %v, want a", o.ID, ok)
	}
	if _, ok := c.Overlap(c.Batches[1], mine); ok {
		t.Errorf("a overlaps the person's own seat in a")
	}
	// A waiting place counts as a seat does: it may become one at any moment.
	waiting := store.Registrations{{Batch: "a", Status: store.StatusWaiting}}
	if o, ok := c.Overlap(c.Batches[2], waiting); !ok || o.ID != "a" {
		t.Errorf("Overlap(b) while waiting in a = %v, %v, want a", o.ID, ok)
	}
	if got := ids(c.Available(waiting, now)); !slices.Equal(got, []string{"c", "w"}) {
		t.Errorf("Available while waiting in a = %v, want c w (b overlaps the waiting place)", got)
	}
	if !c.IsAvailable("c", mine, now) || c.IsAvailable("b", mine, now) || c.IsAvailable("nope", nil, now) {
		t.Errorf("IsAvailable disagrees with Available")
	}
}

// Ensure that a batch has ended from the midnight after its last day, and
// that a session day has begun from its midnight.
func TestBatch_Ended(t *testing.T) {
	b := store.Batch{Start: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), Days: 3, DailyStart: "08:00", DailyEnd: "15:00"}
	at := func(d, h int) time.Time { return time.Date(2027, 2, d, h, 0, 0, 0, time.UTC) }
	if b.Ended(at(3, 23)) || !b.Ended(at(4, 0)) {
		t.Errorf("Ended: want false on the last day, true from the midnight after")
	}
	if !b.Begun(1, at(1, 0)) || !b.Begun(2, at(3, 9)) || b.Begun(3, at(2, 23)) {
		t.Errorf("Begun: want a day begun from its midnight, not before")
	}
}

// Ensure that a batch's personal data is kept for the retention days
// after its last day and is due for deletion from the midnight after them.
func TestBatch_RetentionOver(t *testing.T) {
	b := store.Batch{Start: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), Days: 3} // last day: 3 Feb
	for _, tc := range []struct {
		days int
		now  time.Time
		want bool
	}{
		{0, time.Date(2027, 2, 3, 23, 59, 0, 0, time.UTC), false},
		{0, time.Date(2027, 2, 4, 0, 0, 0, 0, time.UTC), true},
		{30, time.Date(2027, 3, 5, 23, 59, 0, 0, time.UTC), false},
		{30, time.Date(2027, 3, 6, 0, 0, 0, 0, time.UTC), true},
	} {
		if got := b.RetentionOver(tc.days, tc.now); got != tc.want {
			t.Errorf("RetentionOver(%d, %s) = %v, want %v", tc.days, tc.now, got, tc.want)
		}
	}
}

// Ensure that the name field is the one keyed "name", else the first text
// field, and the birth date field the one keyed "birth_date", else the
// first date field: the fields DisplayName and the form's checks read.
func TestCourse_NameField(t *testing.T) {
	c := store.Course{Fields: []store.Field{
		{Key: "phone", Kind: store.KindPhone},
		{Key: "nickname", Kind: store.KindText},
		{Key: "graduated", Kind: store.KindDate},
		{Key: "name", Kind: store.KindText},
		{Key: "birth_date", Kind: store.KindDate},
	}}
	if f, ok := c.NameField(); !ok || f.Key != "name" {
		t.Errorf("NameField = %q, %v, want name", f.Key, ok)
	}
	if f, ok := c.BirthDateField(); !ok || f.Key != "birth_date" {
		t.Errorf("BirthDateField = %q, %v, want birth_date", f.Key, ok)
	}
	c.Fields = c.Fields[:3]
	if f, ok := c.NameField(); !ok || f.Key != "nickname" {
		t.Errorf("without a name field, NameField = %q, %v, want nickname", f.Key, ok)
	}
	if f, ok := c.BirthDateField(); !ok || f.Key != "graduated" {
		t.Errorf("without birth_date, BirthDateField = %q, %v, want graduated", f.Key, ok)
	}
	c.Fields = c.Fields[:1]
	if _, ok := c.NameField(); ok {
		t.Error("a form without text fields has a name field")
	}
	if _, ok := c.BirthDateField(); ok {
		t.Error("a form without dates has a birth date field")
	}
}
