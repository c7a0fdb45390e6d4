package store_test

import (
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that CopiesQueued says whether a copy of the announcement is
// still queued exactly when its report counts one queued, as its copies
// are marked one by one (one retried stays queued), whatever other entries
// queued before and after it; and that an announcement without its copies'
// ids is not known.
func TestTx_CopiesQueued(t *testing.T) {
	db := mustOpen(t)
	seedAudience(t, db)
	enqueue := func(key string) {
		t.Helper()
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.Enqueue(store.OutboxEntry{Key: key, Kind: store.KindNotice, ChatID: 1, UserID: 1})
			return err
		})
	}
	enqueue("notice/before")
	a := draft(t, db, store.AudienceEveryone) // 7 recipients
	a, _, err := send(t, db, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	enqueue("notice/after")
	other := draft(t, db, store.AudienceAll)
	if other, _, err = send(t, db, other.ID); err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 7; u++ {
			e, err := tx.OutboxByKey(store.AnnouncementKey(a.ID, u))
			if err != nil {
				return err
			}
			if e.ID < a.FirstCopy || e.ID > a.LastCopy {
				t.Errorf("copy to %d has id %d, outside [%d, %d]", u, e.ID, a.FirstCopy, a.LastCopy)
			}
			ids = append(ids, e.ID)
		}
		return nil
	})
	if n := a.LastCopy - a.FirstCopy + 1; n != 7 {
		t.Errorf("ids [%d, %d] span %d entries, want the 7 copies", a.FirstCopy, a.LastCopy, n)
	}
	check := func(when string) {
		t.Helper()
		err := db.View(func(tx *store.Tx) error {
			queued, known := tx.CopiesQueued(a)
			rep, err := tx.AnnouncementReport(a.ID)
			if !known || queued != (rep.Queued > 0) {
				t.Errorf("%s: CopiesQueued = %v, %v; the report counts %d queued", when, queued, known, rep.Queued)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("before any copy went")
	// The last copy is retried first: it stays queued, beyond the others.
	if err := db.MarkRetry(ids[6], annAt.Add(1e12), "Internal Server Error", true); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{3, 0, 5, 1, 4, 2} {
		if err := db.MarkSent(ids[i], i+10, annAt); err != nil {
			t.Fatal(err)
		}
		check("copies marked one by one")
	}
	if err := db.MarkFailed(ids[6], "Internal Server Error"); err != nil {
		t.Fatal(err)
	}
	check("after the last copy")
	err = db.View(func(tx *store.Tx) error {
		if queued, _ := tx.CopiesQueued(other); !queued {
			t.Error("the other announcement's copies are all queued, CopiesQueued says none")
		}
		if _, known := tx.CopiesQueued(store.Announcement{ID: a.ID, Status: store.AnnouncementSent}); known {
			t.Error("an announcement without its copies' ids is known")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
