//go:build linux

package store

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
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
func fillMapped(t testing.TB, n int) (*DB, string) {
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
			answers := map[string]string{"name": fmt.Sprintf("Peserta Nomor %d", i), "address": strings.Repeat("Jl. Mawar, Sumbersari ", 20)}
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

// mappedPeople is how many people fillMapped writes for these tests:
// about 1.6 MB of records, more than releaseBytes.
const mappedPeople = 3000

// A read transaction that has read releaseBytes of records one by one
// lets go of the pages of the file it mapped, and reads the same records
// again afterwards; until then it keeps them.
func TestTx_walkedReleasesMappedPages(t *testing.T) {
	db, path := fillMapped(t, mappedPeople)
	err := db.View(func(tx *Tx) error {
		first, err := tx.Participant("b", 1000)
		if err != nil {
			return err
		}
		before := 0
		for i := 1; ; i++ {
			if i == mappedPeople {
				t.Fatalf("%d people read (%d bytes), no release", i, tx.read)
			}
			if tx.unreleased+2000 < releaseBytes {
				before = 0 // not yet near: read on without looking
			} else {
				before = mappedKB(t, path)
			}
			if _, err := tx.Participant("b", int64(1000+i)); err != nil {
				return err
			}
			if tx.unreleased < tx.read {
				break // released by this read
			}
		}
		if before < 500 {
			t.Errorf("before the release %d kB of the file are mapped, want the pages read (over 500 kB)", before)
		}
		if got := mappedKB(t, path); got != 0 {
			t.Errorf("after the release %d kB of the file are mapped (%d kB before), want 0", got, before)
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
	db, path := fillMapped(t, mappedPeople)
	read := func(tx *Tx, n int) error {
		for i := range n {
			if _, err := tx.Participant("b", int64(1000+i)); err != nil {
				return err
			}
		}
		return nil
	}
	err := db.View(func(tx *Tx) error {
		err := read(tx, mappedPeople)
		if tx.read < releaseBytes || tx.unreleased == 0 {
			t.Fatalf("the long read read %d bytes, %d since the last release: want over %d, and some", tx.read, tx.unreleased, releaseBytes)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mappedKB(t, path); got != 0 {
		t.Errorf("after a read of %d records %d kB of the file stay mapped, want 0", mappedPeople, got)
	}
	if err := db.View(func(tx *Tx) error { return read(tx, 100) }); err != nil {
		t.Fatal(err)
	}
	if got := mappedKB(t, path); got == 0 {
		t.Error("after a read of 100 records nothing stays mapped, want the pages read")
	}
	if err := db.View(func(tx *Tx) error { tx.release(); return nil }); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		if err := read(tx, mappedPeople); err != nil {
			return err
		}
		if got := mappedKB(t, path); got < 500 {
			t.Errorf("in a write transaction that read %d bytes %d kB stay mapped, want the pages read: only a read may release (bbolt remaps under a write)", tx.read, got)
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
	db, _ := fillMapped(t, mappedPeople)
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

// BenchmarkTx_walkReleases measures what the releases cost a long read:
// 10,000 people read by key in one read transaction, counted as walked
// (so released every releaseBytes) or not; the file is in the page cache.
// cpu-µs/op is the process's CPU time, minflt/op its page faults.
//
//	go test -run XXX -bench Tx_walkReleases ./store
func BenchmarkTx_walkReleases(b *testing.B) {
	const people = 10_000
	db, _ := fillMapped(b, people)
	for _, walk := range []bool{true, false} {
		b.Run(fmt.Sprintf("released=%v", walk), func(b *testing.B) {
			var ru0, ru1 syscall.Rusage
			releases := 0
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
			for b.Loop() {
				err := db.View(func(tx *Tx) error {
					bucket := tx.tx.Bucket(bucketParticipants)
					for i := range people {
						key := participantKey("b", int64(1000+i))
						v := bucket.Get(key)
						if v == nil {
							return fmt.Errorf("person %d not found", i)
						}
						if walk {
							if tx.walked(key, v); tx.unreleased == 0 {
								releases++
							}
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
			cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
			b.ReportMetric(float64(ru1.Minflt-ru0.Minflt)/float64(b.N), "minflt/op")
			b.ReportMetric(float64(releases)/float64(b.N), "releases/op")
		})
	}
}
