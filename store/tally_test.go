package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that Tallies returns every registration's user, batch, status
// and registration time, by batch then user.
func TestTx_Tallies(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2025, 10, 1, 3, 4, 5, 0, time.UTC)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, p := range []store.Participant{
			{UserID: 2, Batch: "b", RegisteredAt: at, Answers: map[string]string{"name": "Dua"}},
			{UserID: 1, Batch: "b", RegisteredAt: at.Add(time.Hour)},
			{UserID: 3, Batch: "a", RegisteredAt: at},
		} {
			if _, err := tx.ConfirmSeat(p, 10); err != nil {
				return err
			}
		}
		return nil
	})
	var got []store.Tally
	err := db.View(func(tx *store.Tx) error {
		var err error
		got, err = tx.Tallies()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Tally{
		{UserID: 3, Batch: "a", Status: store.StatusRegistered, RegisteredAt: at},
		{UserID: 1, Batch: "b", Status: store.StatusRegistered, RegisteredAt: at.Add(time.Hour)},
		{UserID: 2, Batch: "b", Status: store.StatusRegistered, RegisteredAt: at},
	}
	if len(got) != len(want) {
		t.Fatalf("Tallies = %+v, want %+v", got, want)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i].RegisteredAt.UTC(), want[i].RegisteredAt) {
			t.Errorf("tally %d registered at %v, want %v", i, got[i].RegisteredAt, want[i].RegisteredAt)
		}
		got[i].RegisteredAt, want[i].RegisteredAt = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tallies = %+v, want %+v", got, want)
	}
}
