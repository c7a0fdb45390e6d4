package store_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/daftar-bot/daftar/store"
)

// seatAll gives each user id a seat in batch.
func seatAll(tb testing.TB, db *store.DB, batch string, users ...int64) {
	tb.Helper()
	mustUpdate(tb, db, func(tx *store.Tx) error {
		for _, u := range users {
			if _, err := tx.ConfirmSeat(store.Participant{UserID: u, ChatID: u, Batch: batch}, 1000); err != nil {
				return err
			}
		}
		return nil
	})
}

// attendance returns Attendance(batch) from a read transaction.
func attendance(tb testing.TB, db *store.DB, batch string) map[int64]map[int]bool {
	tb.Helper()
	var got map[int64]map[int]bool
	err := db.View(func(tx *store.Tx) error {
		var err error
		got, err = tx.Attendance(batch)
		return err
	})
	if err != nil {
		tb.Fatalf("Attendance(%s): %v", batch, err)
	}
	return got
}

// daysPresent returns DaysPresent(batch, user) from a read transaction.
func daysPresent(tb testing.TB, db *store.DB, batch string, user int64) int {
	tb.Helper()
	var n int
	err := db.View(func(tx *store.Tx) error {
		var err error
		n, err = tx.DaysPresent(batch, user)
		return err
	})
	if err != nil {
		tb.Fatalf("DaysPresent(%s, %d): %v", batch, user, err)
	}
	return n
}

var rollCallAt = time.Date(2025, 10, 20, 8, 5, 0, 0, time.UTC)

func TestTx_SetAttendance(t *testing.T) {
	// Ensure that marks come back per user and day, that unmarking keeps
	// the day as absent, and that batches whose ids share a prefix do not
	// see each other's marks.
	t.Run("Marks", func(t *testing.T) {
		db := mustOpen(t)
		seatAll(t, db, "a", 1, 2, 3)
		seatAll(t, db, "a-b", 1)
		mustUpdate(t, db, func(tx *store.Tx) error {
			for _, m := range []struct {
				batch   string
				user    int64
				day     int
				present bool
			}{
				{"a", 1, 1, true}, {"a", 1, 2, true}, {"a", 2, 1, true}, {"a", 2, 1, false},
				{"a", 1, 7, true}, {"a-b", 1, 1, true}, {"a", 3, 255, true},
			} {
				if err := tx.SetAttendance(m.batch, m.user, m.day, m.present, 99, rollCallAt); err != nil {
					return err
				}
			}
			return nil
		})
		want := map[int64]map[int]bool{1: {1: true, 2: true, 7: true}, 2: {1: false}, 3: {255: true}}
		if got := attendance(t, db, "a"); !reflect.DeepEqual(got, want) {
			t.Errorf("Attendance(a) = %v, want %v", got, want)
		}
		if got, want := attendance(t, db, "a-b"), map[int64]map[int]bool{1: {1: true}}; !reflect.DeepEqual(got, want) {
			t.Errorf("Attendance(a-b) = %v, want %v", got, want)
		}
		if got := attendance(t, db, "none"); len(got) != 0 {
			t.Errorf("Attendance(none) = %v, want empty", got)
		}
	})

	// Ensure that a person without a registration in the batch, or a day
	// outside 1..255, is refused and leaves nothing behind.
	t.Run("Refused", func(t *testing.T) {
		db := mustOpen(t)
		seatAll(t, db, "a", 1)
		for _, tc := range []struct {
			name  string
			batch string
			user  int64
			day   int
			want  error
		}{
			{"unknown person", "a", 2, 1, store.ErrNotFound},
			{"other batch", "b", 1, 1, store.ErrNotFound},
			{"day 0", "a", 1, 0, store.ErrDayOutOfRange},
			{"day 256", "a", 1, 256, store.ErrDayOutOfRange},
			{"negative day", "a", 1, -1, store.ErrDayOutOfRange},
		} {
			err := db.Update(func(tx *store.Tx) error {
				return tx.SetAttendance(tc.batch, tc.user, tc.day, true, 99, rollCallAt)
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: SetAttendance = %v, want %v", tc.name, err, tc.want)
			}
			err = db.Update(func(tx *store.Tx) error {
				_, err := tx.ToggleAttendance(tc.batch, tc.user, tc.day, 99, rollCallAt)
				return err
			})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: ToggleAttendance = %v, want %v", tc.name, err, tc.want)
			}
		}
		if got := attendance(t, db, "a"); len(got) != 0 {
			t.Errorf("Attendance(a) = %v after refused marks, want empty", got)
		}
	})
}

func TestTx_ToggleAttendance(t *testing.T) {
	// Ensure that the first toggle marks present, the next absent, and
	// that each returns the new value.
	t.Run("Sequence", func(t *testing.T) {
		db := mustOpen(t)
		seatAll(t, db, "a", 1)
		for i, want := range []bool{true, false, true} {
			var got bool
			mustUpdate(t, db, func(tx *store.Tx) error {
				var err error
				got, err = tx.ToggleAttendance("a", 1, 3, 99, rollCallAt)
				return err
			})
			if got != want {
				t.Errorf("toggle %d = %v, want %v", i+1, got, want)
			}
		}
		if got, want := attendance(t, db, "a"), map[int64]map[int]bool{1: {3: true}}; !reflect.DeepEqual(got, want) {
			t.Errorf("Attendance = %v, want %v", got, want)
		}
	})

	// toggleMany toggles (batch a, user, day 1) n times from its own
	// goroutine through db.Batch, as two organisers tapping at once do,
	// and counts how often a toggle answered "present".
	toggleMany := func(t *testing.T, db *store.DB, wg *sync.WaitGroup, user int64, by int64, n int, presents *int) {
		wg.Go(func() {
			for range n {
				var got bool
				err := db.Batch(func(tx *store.Tx) error {
					var err error
					got, err = tx.ToggleAttendance("a", user, 1, by, rollCallAt)
					return err
				})
				if err != nil {
					t.Errorf("ToggleAttendance(user %d): %v", user, err)
					return
				}
				if got {
					*presents++
				}
			}
		})
	}

	// Ensure that two organisers toggling different people at once lose
	// no tap: each person ends where their own number of taps leads.
	t.Run("ConcurrentDifferentPeople", func(t *testing.T) {
		db := mustOpen(t)
		seatAll(t, db, "a", 1, 2)
		var wg sync.WaitGroup
		var p1, p2 int
		toggleMany(t, db, &wg, 1, 901, 41, &p1)
		toggleMany(t, db, &wg, 2, 902, 40, &p2)
		wg.Wait()
		want := map[int64]map[int]bool{1: {1: true}, 2: {1: false}}
		if got := attendance(t, db, "a"); !reflect.DeepEqual(got, want) {
			t.Errorf("Attendance = %v, want %v", got, want)
		}
		if p1 != 21 || p2 != 20 {
			t.Errorf("toggles answering present: %d and %d, want 21 and 20", p1, p2)
		}
	})

	// Ensure that two organisers toggling the same person at once lose no
	// tap: an even number of taps in all leaves the person as they were,
	// and exactly half of the taps found them absent.
	t.Run("ConcurrentSamePerson", func(t *testing.T) {
		for _, initial := range []bool{false, true} {
			db := mustOpen(t)
			seatAll(t, db, "a", 1)
			if initial {
				mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetAttendance("a", 1, 1, true, 900, rollCallAt) })
			}
			var wg sync.WaitGroup
			var pa, pb int
			toggleMany(t, db, &wg, 1, 901, 50, &pa)
			toggleMany(t, db, &wg, 1, 902, 50, &pb)
			wg.Wait()
			got := attendance(t, db, "a")[1][1]
			if got != initial {
				t.Errorf("initially %v: after 100 concurrent toggles present = %v", initial, got)
			}
			if pa+pb != 50 {
				t.Errorf("initially %v: %d of 100 toggles answered present, want 50", initial, pa+pb)
			}
		}
	})
}

// Ensure that DaysPresent counts only the days marked present, of that
// person in that batch.
func TestTx_DaysPresent(t *testing.T) {
	db := mustOpen(t)
	seatAll(t, db, "a", 1, 2)
	seatAll(t, db, "b", 1)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for day, present := range map[int]bool{1: true, 2: false, 3: true, 4: true} {
			if err := tx.SetAttendance("a", 1, day, present, 99, rollCallAt); err != nil {
				return err
			}
		}
		if err := tx.SetAttendance("a", 2, 1, true, 99, rollCallAt); err != nil {
			return err
		}
		return tx.SetAttendance("b", 1, 5, true, 99, rollCallAt)
	})
	for _, tc := range []struct {
		batch string
		user  int64
		want  int
	}{{"a", 1, 3}, {"a", 2, 1}, {"b", 1, 1}, {"b", 2, 0}, {"c", 1, 0}} {
		if got := daysPresent(t, db, tc.batch, tc.user); got != tc.want {
			t.Errorf("DaysPresent(%s, %d) = %d, want %d", tc.batch, tc.user, got, tc.want)
		}
	}
}

// Ensure that DeleteAttendance removes one person's marks in one batch
// and nobody else's.
func TestTx_DeleteAttendance(t *testing.T) {
	db := mustOpen(t)
	seatAll(t, db, "a", 1, 2)
	seatAll(t, db, "b", 1)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, m := range []struct {
			batch string
			user  int64
			day   int
		}{{"a", 1, 1}, {"a", 1, 2}, {"a", 2, 1}, {"b", 1, 1}} {
			if err := tx.SetAttendance(m.batch, m.user, m.day, true, 99, rollCallAt); err != nil {
				return err
			}
		}
		return tx.DeleteAttendance("a", 1)
	})
	if got, want := attendance(t, db, "a"), map[int64]map[int]bool{2: {1: true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Attendance(a) = %v, want %v", got, want)
	}
	if got, want := attendance(t, db, "b"), map[int64]map[int]bool{1: {1: true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Attendance(b) = %v, want %v", got, want)
	}
}

// Ensure that marks survive closing and reopening the file.
func TestTx_Attendance_Durable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seatAll(t, db, "a", 1)
	mustUpdate(t, db, func(tx *store.Tx) error { return tx.SetAttendance("a", 1, 2, true, 99, rollCallAt) })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenPath(t, path)
	if got := daysPresent(t, db, "a", 1); got != 1 {
		t.Errorf("DaysPresent after reopening = %d, want 1", got)
	}
}

// Ensure that a mark whose JSON does not start with the present flag (as
// another encoder might write it) is still read right.
func TestTx_Attendance_OtherLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seatAll(t, db, "a", 1)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		key := binary.BigEndian.AppendUint64([]byte("a\x00"), 1)
		if err := tx.Bucket([]byte("attendance")).Put(append(key, 1), []byte(`{"by":9,"present":true}`)); err != nil {
			return err
		}
		return tx.Bucket([]byte("attendance")).Put(append(key, 2), []byte(` {"present":false}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenPath(t, path)
	if got, want := attendance(t, db, "a"), map[int64]map[int]bool{1: {1: true, 2: false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Attendance = %v, want %v", got, want)
	}
	if got := daysPresent(t, db, "a", 1); got != 1 {
		t.Errorf("DaysPresent = %d, want 1", got)
	}
}

// A roll call: an organiser taps a name to mark the person present, taps
// again to take it back; the export and the certificate count the days.
func ExampleTx_ToggleAttendance() {
	dir, _ := os.MkdirTemp("", "daftar-example")
	defer os.RemoveAll(dir)
	db, err := store.Open(filepath.Join(dir, "daftar.db"), store.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	const organiser, siti = 111, 5550001
	at := time.Date(2025, 10, 20, 8, 5, 0, 0, time.UTC)
	_ = db.Update(func(tx *store.Tx) error {
		_, err := tx.ConfirmSeat(store.Participant{UserID: siti, ChatID: siti, Batch: "angkatan-1"}, 16)
		return err
	})
	for day, taps := range []int{1, 2, 1} { // day 2 was tapped twice: absent
		for range taps {
			// Printing waits for the commit: a Batch function may run twice.
			var present bool
			err := db.Batch(func(tx *store.Tx) error {
				var err error
				present, err = tx.ToggleAttendance("angkatan-1", siti, day+1, organiser, at)
				return err
			})
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("day %d: present %v\n", day+1, present)
		}
	}
	_ = db.View(func(tx *store.Tx) error {
		n, _ := tx.DaysPresent("angkatan-1", siti)
		marks, _ := tx.Attendance("angkatan-1")
		fmt.Println("days present:", n, "marks:", marks[siti])
		return nil
	})
	// Output:
	// day 1: present true
	// day 2: present true
	// day 2: present false
	// day 3: present true
	// days present: 2 marks: map[1:true 2:false 3:true]
}
