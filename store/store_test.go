package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/daftar-bot/daftar/store"
)

// mustOpen opens a fresh database in a temporary directory and closes it
// when the test ends.
func mustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "daftar.db"))
}

// mustOpenPath opens the database at path and closes it when the test ends.
func mustOpenPath(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// mustUpdate runs fn in a read-write transaction and fails the test on error.
func mustUpdate(tb testing.TB, db *store.DB, fn func(*store.Tx) error) {
	tb.Helper()
	if err := db.Update(fn); err != nil {
		tb.Fatalf("Update: %v", err)
	}
}

// writeSchema creates a bbolt file at path whose meta bucket says schema v,
// the way a different daftar binary would have left it.
func writeSchema(tb testing.TB, path, v string) {
	tb.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		tb.Fatalf("bolt.Open: %v", err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists([]byte("meta"))
		if err != nil {
			return err
		}
		return meta.Put([]byte("schema"), []byte(v))
	})
	if err != nil {
		tb.Fatalf("write schema: %v", err)
	}
	if err := b.Close(); err != nil {
		tb.Fatalf("bolt.Close: %v", err)
	}
}

// Ensure that Open creates a private file, refuses a file that is locked or
// too new, and keeps what was written across a reopen.
func TestDB_Open(t *testing.T) {
	t.Run("CreatesFileWithMode0600", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		db := mustOpenPath(t, path)
		if got := db.Path(); got != path {
			t.Errorf("Path() = %q, want %q", got, path)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("mode = %#o, want 0600", perm)
		}
	})

	t.Run("InUse", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		mustOpenPath(t, path)

		start := time.Now()
		db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond})
		elapsed := time.Since(start)
		if err == nil {
			db.Close()
			t.Fatal("second Open succeeded, want ErrInUse")
		}
		if !errors.Is(err, store.ErrInUse) {
			t.Fatalf("err = %v, want ErrInUse", err)
		}
		if !strings.Contains(err.Error(), "database is in use by another daftar process") {
			t.Errorf("message %q does not say the database is in use", err)
		}
		// The default timeout is one second: returning well before it shows
		// the option was honoured and nothing hangs on the lock.
		if elapsed > 900*time.Millisecond {
			t.Errorf("second Open took %v with a 100ms timeout", elapsed)
		}
	})

	t.Run("ReadOnlyWhileInUse", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		mustOpenPath(t, path)

		db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond, ReadOnly: true})
		if err == nil {
			db.Close()
			t.Fatal("read-only Open of a database in use succeeded, want ErrInUse")
		}
		if !errors.Is(err, store.ErrInUse) {
			t.Fatalf("err = %v, want ErrInUse", err)
		}
	})

	t.Run("SchemaTooNew", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		writeSchema(t, path, "99")

		for _, readOnly := range []bool{false, true} {
			db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond, ReadOnly: readOnly})
			if err == nil {
				db.Close()
				t.Fatalf("Open(ReadOnly: %v) of a schema 99 file succeeded", readOnly)
			}
			if !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("Open(ReadOnly: %v): err = %v, want ErrSchemaTooNew", readOnly, err)
			}
		}

		// The refused file is released: bbolt can take it at once.
		b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
		if err != nil {
			t.Fatalf("file still locked after a refused Open: %v", err)
		}
		b.Close()
	})

	t.Run("CurrentSchema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		writeSchema(t, path, "1")
		db := mustOpenPath(t, path)
		// The missing buckets were created: the domain works.
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.AddReply(1, []byte("x"))
			return err
		})
	})

	t.Run("BadSchema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		writeSchema(t, path, "one")
		db, err := store.Open(path, store.Options{Timeout: 100 * time.Millisecond})
		if err == nil {
			db.Close()
			t.Fatal("Open of a file with an unreadable schema succeeded")
		}
	})

	t.Run("ReopenKeepsData", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Journal([]store.Update{{ID: 7, Raw: []byte(`{"update_id":7}`)}}, 8); err != nil {
			t.Fatal(err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.ConfirmSeat(store.Participant{UserID: 1, ChatID: 1, Batch: "angkatan-1"}, 16)
			return err
		})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		db = mustOpenPath(t, path)
		if off, err := db.Offset(); err != nil || off != 8 {
			t.Errorf("Offset() = %d, %v; want 8", off, err)
		}
		us, err := db.Journaled()
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 1 || us[0].ID != 7 {
			t.Errorf("Journaled() = %+v, want update 7", us)
		}
		ps, err := db.Participants()
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].UserID != 1 || ps[0].Seat != 1 {
			t.Errorf("Participants() = %+v, want user 1 in seat 1", ps)
		}
	})

	t.Run("ReadOnly", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.ConfirmSeat(store.Participant{UserID: 1, Batch: "a"}, 1)
			return err
		})
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		ro, err := store.Open(path, store.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only Open: %v", err)
		}
		defer ro.Close()
		ps, err := ro.Participants()
		if err != nil || len(ps) != 1 {
			t.Errorf("Participants() = %+v, %v; want one", ps, err)
		}
		if err := ro.Update(func(*store.Tx) error { return nil }); err == nil {
			t.Error("Update on a read-only database succeeded")
		}
	})

	// A bbolt file without daftar's buckets (a foreign file, or one left by
	// a crash between creating the file and its first transaction) is
	// either refused by a read-only Open or reads as empty: it never panics.
	t.Run("ReadOnlyUninitialised", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}

		db, err := store.Open(path, store.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
		if err != nil {
			return // refused: fine
		}
		defer db.Close()
		for name, read := range map[string]func() (int, error){
			"Participants": func() (int, error) { ps, err := db.Participants(); return len(ps), err },
			"Journaled":    func() (int, error) { us, err := db.Journaled(); return len(us), err },
			"Offset":       func() (int, error) { off, err := db.Offset(); return int(off), err },
			"PendingReplies": func() (int, error) {
				rs, err := db.PendingReplies()
				return len(rs), err
			},
		} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on an uninitialised read-only database panicked: %v", name, r)
					}
				}()
				if n, err := read(); err != nil || n != 0 {
					t.Errorf("%s = %d, %v; want 0, nil (or Open refusing the file)", name, n, err)
				}
			}()
		}
	})

	t.Run("ReadOnlyMissingFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.db")
		db, err := store.Open(path, store.Options{ReadOnly: true})
		if err == nil {
			db.Close()
			t.Fatal("read-only Open of a missing file succeeded")
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("read-only Open created the file: stat err = %v", err)
		}
	})
}

// Ensure that WriteTo writes a copy that opens as a database holding the
// same participants, journal and offset.
func TestDB_WriteTo(t *testing.T) {
	db := mustOpen(t)
	at := time.Date(2025, 10, 1, 9, 30, 0, 0, time.UTC)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for i, batch := range []string{"angkatan-1", "angkatan-1", "angkatan-2"} {
			p := store.Participant{
				UserID:       int64(100 + i),
				ChatID:       int64(100 + i),
				Batch:        batch,
				Answers:      map[string]string{"name": "Peserta", "phone": "+6281234567890"},
				Lang:         "id",
				ConsentAt:    at,
				RegisteredAt: at.Add(time.Duration(i) * time.Minute),
			}
			if _, err := tx.ConfirmSeat(p, 16); err != nil {
				return err
			}
		}
		return nil
	})
	if _, err := db.Journal([]store.Update{{ID: 41, Raw: []byte("{}")}}, 42); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	n, err := db.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	copied, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer copied.Close()

	want, err := db.Participants()
	if err != nil {
		t.Fatal(err)
	}
	got, err := copied.Participants()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("backup has %d participants, want 3", len(got))
	}
	for i := range want {
		if !sameParticipant(got[i], want[i]) {
			t.Errorf("participant %d: backup %+v, want %+v", i, got[i], want[i])
		}
	}
	if off, err := copied.Offset(); err != nil || off != 42 {
		t.Errorf("backup Offset() = %d, %v; want 42", off, err)
	}
	if us, err := copied.Journaled(); err != nil || len(us) != 1 || us[0].ID != 41 {
		t.Errorf("backup Journaled() = %+v, %v; want update 41", us, err)
	}
}

// sameParticipant compares two participants, times by instant.
func sameParticipant(a, b store.Participant) bool {
	if !a.ConsentAt.Equal(b.ConsentAt) || !a.RegisteredAt.Equal(b.RegisteredAt) {
		return false
	}
	a.ConsentAt, b.ConsentAt = time.Time{}, time.Time{}
	a.RegisteredAt, b.RegisteredAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

// Ensure that a file whose schema version is no number is reported as not
// a daftar database, without Go's parsing internals.
func TestOpen_NotADaftarFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	writeSchema(t, path, "tiga")
	_, err := store.Open(path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "not a daftar database") || strings.Contains(err.Error(), "strconv") {
		t.Errorf("Open = %v, want \"not a daftar database\" without strconv", err)
	}
}

// BenchmarkDB_Batch measures Batch calls, each a small write, made by one
// caller after the other (ns/op is then a call's latency, fsync included)
// or by 100 at once (ns/op is the wall time per call: how well they share
// commits).
func BenchmarkDB_Batch(b *testing.B) {
	for _, callers := range []int{1, 100} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) {
			db := mustOpen(b)
			at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range callers {
				wg.Go(func() {
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						if err := db.Batch(func(tx *store.Tx) error { return tx.SetUnreachable(i, at) }); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}
