package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that a reminder names the organisers' contact when the course
// has one, and says nothing of it when not.
func TestBot_ReminderContact(t *testing.T) {
	bt := store.Batch{ID: "a", Name: "A", Start: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), Days: 3, DailyStart: "08:00", DailyEnd: "15:00"}
	c := store.Course{Title: "Menjahit", Venue: "BLK", Batches: []store.Batch{bt}}
	if got := reminderText(locale.For("id").Messages, c, bt, 2, store.Morning); strings.Contains(got, "Hubungi") {
		t.Errorf("without a contact: %q", got)
	}
	c.Contact = "@panitia_blk"
	got := reminderText(locale.For("id").Messages, c, bt, 2, store.Morning)
	if !strings.HasSuffix(got, "\nPertanyaan? Hubungi panitia: @panitia_blk") {
		t.Errorf("reminder %q does not end with the contact", got)
	}
}
