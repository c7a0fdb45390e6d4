package store_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/daftar-bot/daftar/store"
)

// confirm runs ConfirmSeat in a transaction of its own.
func confirm(tb testing.TB, db *store.DB, p store.Participant, capacity int) (store.Participant, error) {
	tb.Helper()
	var got store.Participant
	err := db.Update(func(tx *store.Tx) error {
		var err error
		got, err = tx.ConfirmSeat(p, capacity)
		return err
	})
	return got, err
}

// mustConfirm is confirm that fails the test on error.
func mustConfirm(tb testing.TB, db *store.DB, p store.Participant, capacity int) store.Participant {
	tb.Helper()
	got, err := confirm(tb, db, p, capacity)
	if err != nil {
		tb.Fatalf("ConfirmSeat(user %d, %s): %v", p.UserID, p.Batch, err)
	}
	return got
}

// seatsTaken returns SeatsTaken(batch) from a read transaction.
func seatsTaken(tb testing.TB, db *store.DB, batch string) int {
	tb.Helper()
	var n int
	err := db.View(func(tx *store.Tx) error {
		var err error
		n, err = tx.SeatsTaken(batch)
		return err
	})
	if err != nil {
		tb.Fatalf("SeatsTaken(%s): %v", batch, err)
	}
	return n
}

// putRawParticipants writes participants straight into the bbolt file at
// path (which must be closed), in the persisted layout: key batch, 0,
// big-endian user id; value JSON. It is how a participant with a status
// that ConfirmSeat does not give (waiting, cancelled) gets into a test
// database until the store has an API for it.
func putRawParticipants(tb testing.TB, path string, ps ...store.Participant) {
	tb.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		tb.Fatalf("bolt.Open: %v", err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		bucket := tx.Bucket([]byte("participants"))
		if bucket == nil {
			return errors.New("no participants bucket")
		}
		for _, p := range ps {
			key := binary.BigEndian.AppendUint64(append([]byte(p.Batch), 0), uint64(p.UserID))
			v, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := bucket.Put(key, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("put raw participants: %v", err)
	}
}

// Ensure that ConfirmSeat hands out seats 1, 2, 3… up to the capacity, once
// per person and batch, even under concurrent batched transactions.
func TestTx_ConfirmSeat(t *testing.T) {
	t.Run("AssignsSeatsInOrder", func(t *testing.T) {
		db := mustOpen(t)
		at := time.Date(2025, 10, 10, 8, 0, 0, 0, time.UTC)
		for i := 1; i <= 3; i++ {
			in := store.Participant{
				UserID:       int64(1000 + i),
				ChatID:       int64(2000 + i),
				Batch:        "angkatan-1",
				Status:       store.StatusWaiting, // ConfirmSeat decides
				Answers:      map[string]string{"name": fmt.Sprint("Peserta ", i)},
				Lang:         "id",
				ConsentAt:    at,
				RegisteredAt: at.Add(time.Duration(i) * time.Minute),
			}
			got := mustConfirm(t, db, in, 16)
			if got.Seat != i || got.Status != store.StatusRegistered {
				t.Errorf("user %d: seat %d status %q, want seat %d registered", in.UserID, got.Seat, got.Status, i)
			}
			want := in
			want.Seat, want.Status = i, store.StatusRegistered
			if !sameParticipant(got, want) {
				t.Errorf("ConfirmSeat returned %+v, want %+v", got, want)
			}
			var stored store.Participant
			err := db.View(func(tx *store.Tx) error {
				var err error
				stored, err = tx.Participant("angkatan-1", in.UserID)
				return err
			})
			if err != nil {
				t.Fatalf("Participant: %v", err)
			}
			if !sameParticipant(stored, want) {
				t.Errorf("stored %+v, want %+v", stored, want)
			}
		}
		if n := seatsTaken(t, db, "angkatan-1"); n != 3 {
			t.Errorf("SeatsTaken = %d, want 3", n)
		}
	})

	t.Run("BatchFull", func(t *testing.T) {
		db := mustOpen(t)
		for i := 1; i <= 2; i++ {
			mustConfirm(t, db, store.Participant{UserID: int64(i), Batch: "b"}, 2)
		}
		_, err := confirm(t, db, store.Participant{UserID: 3, Batch: "b"}, 2)
		if !errors.Is(err, store.ErrBatchFull) {
			t.Fatalf("third ConfirmSeat: err = %v, want ErrBatchFull", err)
		}
		// Even a caller that commits after the error has stored nothing.
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.ConfirmSeat(store.Participant{UserID: 3, Batch: "b"}, 2)
			if !errors.Is(err, store.ErrBatchFull) {
				return fmt.Errorf("err = %v, want ErrBatchFull", err)
			}
			return nil
		})
		err = db.View(func(tx *store.Tx) error {
			_, err := tx.Participant("b", 3)
			return err
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Participant(b, 3): err = %v, want ErrNotFound", err)
		}
		if n := seatsTaken(t, db, "b"); n != 2 {
			t.Errorf("SeatsTaken = %d, want 2", n)
		}
	})

	t.Run("ZeroCapacity", func(t *testing.T) {
		db := mustOpen(t)
		if _, err := confirm(t, db, store.Participant{UserID: 1, Batch: "b"}, 0); !errors.Is(err, store.ErrBatchFull) {
			t.Errorf("err = %v, want ErrBatchFull", err)
		}
	})

	t.Run("AlreadyRegistered", func(t *testing.T) {
		db := mustOpen(t)
		first := mustConfirm(t, db, store.Participant{UserID: 1, Batch: "b", Lang: "id", Answers: map[string]string{"name": "Ani"}}, 16)
		mustConfirm(t, db, store.Participant{UserID: 2, Batch: "b"}, 16)

		got, err := confirm(t, db, store.Participant{UserID: 1, Batch: "b", Lang: "en", Answers: map[string]string{"name": "Other"}}, 16)
		if !errors.Is(err, store.ErrAlreadyRegistered) {
			t.Fatalf("err = %v, want ErrAlreadyRegistered", err)
		}
		if !sameParticipant(got, first) {
			t.Errorf("returned %+v, want the stored %+v", got, first)
		}
		if n := seatsTaken(t, db, "b"); n != 2 {
			t.Errorf("SeatsTaken = %d, want 2", n)
		}
		// Already registered wins over full: the person is told where they sit.
		if _, err := confirm(t, db, store.Participant{UserID: 1, Batch: "b"}, 2); !errors.Is(err, store.ErrAlreadyRegistered) {
			t.Errorf("at capacity: err = %v, want ErrAlreadyRegistered", err)
		}
	})

	t.Run("SeparateBatches", func(t *testing.T) {
		db := mustOpen(t)
		a1 := mustConfirm(t, db, store.Participant{UserID: 1, Batch: "angkatan-1"}, 1)
		a2 := mustConfirm(t, db, store.Participant{UserID: 1, Batch: "angkatan-2"}, 1)
		b2 := mustConfirm(t, db, store.Participant{UserID: 2, Batch: "angkatan-2"}, 2)
		if a1.Seat != 1 || a2.Seat != 1 || b2.Seat != 2 {
			t.Errorf("seats %d, %d, %d; want 1, 1, 2", a1.Seat, a2.Seat, b2.Seat)
		}
		if _, err := confirm(t, db, store.Participant{UserID: 2, Batch: "angkatan-1"}, 1); !errors.Is(err, store.ErrBatchFull) {
			t.Errorf("angkatan-1: err = %v, want ErrBatchFull", err)
		}
		if n := seatsTaken(t, db, "angkatan-1"); n != 1 {
			t.Errorf("SeatsTaken(angkatan-1) = %d, want 1", n)
		}
		if n := seatsTaken(t, db, "angkatan-2"); n != 2 {
			t.Errorf("SeatsTaken(angkatan-2) = %d, want 2", n)
		}
		if n := seatsTaken(t, db, "angkatan-3"); n != 0 {
			t.Errorf("SeatsTaken(angkatan-3) = %d, want 0", n)
		}
	})

	t.Run("FromWaiting", func(t *testing.T) {
		db := mustOpen(t)
		mustConfirm(t, db, store.Participant{UserID: 1, Batch: "b"}, 1)
		err := db.Update(func(tx *store.Tx) error {
			_, err := tx.JoinWaitingList(store.Seats{Batch: store.Batch{ID: "b", Capacity: 1, Start: time.Now().AddDate(1, 0, 0), Open: true}, Claim: time.Hour}, store.Participant{UserID: 2, Batch: "b"}, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A person waiting gets a seat through an offer, never by
		// confirming again, even with a seat free for someone else.
		if _, err := confirm(t, db, store.Participant{UserID: 2, Batch: "b"}, 16); !errors.Is(err, store.ErrAlreadyWaiting) {
			t.Errorf("err = %v, want ErrAlreadyWaiting", err)
		}
		if _, err := confirm(t, db, store.Participant{UserID: 3, Batch: "b"}, 16); !errors.Is(err, store.ErrBatchFull) {
			t.Errorf("a newcomer while someone waits: err = %v, want ErrBatchFull", err)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		db := mustOpen(t)
		const people, capacity = 40, 16
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			seats []int
			full  int
			other []error
		)
		for i := range people {
			wg.Go(func() {
				var got store.Participant
				// Batch may run the function more than once: only its
				// last run counts, so the result is set, never appended.
				err := db.Batch(func(tx *store.Tx) error {
					var err error
					got, err = tx.ConfirmSeat(store.Participant{UserID: int64(i + 1), ChatID: int64(i + 1), Batch: "angkatan-1"}, capacity)
					return err
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					seats = append(seats, got.Seat)
				case errors.Is(err, store.ErrBatchFull):
					full++
				default:
					other = append(other, err)
				}
			})
		}
		wg.Wait()

		if len(other) > 0 {
			t.Fatalf("unexpected errors: %v", other)
		}
		if len(seats) != capacity || full != people-capacity {
			t.Errorf("%d confirmed, %d full; want %d and %d", len(seats), full, capacity, people-capacity)
		}
		slices.Sort(seats)
		want := make([]int, capacity)
		for i := range want {
			want[i] = i + 1
		}
		if !reflect.DeepEqual(seats, want) {
			t.Errorf("seats = %v, want %v", seats, want)
		}
		if n := seatsTaken(t, db, "angkatan-1"); n != capacity {
			t.Errorf("SeatsTaken = %d, want %d", n, capacity)
		}
		ps, err := db.Participants()
		if err != nil {
			t.Fatal(err)
		}
		var stored []int
		for _, p := range ps {
			stored = append(stored, p.Seat)
		}
		if !reflect.DeepEqual(stored, want) {
			t.Errorf("stored seats = %v, want %v", stored, want)
		}
	})
}

// Ensure that Participant finds one registration and reports a missing one
// as ErrNotFound.
func TestTx_Participant(t *testing.T) {
	db := mustOpen(t)
	mustConfirm(t, db, store.Participant{UserID: 1, Batch: "a"}, 16)
	err := db.View(func(tx *store.Tx) error {
		if p, err := tx.Participant("a", 1); err != nil || p.UserID != 1 || p.Seat != 1 {
			t.Errorf("Participant(a, 1) = %+v, %v", p, err)
		}
		for _, c := range []struct {
			batch string
			user  int64
		}{{"a", 2}, {"b", 1}, {"", 1}} {
			if _, err := tx.Participant(c.batch, c.user); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Participant(%q, %d): err = %v, want ErrNotFound", c.batch, c.user, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that ParticipantsOf returns every registration of one person, in
// batch order, and nobody else's.
func TestTx_ParticipantsOf(t *testing.T) {
	db := mustOpen(t)
	// User ids chosen so that one id's bytes are a suffix-like neighbour of
	// another's: 1, 256 (0x100) and 1<<40.
	for _, r := range []struct {
		user  int64
		batch string
	}{
		{256, "angkatan-2"}, {1, "angkatan-2"}, {1, "angkatan-10"}, {1 << 40, "angkatan-1"},
		{1, "angkatan-1"}, {256, "angkatan-1"}, {2, "angkatan-3"},
	} {
		mustConfirm(t, db, store.Participant{UserID: r.user, Batch: r.batch}, 16)
	}
	err := db.View(func(tx *store.Tx) error {
		for _, c := range []struct {
			user    int64
			batches []string
		}{
			{1, []string{"angkatan-1", "angkatan-10", "angkatan-2"}},
			{256, []string{"angkatan-1", "angkatan-2"}},
			{1 << 40, []string{"angkatan-1"}},
			{2, []string{"angkatan-3"}},
			{3, nil},
		} {
			ps, err := tx.ParticipantsOf(c.user)
			if err != nil {
				return err
			}
			var batches []string
			for _, p := range ps {
				if p.UserID != c.user {
					t.Errorf("ParticipantsOf(%d) returned user %d", c.user, p.UserID)
				}
				batches = append(batches, p.Batch)
			}
			if !reflect.DeepEqual(batches, c.batches) {
				t.Errorf("ParticipantsOf(%d) batches = %q, want %q", c.user, batches, c.batches)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that Participants orders by batch, then status (registered,
// waiting, cancelled), then seat, then registration time.
func TestDB_Participants(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		db := mustOpen(t)
		ps, err := db.Participants()
		if err != nil || len(ps) != 0 {
			t.Errorf("Participants() = %+v, %v; want none", ps, err)
		}
	})

	t.Run("Order", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "daftar.db")
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Seats are given in an order unlike the user ids (the key order).
		for _, r := range []struct {
			user  int64
			batch string
		}{{9, "b"}, {3, "b"}, {5, "b"}, {8, "a"}, {4, "a"}} {
			mustConfirm(t, db, store.Participant{UserID: r.user, Batch: r.batch}, 16)
		}
		db.Close()
		at := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
		putRawParticipants(t, path,
			store.Participant{UserID: 1, Batch: "b", Status: store.StatusCancelled, RegisteredAt: at},
			store.Participant{UserID: 2, Batch: "b", Status: store.StatusWaiting, RegisteredAt: at.Add(2 * time.Hour)},
			store.Participant{UserID: 6, Batch: "b", Status: store.StatusWaiting, RegisteredAt: at.Add(time.Hour)},
			store.Participant{UserID: 7, Batch: "a", Status: store.StatusWaiting, RegisteredAt: at},
			store.Participant{UserID: 10, Batch: "a", Status: store.StatusCancelled, RegisteredAt: at},
		)
		db = mustOpenPath(t, path)

		ps, err := db.Participants()
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			Batch  string
			Status store.Status
			Seat   int
			User   int64
		}
		var got []row
		for _, p := range ps {
			got = append(got, row{p.Batch, p.Status, p.Seat, p.UserID})
		}
		want := []row{
			{"a", store.StatusRegistered, 1, 8},
			{"a", store.StatusRegistered, 2, 4},
			{"a", store.StatusWaiting, 0, 7},
			{"a", store.StatusCancelled, 0, 10},
			{"b", store.StatusRegistered, 1, 9},
			{"b", store.StatusRegistered, 2, 3},
			{"b", store.StatusRegistered, 3, 5},
			{"b", store.StatusWaiting, 0, 6},
			{"b", store.StatusWaiting, 0, 2},
			{"b", store.StatusCancelled, 0, 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Participants() =\n%+v\nwant\n%+v", got, want)
		}

		// The same from inside a transaction.
		err = db.View(func(tx *store.Tx) error {
			inTx, err := tx.Participants()
			if err != nil {
				return err
			}
			if len(inTx) != len(ps) {
				t.Errorf("Tx.Participants() has %d, DB.Participants() %d", len(inTx), len(ps))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// seedBatches registers people in batches "a", "b" and "a-1" (whose id
// starts another's), seats in an order unlike the user ids, and puts one
// on a's waiting list; it returns them as Participants lists them.
func seedBatches(tb testing.TB, db *store.DB) []store.Participant {
	tb.Helper()
	at := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []struct {
		user  int64
		batch string
	}{{9, "b"}, {3, "b"}, {5, "b"}, {8, "a"}, {4, "a"}, {2, "a-1"}} {
		mustConfirm(tb, db, store.Participant{UserID: r.user, Batch: r.batch, RegisteredAt: at}, 16)
	}
	mustUpdate(tb, db, func(tx *store.Tx) error {
		_, err := tx.JoinWaitingList(store.Seats{Batch: store.Batch{ID: "a", Open: true, Start: at.AddDate(0, 1, 0)}}, store.Participant{UserID: 1, Batch: "a", RegisteredAt: at}, at)
		return err
	})
	ps, err := db.Participants()
	if err != nil {
		tb.Fatal(err)
	}
	return ps
}

// Ensure that ParticipantsIn returns the registrations of one batch only,
// even of a batch whose id starts another's, in the order of Participants.
func TestTx_ParticipantsIn(t *testing.T) {
	db := mustOpen(t)
	ps := seedBatches(t, db)
	for _, batch := range []string{"a", "b", "a-1", "none"} {
		var want []store.Participant
		for _, p := range ps {
			if p.Batch == batch {
				want = append(want, p)
			}
		}
		var got []store.Participant
		err := db.View(func(tx *store.Tx) error {
			var err error
			got, err = tx.ParticipantsIn(batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("ParticipantsIn(%q) = %+v, want %+v", batch, got, want)
		}
	}
}

// Ensure that ParticipantOrder lists the registrations of a batch, or of
// every batch, in the order of Participants.
func TestTx_ParticipantOrder(t *testing.T) {
	db := mustOpen(t)
	ps := seedBatches(t, db)
	for _, batch := range []string{"", "a", "b", "a-1", "none"} {
		var want []store.ParticipantRef
		for _, p := range ps {
			if batch == "" || p.Batch == batch {
				want = append(want, store.ParticipantRef{Batch: p.Batch, UserID: p.UserID})
			}
		}
		var got []store.ParticipantRef
		err := db.View(func(tx *store.Tx) error {
			var err error
			got, err = tx.ParticipantOrder(batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("ParticipantOrder(%q) = %+v, want %+v", batch, got, want)
		}
	}
}
