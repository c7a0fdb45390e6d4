package store_test

import (
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that an organiser's open or close wins over the config until
// changed again, and that WithBatchOverrides leaves the config's course
// alone.
func TestTx_SetBatchOpen(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	course := store.Course{Batches: []store.Batch{{ID: "b1", Open: true}, {ID: "b2", Open: false}, {ID: "b3", Open: true}}}

	check := func(want ...bool) {
		t.Helper()
		err := db.View(func(tx *store.Tx) error {
			c := tx.WithBatchOverrides(course)
			for i, b := range c.Batches {
				if b.Open != want[i] {
					t.Errorf("%s open = %v, want %v", b.ID, b.Open, want[i])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(true, false, true)
	if err := db.View(func(tx *store.Tx) error {
		if open, overridden := tx.BatchOpen("b1"); open || overridden {
			t.Errorf("BatchOpen before any decision = %v, %v", open, overridden)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.SetBatchOpen("b1", false, 9, at); err != nil {
			return err
		}
		return tx.SetBatchOpen("b2", true, 9, at)
	})
	check(false, true, true)
	if course.Batches[0].Open != true || course.Batches[1].Open != false {
		t.Error("WithBatchOverrides changed the config's course")
	}

	mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetBatchOpen("b1", true, 9, at) })
	check(true, true, true)
	if err := db.View(func(tx *store.Tx) error {
		if open, overridden := tx.BatchOpen("b1"); !open || !overridden {
			t.Errorf("BatchOpen(b1) = %v, %v; want open, overridden", open, overridden)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *store.Tx) error { return tx.SetBatchOpen("", true, 9, at) }); err == nil {
		t.Error("an empty batch id is accepted")
	}
}
