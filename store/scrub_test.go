package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// fileHolds reports whether the file at path contains s anywhere, freed
// pages included.
func fileHolds(tb testing.TB, path, s string) bool {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("ReadFile: %v", err)
	}
	return bytes.Contains(data, []byte(s))
}

func inode(tb testing.TB, path string) os.FileInfo {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi
}

// auditLog returns the newest ten audit entries of db.
func auditLog(tb testing.TB, db *store.DB) []store.AuditEntry {
	tb.Helper()
	var log []store.AuditEntry
	if err := db.View(func(tx *store.Tx) error {
		var err error
		log, err = tx.AuditLog(10)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return log
}

// seatWithName registers user 1 in seats' batch with name as an answer.
func seatWithName(tb testing.TB, db *store.DB, seats store.Seats, name string) {
	tb.Helper()
	p := wlPerson(seats.Batch.ID, 1)
	p.Answers = map[string]string{"name": name}
	mustUpdate(tb, db, func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(p, seats.Batch.Capacity)
		return err
	})
}

// Ensure that an erasure whose rewrite never ran (a crash, a full disk)
// is finished by the next Open: the mark is in the erasure's transaction.
func TestDB_ScrubPendingSurvivesACrash(t *testing.T) {
	const name = "Sulastri Wiryodiningrat"
	seats := wlSeats("b", 2, wlStartIn(10))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seatWithName(t, db, seats, name)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{seats}, 1, wlNow)
		return err
	})
	if pending, err := db.ScrubPending(); err != nil || !pending {
		t.Fatalf("ScrubPending after an erasure = %v, %v; want true", pending, err)
	}
	// The process dies before its rewrite: the bytes are still there.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if !fileHolds(t, path, name) {
		t.Fatal("the erased name is not in the file before the rewrite: the check below proves nothing")
	}
	db = mustOpenPath(t, path)
	if fileHolds(t, path, name) {
		t.Error("after Open the file still holds the erased name")
	}
	if pending, err := db.ScrubPending(); err != nil || pending {
		t.Errorf("ScrubPending after Open = %v, %v; want false", pending, err)
	}
}

// Ensure that erasing someone who has nothing stored rewrites nothing and
// logs nothing, so strangers cannot force rewrites or crowd out /log.
func TestTx_EraseNothingStored(t *testing.T) {
	seats := wlSeats("b", 2, wlStartIn(10))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	mustUpdate(t, db, func(tx *store.Tx) error {
		return tx.PutConversation(store.Conversation{UserID: 7, ChatID: 7, Lang: "id", State: "idle"})
	})
	before := inode(t, path)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{seats}, 7, wlNow)
		return err
	})
	if err := db.Scrub(); err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, inode(t, path)) {
		t.Error("the file was rewritten for someone with nothing stored")
	}
	log := auditLog(t, db)
	if len(log) != 0 {
		t.Errorf("audit log holds %d entries, want none", len(log))
	}
}

// Ensure that the rewrite never lets go of the file's lock: another
// process (daftar export) trying to open the file all the while, and
// holding it for longer than Open waits whenever it gets it, never leaves
// the bot without its database.
func TestDB_ScrubKeepsTheLock(t *testing.T) {
	seats := wlSeats("b", 2, wlStartIn(10))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	var (
		stop atomic.Bool
		wg   sync.WaitGroup
	)
	wg.Go(func() {
		for !stop.Load() {
			other, err := store.Open(path, store.Options{ReadOnly: true, Timeout: time.Millisecond})
			if err == nil {
				// It got a file: an old one that a rewrite already
				// replaced is harmless, the live one would not be.
				time.Sleep(1200 * time.Millisecond)
				other.Close()
				continue
			}
			if !errors.Is(err, store.ErrInUse) && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Open while scrubbing: %v", err)
				return
			}
		}
	})
	for i := range 30 {
		seatWithName(t, db, seats, "Peserta")
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.Erase([]store.Seats{seats}, 1, wlNow.Add(time.Duration(i)*time.Minute))
			return err
		})
		if err := db.Scrub(); err != nil {
			t.Fatalf("Scrub %d: %v", i, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	// The swapped handle is the database: it reads, writes and holds the
	// lock of the file at path.
	seatWithName(t, db, seats, "Peserta")
	if _, err := db.Participants(); err != nil {
		t.Fatal(err)
	}
	if got := db.Path(); got != path {
		t.Errorf("Path() = %q, want %q", got, path)
	}
	if other, err := store.Open(path, store.Options{ReadOnly: true, Timeout: 10 * time.Millisecond}); !errors.Is(err, store.ErrInUse) {
		if err == nil {
			other.Close()
		}
		t.Errorf("Open of the live file after rewrites = %v, want ErrInUse", err)
	}
}

// Ensure that a backup holds no freed page: an old version of an edited
// answer is not in it.
func TestDB_BackupIsCompacted(t *testing.T) {
	const old = "Nama Lama Sebelum Diubah"
	seats := wlSeats("b", 2, wlStartIn(10))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seatWithName(t, db, seats, old)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.UpdateAnswers(store.Seats{Batch: store.Batch{ID: "b"}}, 1, map[string]string{"name": "Nama Baru"}, time.Now())
		return err
	})
	if !fileHolds(t, path, old) {
		t.Fatal("the old answer is not in the live file's freed pages: the check below proves nothing")
	}
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(out); err != nil {
		t.Fatal(err)
	}
	if fileHolds(t, out, old) {
		t.Error("the backup holds the old version of an edited answer")
	}
	if !fileHolds(t, out, "Nama Baru") {
		t.Error("the backup lacks the current answer")
	}
}

// Ensure that an organiser who erases their own participant data keeps
// their name on the organiser actions in the audit log.
func TestTx_EraseKeepsOrganiserActions(t *testing.T) {
	seats := wlSeats("b", 2, wlStartIn(10))
	db := mustOpen(t)
	const organiser = 1
	seatWithName(t, db, seats, "Bu Organiser")
	mustUpdate(t, db, func(tx *store.Tx) error {
		if err := tx.Audit(store.AuditEntry{At: wlNow, By: organiser, ByName: "Rina", Action: store.AuditExport}); err != nil {
			return err
		}
		_, err := tx.Erase([]store.Seats{seats}, organiser, wlNow)
		return err
	})
	log := auditLog(t, db)
	found := false
	for _, e := range log {
		if e.Action == store.AuditExport {
			found = true
			if e.By != organiser || e.ByName != "Rina" {
				t.Errorf("export entry after the organiser's erasure: by %d %q, want %d %q", e.By, e.ByName, organiser, "Rina")
			}
		}
	}
	if !found {
		t.Error("the organiser's export entry is gone")
	}
}

// Ensure that an erasure deletes registrations in batches the config no
// longer lists: what is erased is everything stored, whatever the config
// says now.
func TestTx_EraseBatchesNotInConfig(t *testing.T) {
	const name = "Sulastri Wiryodiningrat"
	gone := wlSeats("lama", 2, wlStartIn(10))
	now := wlSeats("b", 2, wlStartIn(20))
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	seatWithName(t, db, gone, name)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{now}, 1, wlNow)
		return err
	})
	if err := db.Scrub(); err != nil {
		t.Fatal(err)
	}
	var left []store.Participant
	if err := db.View(func(tx *store.Tx) error {
		var err error
		left, err = tx.ParticipantsOf(1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("after erasure %d registrations remain", len(left))
	}
	if fileHolds(t, path, name) {
		t.Error("after erasure and rewrite the file holds the name")
	}
}
