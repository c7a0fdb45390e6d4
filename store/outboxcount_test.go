package store_test

import (
	"strconv"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that OutboxCountsOf counts the entries about the batches asked
// for, and announcement copies by their announcement's audience.
func TestDB_OutboxCountsOf(t *testing.T) {
	db := mustOpen(t)
	later := wlNow.AddDate(1, 0, 0)
	mustUpdate(t, db, func(tx *store.Tx) error {
		a, err := tx.NewAnnouncement(1, 1, "id", wlNow)
		if err != nil {
			return err
		}
		if _, _, err := tx.CaptureAnnouncement(1, 1, 5, "text"); err != nil {
			return err
		}
		if _, err := tx.SetAudience(a.ID, store.AudienceBatch("a")); err != nil {
			return err
		}
		entries := []store.OutboxEntry{
			{Key: "r1", Kind: store.KindReminder, Data: map[string]string{"batch": "a", "day": "1", "slot": "morning"}},
			{Key: "r2", Kind: store.KindReminder, Data: map[string]string{"batch": "b", "day": "1", "slot": "morning"}},
			{Key: "o1", Kind: store.KindOffer, Data: map[string]string{"batch": "b"}},
			{Key: "c1", Kind: store.KindAnnouncement, Data: map[string]string{"announcement": strconv.FormatUint(a.ID, 10), "from_chat": "1", "message_id": "5"}},
			{Key: "c2", Kind: store.KindAnnouncement, Data: map[string]string{"announcement": strconv.FormatUint(a.ID, 10), "from_chat": "1", "message_id": "5"}},
		}
		for i, e := range entries {
			e.ChatID, e.UserID, e.NotBefore, e.CreatedAt = int64(10+i), int64(10+i), later, wlNow
			if _, err := tx.Enqueue(e); err != nil {
				return err
			}
		}
		return nil
	})
	onlyA := func(id string) bool { return id == "a" }
	audA := func(a store.Audience) bool { return a == store.AudienceBatch("a") }
	for _, tc := range []struct {
		name     string
		batch    func(string) bool
		audience func(store.Audience) bool
		want     int
	}{
		{"batch a and its announcement", onlyA, audA, 3},
		{"batch b, no announcement", func(id string) bool { return id == "b" }, func(store.Audience) bool { return false }, 2},
		{"nothing", func(string) bool { return false }, func(store.Audience) bool { return false }, 0},
	} {
		counts, err := db.OutboxCountsOf(tc.batch, tc.audience)
		if err != nil {
			t.Fatal(err)
		}
		if got := counts[store.OutboxQueued]; got != tc.want {
			t.Errorf("%s: %d queued, want %d", tc.name, got, tc.want)
		}
	}
	all, err := db.OutboxCounts()
	if err != nil || all[store.OutboxQueued] != 5 {
		t.Errorf("OutboxCounts = %v, %v; want 5 queued", all, err)
	}
}
