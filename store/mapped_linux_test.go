//go:build linux

package store

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mappedKB returns how much of the file at path this process has
// resident through its mappings of it (Rss in /proc/self/smaps), in kB.
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("needs /proc/self/smaps: %v", err)
	}
	kb, in := 0, false
	for line := range strings.Lines(string(data)) {
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			in = len(fields) >= 6 && fields[5] == path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				t.Fatalf("smaps: %q: %v", line, err)
			}
			kb += n
		}
	}
	return kb
}

// fillMapped returns a database at a new path with n participants in
// batch "b", each with a few hundred bytes of answers.
func fillMapped(t *testing.T, n int) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "daftar.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *Tx) error {
		for i := range n {
			id := int64(1000 + i)
			answers := map[string]string{"name": fmt.Sprintf("Peserta Nomor %d", i), "address": strings.Repeat("Jl. Mawar, Sumbersari ", 10)}
			if _, err := tx.ConfirmSeat(Participant{UserID: id, ChatID: id, Batch: "b", Answers: answers, Lang: "id", ConsentAt: at, RegisteredAt: at}, 1<<30); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

// A read transaction that has read releaseEvery records one by one lets
// go of the pages of the file it mapped, and reads the same records
// again afterwards; a shorter one keeps them.
func TestTx_walkedReleasesMappedPages(t *testing.T) {
	db, path := fillMapped(t, 2*releaseEvery)
	err := db.View(func(tx *Tx) error {
		first, err := tx.Participant("b", 1000)
		if err != nil {
			return err
		}
		for i := 1; i < releaseEvery-1; i++ {
			if _, err := tx.Participant("b", int64(1000+i)); err != nil {
				return err
			}
		}
		before := mappedKB(t, path)
		if before < 100 {
			t.Errorf("after %d reads %d kB of the file are mapped, want the pages read (over 100 kB)", releaseEvery-1, before)
		}
		if _, err := tx.Participant("b", int64(1000+releaseEvery-1)); err != nil {
			return err
		}
		if got := mappedKB(t, path); got != 0 {
			t.Errorf("after %d reads %d kB of the file are mapped (%d kB before), want 0", releaseEvery, got, before)
		}
		again, err := tx.Participant("b", 1000)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(again, first) {
			t.Errorf("read again after the release: %+v, want %+v", again, first)
		}
		if mappedKB(t, path) == 0 {
			t.Error("a read after the release mapped nothing")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// View lets go of the pages when a long read ends; a short one, and a
// write transaction however long, keep them.
func TestDB_ViewReleasesAfterLongRead(t *testing.T) {
	db, path := fillMapped(t, 2*releaseEvery)
	read := func(tx *Tx, n int) error {
		for i := range n {
			if _, err := tx.Participant("b", int64(1000+i)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := db.View(func(tx *Tx) error { return read(tx, releaseEvery+releaseEvery/2) }); err != nil {
		t.Fatal(err)
	}
	if got := mappedKB(t, path); got != 0 {
		t.Errorf("after a read of %d records %d kB of the file stay mapped, want 0", releaseEvery+releaseEvery/2, got)
	}
	if err := db.View(func(tx *Tx) error { return read(tx, releaseEvery/2) }); err != nil {
		t.Fatal(err)
	}
	if got := mappedKB(t, path); got == 0 {
		t.Errorf("after a read of %d records nothing stays mapped, want the pages read", releaseEvery/2)
	}
	if err := db.View(func(tx *Tx) error { tx.release(); return nil }); err != nil {
		t.Fatal(err)
	}
	err := db.Update(func(tx *Tx) error {
		if err := read(tx, releaseEvery); err != nil {
			return err
		}
		if got := mappedKB(t, path); got == 0 {
			t.Error("a write transaction released the mapped pages; only a read may (bbolt remaps under a write)")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Releases in long reads while writes grow the file, and bbolt remaps it,
// neither fail nor change what the reads see.
func TestTx_releaseWhileWritesRemap(t *testing.T) {
	db, _ := fillMapped(t, releaseEvery)
	want, err := db.Participants()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		for i := range 20 {
			err := db.Update(func(tx *Tx) error {
				for j := range 200 {
					id := int64(100_000 + i*200 + j)
					if _, err := tx.ConfirmSeat(Participant{UserID: id, ChatID: id, Batch: "c", Answers: map[string]string{"address": strings.Repeat("x", 400)}, Lang: "id", ConsentAt: at, RegisteredAt: at}, 1<<30); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for reads := 0; ; reads++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if reads == 0 {
				t.Log("the writes ended before the first read")
			}
			return
		default:
		}
		err := db.View(func(tx *Tx) error {
			for _, w := range want {
				p, err := tx.Participant(w.Batch, w.UserID)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(p, w) {
					return fmt.Errorf("read %+v, want %+v", p, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
