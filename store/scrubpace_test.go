package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// seatAndErase registers user with name in seats' batch and erases them,
// as /hapusdata does, leaving the rewrite to the caller.
func seatAndErase(t *testing.T, db *store.DB, seats store.Seats, user int64, name string) {
	t.Helper()
	p := wlPerson(seats.Batch.ID, user)
	p.Answers = map[string]string{"name": name}
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(p, seats.Batch.Capacity)
		return err
	})
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{seats}, user, wlNow)
		return err
	})
}

// Ensure that erasures in a burst share rewrites of the file: the first
// is rewritten at once, the next within the interval, not each on its
// own.
func TestScrubber_Coalesced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seats := wlSeats("angkatan-2", 16, wlStartIn(10))
	s := store.NewScrubber(db, 300*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx, func(err error) { t.Errorf("scrub: %v", err) })

	seatAndErase(t, db, seats, 1, "Sulastri Wiryodiningrat")
	if !fileHolds(t, path, "Sulastri Wiryodiningrat") {
		t.Fatal("the erased name is not in the freed pages: the checks below prove nothing")
	}
	if err := s.Soon(); err != nil {
		t.Fatal(err)
	}
	if fileHolds(t, path, "Sulastri Wiryodiningrat") {
		t.Fatal("the first erasure is still in the file after scrubSoon")
	}
	seatAndErase(t, db, seats, 2, "Rukmini Sastrowardoyo")
	start := time.Now()
	if err := s.Soon(); err != nil {
		t.Fatal(err)
	}
	if !fileHolds(t, path, "Rukmini Sastrowardoyo") {
		t.Fatal("the second erasure was rewritten at once: a burst of erasures would rewrite the file each time")
	}
	for fileHolds(t, path, "Rukmini Sastrowardoyo") {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the put-off rewrite never ran")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
