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
