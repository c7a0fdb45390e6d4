package store_test

import (
	"errors"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that StaffErase erases a walk-in at the desk as Erase does — the
// registration, the claim link, the seat offered to the first person
// waiting — only while the registration is as the organiser saw it, never
// an account's, and logs the organiser without the person.
func TestTx_StaffErase(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 2, wlStartIn(10))
	wlFill(t, db, seats, []int64{1}, nil)
	p, w := enrolWalkIn(t, db, seats, wlNow)
	wlFill(t, db, seats, nil, []int64{2}) // full: user 2 waits
	all := []store.Seats{seats}
	by := store.AuditEntry{By: 99, ByName: "Rina"}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.StaffErase(all, "b", 1, "", by, wlNow); !errors.Is(err, store.ErrNotWalkIn) {
			t.Errorf("erasing an account's data: %v, want ErrNotWalkIn", err)
		}
		if _, err := tx.StaffErase(all, "b", p.UserID, "registered.1.0.0", by, wlNow); !errors.Is(err, store.ErrChanged) {
			t.Errorf("a stale stamp: %v, want ErrChanged", err)
		}
		if _, err := tx.StaffErase(all, "x", p.UserID, p.Stamp(), by, wlNow); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("another batch: %v, want ErrNotFound", err)
		}
		offers, err := tx.StaffErase(all, "b", p.UserID, p.Stamp(), by, wlNow)
		if err != nil || len(offers) != 1 || offers[0].UserID != 2 {
			t.Fatalf("StaffErase = %+v, %v; want the seat offered to user 2", offers, err)
		}
		if _, err := tx.Participant("b", p.UserID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the walk-in's registration after erasure: %v", err)
		}
		if _, err := tx.WalkInByCode(w.Code); err == nil {
			t.Error("the claim link still works after erasure")
		}
		if n, err := tx.ErasedCount("b"); err != nil || n != 1 {
			t.Errorf("erased count %d, %v", n, err)
		}
		es, err := tx.AuditLog(1)
		if err != nil || len(es) != 1 || es[0].Action != store.AuditDataDeleted || es[0].By != 99 || es[0].ByName != "Rina" || es[0].Subject != 0 {
			t.Errorf("audit %+v, %v; want the deletion by organiser 99, naming nobody", es, err)
		}
		return nil
	})
}
