package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that a conversation is stored and read back whole, and that a
// person without one is reported as such.
func TestTx_Conversation(t *testing.T) {
	t.Run("Missing", func(t *testing.T) {
		db := mustOpen(t)
		err := db.View(func(tx *store.Tx) error {
			c, ok, err := tx.Conversation(42)
			if err != nil {
				return err
			}
			if ok || !reflect.DeepEqual(c, store.Conversation{}) {
				t.Errorf("Conversation(42) = %+v, %v; want zero, false", c, ok)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		db := mustOpen(t)
		jakarta := time.FixedZone("WIB", 7*60*60)
		want := store.Conversation{
			UserID:  42,
			ChatID:  4242,
			Lang:    "id",
			State:   "form",
			Step:    2,
			Editing: true,
			Batch:   "angkatan-1",
			Answers: map[string]string{
				"name":  "Nur, \"Ani\"\nJember",
				"phone": "+6281234567890",
				"nik":   "3509014501900001",
			},
			ConsentAt: time.Date(2025, 10, 1, 19, 4, 5, 123456789, jakarta),
			Seq:       17,
			UpdatedAt: time.Date(2025, 10, 1, 19, 6, 0, 0, jakarta),
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			if err := tx.PutConversation(want); err != nil {
				return err
			}
			// Another person's conversation stays apart.
			return tx.PutConversation(store.Conversation{UserID: 43, State: "start"})
		})
		err := db.View(func(tx *store.Tx) error {
			got, ok, err := tx.Conversation(42)
			if err != nil {
				return err
			}
			if !ok {
				t.Fatal("Conversation(42) not found")
			}
			if !got.ConsentAt.Equal(want.ConsentAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
				t.Errorf("times %v, %v; want %v, %v", got.ConsentAt, got.UpdatedAt, want.ConsentAt, want.UpdatedAt)
			}
			g, w := got, want
			g.ConsentAt, g.UpdatedAt, w.ConsentAt, w.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("Conversation(42) = %+v, want %+v", g, w)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ZeroTimesStayZero", func(t *testing.T) {
		db := mustOpen(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			return tx.PutConversation(store.Conversation{UserID: 1, State: "start"})
		})
		err := db.View(func(tx *store.Tx) error {
			c, ok, err := tx.Conversation(1)
			if err != nil || !ok {
				t.Fatalf("Conversation(1) = %+v, %v, %v", c, ok, err)
			}
			if !c.ConsentAt.IsZero() || !c.UpdatedAt.IsZero() || c.Answers != nil {
				t.Errorf("Conversation(1) = %+v, want zero times and no answers", c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Overwrite", func(t *testing.T) {
		db := mustOpen(t)
		mustUpdate(t, db, func(tx *store.Tx) error {
			return tx.PutConversation(store.Conversation{UserID: 1, State: "form", Answers: map[string]string{"name": "Ani"}})
		})
		mustUpdate(t, db, func(tx *store.Tx) error {
			return tx.PutConversation(store.Conversation{UserID: 1, State: "done"})
		})
		err := db.View(func(tx *store.Tx) error {
			c, _, err := tx.Conversation(1)
			if c.State != "done" || c.Answers != nil {
				t.Errorf("Conversation(1) = %+v, want the second version only", c)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// Ensure that CountConversations counts one per person, also inside the
// transaction that just stored a conversation.
func TestTx_CountConversations(t *testing.T) {
	db := mustOpen(t)
	count := func() int {
		var n int
		if err := db.View(func(tx *store.Tx) error { n = tx.CountConversations(); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Errorf("CountConversations() = %d on an empty database, want 0", n)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, id := range []int64{1, 2, 3, 2} {
			if err := tx.PutConversation(store.Conversation{UserID: id}); err != nil {
				return err
			}
		}
		return nil
	})
	if n := count(); n != 3 {
		t.Errorf("CountConversations() = %d, want 3", n)
	}

	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.PutConversation(store.Conversation{UserID: 4}); err != nil {
			return err
		}
		if n := tx.CountConversations(); n != 4 {
			t.Errorf("CountConversations() = %d in the transaction that added the 4th, want 4", n)
		}
		return nil
	})
}
