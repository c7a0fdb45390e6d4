package store_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// The poller journals a getUpdates batch before it confirms it to Telegram,
// and a handler removes each update in the transaction that applies it,
// together with the reply it owes.
func ExampleDB_Journal() {
	dir, err := os.MkdirTemp("", "daftar-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := store.Open(filepath.Join(dir, "daftar.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	// Journal a batch; 103 is the offset of the next getUpdates.
	_, err = db.Journal([]store.Update{
		{ID: 101, Raw: []byte(`{"update_id":101}`)},
		{ID: 102, Raw: []byte(`{"update_id":102}`)},
	}, 103)
	if err != nil {
		log.Fatal(err)
	}
	offset, _ := db.Offset()
	fmt.Println("confirm with offset", offset)

	// Handle update 101: change state, owe a reply, leave the journal.
	err = db.Update(func(tx *store.Tx) error {
		if _, err := tx.AddReply(4242, []byte("Selamat datang!")); err != nil {
			return err
		}
		return tx.DoneUpdate(101)
	})
	if err != nil {
		log.Fatal(err)
	}

	left, _ := db.Journaled()
	for _, u := range left {
		fmt.Println("still to handle:", u.ID)
	}
	replies, _ := db.PendingReplies()
	for _, r := range replies {
		fmt.Printf("to send to chat %d: %s\n", r.ChatID, r.Payload)
	}

	// Output:
	// confirm with offset 103
	// still to handle: 102
	// to send to chat 4242: Selamat datang!
}

// Seats are handed out in order until the batch is full.
func ExampleTx_ConfirmSeat() {
	dir, err := os.MkdirTemp("", "daftar-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := store.Open(filepath.Join(dir, "daftar.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	now := time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC)
	for _, user := range []int64{11, 12, 13, 11} {
		err := db.Update(func(tx *store.Tx) error {
			p, err := tx.ConfirmSeat(store.Participant{
				UserID:       user,
				ChatID:       user,
				Batch:        "angkatan-1",
				Lang:         "id",
				RegisteredAt: now,
			}, 2)
			switch {
			case errors.Is(err, store.ErrAlreadyRegistered):
				fmt.Printf("user %d already has seat %d\n", user, p.Seat)
				return nil
			case errors.Is(err, store.ErrBatchFull):
				fmt.Printf("user %d: batch is full\n", user)
				return nil
			case err != nil:
				return err
			}
			fmt.Printf("user %d: seat %d\n", user, p.Seat)
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}

	// Output:
	// user 11: seat 1
	// user 12: seat 2
	// user 13: batch is full
	// user 11 already has seat 1
}
