package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that Prune deletes finished outbox entries, audit entries and
// empty conversations older than the policy says, and keeps what is
// queued, announcement copies, recent records and conversations of people
// who hold a registration or left answers.
func TestTx_Prune(t *testing.T) {
	db := mustOpen(t)
	const day = 24 * time.Hour
	old, now := wlNow, wlNow.Add(400*day)
	recent := now.Add(-10 * day)
	seats := wlSeats("b", 2, wlStartIn(10))
	seatWithName(t, db, seats, "Sulastri") // user 1
	mustUpdate(t, db, func(tx *store.Tx) error {
		for i, e := range []store.OutboxEntry{
			{Key: "old-sent", Kind: store.KindNotice, ChatID: 2, UserID: 2, CreatedAt: old},
			{Key: "old-queued", Kind: store.KindNotice, ChatID: 2, UserID: 2, CreatedAt: old},
			{Key: "old-announcement", Kind: store.KindAnnouncement, ChatID: 2, UserID: 2, CreatedAt: old},
			{Key: "recent-sent", Kind: store.KindNotice, ChatID: 2, UserID: 2, CreatedAt: recent},
		} {
			if _, err := tx.Enqueue(e); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
		}
		for _, c := range []store.Conversation{
			{UserID: 1, ChatID: 1, State: "done", UpdatedAt: old},                                           // holds a seat
			{UserID: 3, ChatID: 3, State: "idle", UpdatedAt: old},                                           // empty and old
			{UserID: 4, ChatID: 4, State: "field", Answers: map[string]string{"name": "A"}, UpdatedAt: old}, // a form in progress
			{UserID: 5, ChatID: 5, State: "idle", UpdatedAt: recent},                                        // empty, recent
		} {
			if err := tx.PutConversation(c); err != nil {
				return err
			}
		}
		if err := tx.Audit(store.AuditEntry{At: now.Add(-800 * day), Action: store.AuditExport, Subject: 2}); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: old, Action: store.AuditExport})
	})
	for _, key := range []string{"old-sent", "old-announcement", "recent-sent"} {
		var id uint64
		if err := db.View(func(tx *store.Tx) error {
			e, err := tx.OutboxByKey(key)
			id = e.ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkSent(id, 1, old); err != nil {
			t.Fatal(err)
		}
	}
	var n store.Pruned
	mustUpdate(t, db, func(tx *store.Tx) error {
		var err error
		n, err = tx.Prune(now, store.DefaultPrunePolicy())
		return err
	})
	if n != (store.Pruned{Outbox: 1, Audit: 1, Conversations: 1}) {
		t.Errorf("Prune = %+v, want 1 outbox entry, 1 audit entry, 1 conversation", n)
	}
	err := db.View(func(tx *store.Tx) error {
		for key, want := range map[string]bool{"old-sent": false, "old-queued": true, "old-announcement": true, "recent-sent": true} {
			_, err := tx.OutboxByKey(key)
			if got := err == nil; got != want {
				t.Errorf("outbox %s kept = %v, want %v (%v)", key, got, want, err)
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for user, want := range map[int64]bool{1: true, 3: false, 4: true, 5: true} {
			_, found, err := tx.Conversation(user)
			if err != nil {
				return err
			}
			if found != want {
				t.Errorf("conversation of %d kept = %v, want %v", user, found, want)
			}
		}
		log, err := tx.AuditLog(10)
		if len(log) != 1 {
			t.Errorf("audit log holds %d entries, want the recent one", len(log))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A pruned key may be enqueued again: it is gone for good.
	mustUpdate(t, db, func(tx *store.Tx) error {
		stored, err := tx.Enqueue(store.OutboxEntry{Key: "old-sent", Kind: store.KindNotice, ChatID: 2, UserID: 2, CreatedAt: now})
		if !stored {
			t.Error("a pruned key cannot be enqueued again")
		}
		return err
	})
}

// BenchmarkTx_Erase erases one person among many outbox and audit
// entries of others: with the person indexes its cost does not grow with
// them (compare -benchtime runs with others=1000 and others=20000).
func BenchmarkTx_Erase(b *testing.B) {
	for _, others := range []int{1000, 20000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			db := mustOpen(b)
			seats := wlSeats("b", 100000, wlStartIn(10))
			mustUpdate(b, db, func(tx *store.Tx) error {
				for i := range others {
					u := int64(1000 + i)
					if _, err := tx.Enqueue(store.OutboxEntry{Key: fmt.Sprintf("n/%d", i), Kind: store.KindNotice, ChatID: u, UserID: u, CreatedAt: wlNow}); err != nil {
						return err
					}
					if err := tx.Audit(store.AuditEntry{At: wlNow, Action: store.AuditExport, Subject: u}); err != nil {
						return err
					}
				}
				return nil
			})
			b.ResetTimer()
			for i := range b.N {
				u := int64(1 + i%500)
				mustUpdate(b, db, func(tx *store.Tx) error {
					if _, err := tx.ConfirmSeat(wlPerson("b", u), seats.Batch.Capacity); err != nil && !errors.Is(err, store.ErrAlreadyRegistered) {
						return err
					}
					_, err := tx.Erase([]store.Seats{seats}, u, wlNow)
					return err
				})
			}
		})
	}
}
