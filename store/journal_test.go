package store_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// mustJournal journals updates with next as the new offset and returns the
// ids of those that were new.
func mustJournal(tb testing.TB, db *store.DB, next int64, updates ...store.Update) []int64 {
	tb.Helper()
	fresh, err := db.Journal(updates, next)
	if err != nil {
		tb.Fatalf("Journal: %v", err)
	}
	ids := []int64{}
	for _, u := range fresh {
		ids = append(ids, u.ID)
	}
	return ids
}

// journaledIDs returns the ids of the journaled updates, in order.
func journaledIDs(tb testing.TB, db *store.DB) []int64 {
	tb.Helper()
	us, err := db.Journaled()
	if err != nil {
		tb.Fatalf("Journaled: %v", err)
	}
	ids := []int64{}
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// mustOffset returns the stored offset.
func mustOffset(tb testing.TB, db *store.DB) int64 {
	tb.Helper()
	off, err := db.Offset()
	if err != nil {
		tb.Fatalf("Offset: %v", err)
	}
	return off
}

// Ensure that Journal keeps a getUpdates batch with its offset, never twice
// and never after it was handled, and that the offset only moves forward.
func TestDB_Journal(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		db := mustOpen(t)
		if off := mustOffset(t, db); off != 0 {
			t.Errorf("Offset() = %d, want 0", off)
		}
		us, err := db.Journaled()
		if err != nil || len(us) != 0 {
			t.Errorf("Journaled() = %v, %v; want none", us, err)
		}
	})

	t.Run("StoresUpdatesAndOffset", func(t *testing.T) {
		db := mustOpen(t)
		fresh := mustJournal(t, db, 13,
			store.Update{ID: 12, Raw: []byte(`{"update_id":12}`)},
			store.Update{ID: 10, Raw: []byte(`{"update_id":10}`)},
			store.Update{ID: 11, Raw: []byte(`{"update_id":11}`)},
		)
		if !reflect.DeepEqual(fresh, []int64{12, 10, 11}) {
			t.Errorf("Journal returned ids %v as new, want all of [12 10 11]", fresh)
		}
		if off := mustOffset(t, db); off != 13 {
			t.Errorf("Offset() = %d, want 13", off)
		}
		us, err := db.Journaled()
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Update{
			{ID: 10, Raw: []byte(`{"update_id":10}`)},
			{ID: 11, Raw: []byte(`{"update_id":11}`)},
			{ID: 12, Raw: []byte(`{"update_id":12}`)},
		}
		if !reflect.DeepEqual(us, want) {
			t.Errorf("Journaled() = %+v, want %+v", us, want)
		}
	})

	t.Run("RawIsCopied", func(t *testing.T) {
		db := mustOpen(t)
		raw := []byte(`{"update_id":1}`)
		mustJournal(t, db, 2, store.Update{ID: 1, Raw: raw})
		raw[0] = 'X' // the caller reuses its buffer
		us, err := db.Journaled()
		if err != nil {
			t.Fatal(err)
		}
		if string(us[0].Raw) != `{"update_id":1}` {
			t.Errorf("Raw = %q after the caller changed its buffer", us[0].Raw)
		}
		us[0].Raw[0] = 'Y' // and the returned copy is the caller's own
		if again, _ := db.Journaled(); string(again[0].Raw) != `{"update_id":1}` {
			t.Errorf("Raw = %q after the returned copy was changed", again[0].Raw)
		}
	})

	t.Run("DoneUpdateRemovesOne", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 4, store.Update{ID: 1}, store.Update{ID: 2}, store.Update{ID: 3})
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DoneUpdate(2) })
		if got := journaledIDs(t, db); !reflect.DeepEqual(got, []int64{1, 3}) {
			t.Errorf("Journaled() ids = %v, want [1 3]", got)
		}
		// Removing what is not there is no error: a handler may run twice.
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DoneUpdate(2) })
	})

	t.Run("DoneUpdateRolledBack", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 2, store.Update{ID: 1})
		fail := errors.New("handler failed")
		err := db.Update(func(tx *store.Tx) error {
			if err := tx.DoneUpdate(1); err != nil {
				return err
			}
			return fail
		})
		if !errors.Is(err, fail) {
			t.Fatalf("Update: %v", err)
		}
		if got := journaledIDs(t, db); !reflect.DeepEqual(got, []int64{1}) {
			t.Errorf("Journaled() ids = %v, want [1]: the failed handler must leave it", got)
		}
	})

	t.Run("RedeliveredAfterHandled", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 6, store.Update{ID: 5, Raw: []byte("first")})
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DoneUpdate(5) })
		// Telegram sends it again (the confirming poll was lost).
		if fresh := mustJournal(t, db, 6, store.Update{ID: 5, Raw: []byte("again")}); len(fresh) != 0 {
			t.Errorf("Journal returned %v as new, want none", fresh)
		}
		if got := journaledIDs(t, db); len(got) != 0 {
			t.Errorf("Journaled() ids = %v, want none: update 5 was handled", got)
		}
	})

	t.Run("SameIDTwice", func(t *testing.T) {
		db := mustOpen(t)
		fresh, err := db.Journal([]store.Update{
			{ID: 9, Raw: []byte("first")},
			{ID: 9, Raw: []byte("second")},
			{ID: 8, Raw: []byte("other")},
		}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh) != 2 || fresh[0].ID != 9 || string(fresh[0].Raw) != "first" || fresh[1].ID != 8 {
			t.Errorf("Journal returned %+v as new, want 9 (first) and 8", fresh)
		}
		// Journaled but not yet handled (a crash before the handler ran):
		// Telegram may send it again, and it is not new.
		if fresh := mustJournal(t, db, 10, store.Update{ID: 9, Raw: []byte("third")}); len(fresh) != 0 {
			t.Errorf("Journal returned %v as new, want none", fresh)
		}
		if err := db.Update(func(tx *store.Tx) error { return tx.DoneUpdate(8) }); err != nil {
			t.Fatal(err)
		}
		us, err := db.Journaled()
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 1 || us[0].ID != 9 || string(us[0].Raw) != "first" {
			t.Errorf("Journaled() = %+v, want update 9 once, as first stored", us)
		}
	})

	t.Run("OffsetNeverGoesBack", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 20, store.Update{ID: 19})
		mustJournal(t, db, 5)
		if off := mustOffset(t, db); off != 20 {
			t.Errorf("Offset() = %d after an older offset, want 20", off)
		}
		mustJournal(t, db, 0)
		if off := mustOffset(t, db); off != 20 {
			t.Errorf("Offset() = %d after offset 0, want 20", off)
		}
		// An update between an old offset and the stored one was confirmed
		// already: it is not journaled again.
		if fresh := mustJournal(t, db, 21, store.Update{ID: 10}, store.Update{ID: 20}); !reflect.DeepEqual(fresh, []int64{20}) {
			t.Errorf("Journal returned %v as new, want [20]", fresh)
		}
		if off := mustOffset(t, db); off != 21 {
			t.Errorf("Offset() = %d, want 21", off)
		}
	})
}

// Ensure that replies are kept in the order recorded until deleted, and only
// when the transaction that recorded them commits.
func TestTx_AddReply(t *testing.T) {
	t.Run("IDsIncrease", func(t *testing.T) {
		db := mustOpen(t)
		var ids []uint64
		for range 3 {
			mustUpdate(t, db, func(tx *store.Tx) error {
				for range 2 {
					id, err := tx.AddReply(1, nil)
					if err != nil {
						return err
					}
					ids = append(ids, id)
				}
				return nil
			})
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Fatalf("ids %v do not increase", ids)
			}
		}
	})

	t.Run("PendingInOrder", func(t *testing.T) {
		db := mustOpen(t)
		var ids []uint64
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, r := range []struct {
				chat    int64
				payload string
			}{{42, "Halo"}, {-1001234567890, "group"}, {42, ""}} {
				id, err := tx.AddReply(r.chat, []byte(r.payload))
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		got, err := db.PendingReplies()
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Reply{
			{ID: ids[0], ChatID: 42, Payload: []byte("Halo")},
			{ID: ids[1], ChatID: -1001234567890, Payload: []byte("group")},
			{ID: ids[2], ChatID: 42, Payload: []byte{}},
		}
		if len(got) != len(want) {
			t.Fatalf("PendingReplies() = %+v, want %+v", got, want)
		}
		for i := range want {
			// An empty payload may come back as nil.
			if got[i].ID != want[i].ID || got[i].ChatID != want[i].ChatID || !bytes.Equal(got[i].Payload, want[i].Payload) {
				t.Errorf("reply %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})

	t.Run("DeleteReplies", func(t *testing.T) {
		db := mustOpen(t)
		var ids []uint64
		mustUpdate(t, db, func(tx *store.Tx) error {
			for i := range 4 {
				id, err := tx.AddReply(int64(i), []byte{byte('a' + i)})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err := db.DeleteReplies(ids[0], ids[2]); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteReplies(); err != nil {
			t.Fatalf("DeleteReplies(): %v", err)
		}
		got, err := db.PendingReplies()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != ids[1] || got[1].ID != ids[3] {
			t.Errorf("PendingReplies() = %+v, want ids %d and %d", got, ids[1], ids[3])
		}
		// Deleting again (a retry after a crash) is no error.
		if err := db.DeleteReplies(ids...); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.PendingReplies(); len(got) != 0 {
			t.Errorf("PendingReplies() = %+v, want none", got)
		}
	})

	t.Run("RolledBack", func(t *testing.T) {
		db := mustOpen(t)
		fail := errors.New("state change failed")
		err := db.Update(func(tx *store.Tx) error {
			if _, err := tx.AddReply(1, []byte("never sent")); err != nil {
				return err
			}
			return fail
		})
		if !errors.Is(err, fail) {
			t.Fatalf("Update: %v", err)
		}
		got, err := db.PendingReplies()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 0 {
			t.Errorf("PendingReplies() = %+v after a rolled back Update, want none", got)
		}
	})

	t.Run("WithDoneUpdate", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 2, store.Update{ID: 1})
		mustUpdate(t, db, func(tx *store.Tx) error {
			if _, err := tx.AddReply(7, []byte("answer")); err != nil {
				return err
			}
			return tx.DoneUpdate(1)
		})
		if ids := journaledIDs(t, db); len(ids) != 0 {
			t.Errorf("Journaled() ids = %v, want none", ids)
		}
		if got, _ := db.PendingReplies(); len(got) != 1 || got[0].ChatID != 7 {
			t.Errorf("PendingReplies() = %+v, want the reply to chat 7", got)
		}
	})
}

// Ensure that a handler's transaction begun while the journal is being
// written commits after it, and that an update never journaled cannot be
// finished.
func TestJournalThen(t *testing.T) {
	t.Run("HandlerCommitsAfter", func(t *testing.T) {
		db := mustOpen(t)
		handled := make(chan error, 2)
		var applied []int64
		fresh, err := db.JournalThen([]store.Update{{ID: 3, Raw: []byte("a")}, {ID: 4, Raw: []byte("b")}}, 5, func(fresh []store.Update) {
			for _, u := range fresh {
				applied = append(applied, u.ID)
				// Begun before the journal commits: it must wait for it.
				go func() { handled <- db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(u.ID) }) }()
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(fresh) != 2 || !reflect.DeepEqual(applied, []int64{3, 4}) {
			t.Fatalf("JournalThen returned %v, applied saw %v, want 3 and 4 both", fresh, applied)
		}
		for range 2 {
			if err := <-handled; err != nil {
				t.Errorf("handler's DoneUpdate: %v, want nil: the journal committed first", err)
			}
		}
		if ids := journaledIDs(t, db); len(ids) != 0 {
			t.Errorf("Journaled() ids = %v, want none: both handled", ids)
		}
	})

	t.Run("NotJournaled", func(t *testing.T) {
		db := mustOpen(t)
		mustJournal(t, db, 8, store.Update{ID: 7})
		err := db.Update(func(tx *store.Tx) error { return tx.DoneUpdate(8) })
		if !errors.Is(err, store.ErrNotJournaled) {
			t.Errorf("DoneUpdate(8) with offset 8 = %v, want ErrNotJournaled", err)
		}
		// Below the offset it was journaled once, or dropped on purpose.
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DoneUpdate(6) })
		mustUpdate(t, db, func(tx *store.Tx) error { return tx.DoneUpdate(7) })
	})
}

// TestJournalPushedThen checks the journal of updates pushed to the
// webhook: no offset confirms them, so a push that comes again after its
// update was handled, or while it waits, is skipped, and an update
// dropped unjournaled counts as handled.
func TestJournalPushedThen(t *testing.T) {
	push := func(t *testing.T, db *store.DB, dropped []int64, us ...store.Update) []int64 {
		t.Helper()
		fresh, err := db.JournalPushedThen(us, dropped, time.Now().Add(-store.PushedKeep), nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, u := range fresh {
			ids = append(ids, u.ID)
		}
		return ids
	}
	done := func(t *testing.T, db *store.DB, id int64) error {
		t.Helper()
		return db.Batch(func(tx *store.Tx) error { return tx.DoneUpdate(id) })
	}

	t.Run("PushedAgain", func(t *testing.T) {
		db := mustOpen(t)
		// Pushes come in any order across chats.
		if got := push(t, db, nil, store.Update{ID: 12, Raw: []byte("b")}, store.Update{ID: 11, Raw: []byte("a")}); !reflect.DeepEqual(got, []int64{12, 11}) {
			t.Fatalf("fresh = %v, want [12 11]", got)
		}
		if got := push(t, db, nil, store.Update{ID: 11, Raw: []byte("a")}); got != nil {
			t.Errorf("pushed again while journaled: fresh = %v, want none", got)
		}
		if err := done(t, db, 11); err != nil {
			t.Fatal(err)
		}
		if got := push(t, db, nil, store.Update{ID: 11, Raw: []byte("a")}); got != nil {
			t.Errorf("pushed again once handled: fresh = %v, want none", got)
		}
		if ids := journaledIDs(t, db); !reflect.DeepEqual(ids, []int64{12}) {
			t.Errorf("journal = %v, want [12]", ids)
		}
		// Handled once more (a second DoneUpdate) is no error.
		if err := done(t, db, 11); err != nil {
			t.Errorf("DoneUpdate of a handled push: %v, want nil", err)
		}
		// The offset stays: pushes confirm nothing of getUpdates.
		if off := mustOffset(t, db); off != 0 {
			t.Errorf("offset = %d, want 0", off)
		}
		// Polled after the webhook was removed, a handled push is
		// skipped too.
		if fresh := mustJournal(t, db, 12, store.Update{ID: 11, Raw: []byte("a")}); len(fresh) != 0 {
			t.Errorf("polled after it was pushed and handled: fresh = %v, want none", fresh)
		}
	})

	t.Run("NotJournaled", func(t *testing.T) {
		db := mustOpen(t)
		if err := done(t, db, 30); !errors.Is(err, store.ErrNotJournaled) {
			t.Errorf("DoneUpdate of a push never journaled = %v, want ErrNotJournaled", err)
		}
	})

	t.Run("Dropped", func(t *testing.T) {
		db := mustOpen(t)
		if got := push(t, db, []int64{21, 22}, store.Update{ID: 20, Raw: []byte("a")}); !reflect.DeepEqual(got, []int64{20}) {
			t.Fatalf("fresh = %v, want [20]", got)
		}
		if err := done(t, db, 21); err != nil {
			t.Errorf("DoneUpdate of a dropped push: %v, want nil", err)
		}
		if got := push(t, db, nil, store.Update{ID: 22, Raw: []byte("c")}); got != nil {
			t.Errorf("a dropped push pushed again: fresh = %v, want none", got)
		}
	})

	t.Run("Forgotten", func(t *testing.T) {
		db := mustOpen(t)
		push(t, db, []int64{1, 2, 3}, store.Update{ID: 4, Raw: []byte("a")})
		if err := done(t, db, 4); err != nil {
			t.Fatal(err)
		}
		// A journal that forgets everything handled before an hour from
		// now forgets all four; the next push of one is new again.
		if _, err := db.JournalPushedThen(nil, nil, time.Now().Add(time.Hour), nil); err != nil {
			t.Fatal(err)
		}
		if got := push(t, db, nil, store.Update{ID: 2, Raw: []byte("b")}, store.Update{ID: 4, Raw: []byte("a")}); !reflect.DeepEqual(got, []int64{2, 4}) {
			t.Errorf("after forgetting: fresh = %v, want [2 4]", got)
		}
		// Remembered ones are kept by a journal that forgets only old ones.
		if err := done(t, db, 2); err != nil {
			t.Fatal(err)
		}
		if got := push(t, db, nil, store.Update{ID: 2, Raw: []byte("b")}); got != nil {
			t.Errorf("a recent handled push came again as fresh: %v", got)
		}
	})
}
