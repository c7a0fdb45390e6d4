package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/daftar-bot/daftar/store"
)

// Two NIKs of the tests: a woman born 12 May 2000 (day 52) in Kabupaten
// Jember (3509), a man born 3 April 1980 in Kota Surabaya (3578).
const (
	nikSiti = "3509015205000001"
	nikBudi = "3578010304800002"
)

// intakeCourse is a course of three batches: a and b a month apart, z
// one that ended a year before wlNow. The form asks name, nik and
// birth_date.
func intakeCourse(max int) store.Course {
	day := func(d int) time.Time { return wlStartIn(d) }
	b := func(id string, start time.Time) store.Batch {
		return store.Batch{ID: id, Name: "Angkatan " + id, Start: start, Days: 3, Capacity: 5, DailyStart: "08:00", DailyEnd: "15:00", Open: true}
	}
	return store.Course{
		ID: "menjahit", MaxBatchesPerPerson: max,
		Batches: []store.Batch{b("a", day(10)), b("b", day(40)), b("z", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))},
		Fields: []store.Field{
			{Key: "name", Kind: store.KindText}, {Key: "nik", Kind: store.KindNIK}, {Key: "birth_date", Kind: store.KindDate},
		},
	}
}

// intakeSeats are the seats of c's batch id with c's intake rules.
func intakeSeats(c store.Course, id string) store.Seats {
	b, _ := c.Batch(id)
	return store.Seats{Batch: b, Claim: 24 * time.Hour, Batches: c.Batches, Intake: c.Intake()}
}

// intakePerson is user's registration with nik and birth ("" for none).
func intakePerson(batch string, user int64, nik, birth string) store.Participant {
	p := wlPerson(batch, user)
	p.Answers["nik"] = nik
	if birth != "" {
		p.Answers["birth_date"] = birth
	}
	return p
}

// Ensure that a NIK holds one place per batch whichever account it comes
// from, that a person (account or NIK) holds at most max_batches_per_person
// places in a course, that an own registration does not count against
// itself, and that a cancelled place frees the NIK.
func TestTx_CheckIntake_Places(t *testing.T) {
	db := mustOpen(t)
	c := intakeCourse(1)
	a, b := intakeSeats(c, "a"), intakeSeats(c, "b")
	take := func(s store.Seats, p store.Participant) error {
		var err error
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err = tx.TakeSeat(s, p, wlNow)
			return nil
		})
		return err
	}
	if err := take(a, intakePerson("a", 1, nikSiti, "")); err != nil {
		t.Fatalf("Siti's seat in a: %v", err)
	}
	if err := take(a, intakePerson("a", 2, nikSiti, "")); !errors.Is(err, store.ErrNIKTaken) {
		t.Errorf("Siti's NIK from a second account in a: %v, want ErrNIKTaken", err)
	}
	if err := take(b, intakePerson("b", 2, nikSiti, "")); !errors.Is(err, store.ErrTooManyPlaces) {
		t.Errorf("Siti's NIK from a second account in b (one place per course): %v, want ErrTooManyPlaces", err)
	}
	if err := take(b, intakePerson("b", 1, nikBudi, "")); !errors.Is(err, store.ErrTooManyPlaces) {
		t.Errorf("Siti's account in b with another NIK: %v, want ErrTooManyPlaces", err)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.JoinWaitingList(a, intakePerson("a", 2, nikSiti, ""), wlNow); !errors.Is(err, store.ErrNIKTaken) {
			t.Errorf("Siti's NIK on a's waiting list from a second account: %v, want ErrNIKTaken", err)
		}
		// Her own registration does not count against an edit of it.
		if err := tx.CheckIntake(a, intakePerson("a", 1, nikSiti, ""), wlNow); err != nil {
			t.Errorf("CheckIntake of Siti's own place: %v", err)
		}
		if _, err := tx.CancelRegistration(a, 1, wlNow); err != nil {
			t.Fatal(err)
		}
		return nil
	})
	if err := take(a, intakePerson("a", 2, nikSiti, "")); err != nil {
		t.Errorf("Siti's NIK in a after the first account cancelled: %v", err)
	}
	// Two places per course: a second batch, never two places in one.
	c2 := intakeCourse(2)
	if err := take(intakeSeats(c2, "b"), intakePerson("b", 2, nikSiti, "")); err != nil {
		t.Errorf("a second batch with max_batches_per_person = 2: %v", err)
	}
	if err := take(intakeSeats(c2, "b"), intakePerson("b", 3, nikSiti, "")); !errors.Is(err, store.ErrNIKTaken) {
		t.Errorf("a third account in b with max 2: %v, want ErrNIKTaken", err)
	}
	var places []store.Participant
	mustUpdate(t, db, func(tx *store.Tx) error {
		var err error
		places, err = tx.PlacesOfNIK(nikSiti)
		return err
	})
	if len(places) != 2 || places[0].UserID != 2 || places[1].UserID != 2 {
		t.Errorf("PlacesOfNIK = %+v, want account 2 in a and b", places)
	}
}

// Ensure that a batch's eligibility refuses by age on its first day (from
// the birth date, else from the NIK), by the NIK's region, and a NIK that
// attended the course in the last months, with the rule's error.
func TestTx_CheckIntake_Eligibility(t *testing.T) {
	c := intakeCourse(1)
	// a starts 12 March 2026: Siti is 25, Budi 45.
	for _, tc := range []struct {
		name  string
		el    store.Eligibility
		nik   string
		birth string
		want  error
	}{
		{"old enough", store.Eligibility{MinAge: 18, MaxAge: 45}, nikBudi, "1980-04-03", nil},
		{"too young", store.Eligibility{MinAge: 26}, nikSiti, "2000-05-12", store.ErrTooYoung},
		{"too old", store.Eligibility{MaxAge: 44}, nikBudi, "1980-04-03", store.ErrTooOld},
		{"age from the nik", store.Eligibility{MaxAge: 24}, nikSiti, "", store.ErrTooOld},
		{"age from the nik, in range", store.Eligibility{MinAge: 25, MaxAge: 25}, nikSiti, "", nil},
		{"birth date wins over the nik", store.Eligibility{MaxAge: 30}, nikBudi, "2000-01-01", nil},
		{"regency", store.Eligibility{Regions: []string{"3509"}}, nikSiti, "", nil},
		{"district", store.Eligibility{Regions: []string{"3578", "350901"}}, nikSiti, "", nil},
		{"other region", store.Eligibility{Regions: []string{"3509"}}, nikBudi, "", store.ErrRegion},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpen(t)
			s := intakeSeats(c, "a")
			s.Batch.Eligibility = tc.el
			mustUpdate(t, db, func(tx *store.Tx) error {
				_, err := tx.TakeSeat(s, intakePerson("a", 1, tc.nik, tc.birth), wlNow)
				if !wlErrIs(err, tc.want) {
					t.Errorf("TakeSeat = %v, want %v", err, tc.want)
				}
				return nil
			})
		})
	}
	t.Run("recently trained", func(t *testing.T) {
		db := mustOpen(t)
		// Siti attended z (ended February 2025), from an account of her
		// own; a starts 13 months later.
		mustUpdate(t, db, func(tx *store.Tx) error {
			_, err := tx.ConfirmSeat(func() store.Participant {
				p := intakePerson("z", 7, nikSiti, "")
				p.NIK = nikSiti
				return p
			}(), 5)
			return err
		})
		for _, tc := range []struct {
			months int
			want   error
		}{{12, nil}, {14, store.ErrRecentlyTrained}} {
			s := intakeSeats(c, "a")
			s.Batch.Eligibility = store.Eligibility{ExcludeMonths: tc.months}
			mustUpdate(t, db, func(tx *store.Tx) error {
				if err := tx.CheckIntake(s, intakePerson("a", 1, nikSiti, ""), wlNow); !wlErrIs(err, tc.want) {
					t.Errorf("exclude_months = %d: %v, want %v", tc.months, err, tc.want)
				}
				// Budi never attended.
				if err := tx.CheckIntake(s, intakePerson("a", 2, nikBudi, ""), wlNow); err != nil {
					t.Errorf("exclude_months = %d, another NIK: %v", tc.months, err)
				}
				return nil
			})
		}
	})
}

// Ensure that Ubah cannot take another person's NIK: UpdateAnswers
// refuses a NIK that holds a place in the batch, keeps the registration
// as it was, and takes a free NIK.
func TestTx_UpdateAnswers_NIK(t *testing.T) {
	db := mustOpen(t)
	c := intakeCourse(1)
	a := intakeSeats(c, "a")
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.TakeSeat(a, intakePerson("a", 1, nikSiti, ""), wlNow); err != nil {
			return err
		}
		if _, err := tx.TakeSeat(a, intakePerson("a", 2, nikBudi, ""), wlNow); err != nil {
			return err
		}
		_, err := tx.UpdateAnswers(a, 2, intakePerson("a", 2, nikSiti, "").Answers, wlNow)
		if !errors.Is(err, store.ErrNIKTaken) {
			t.Errorf("Budi's registration changed to Siti's NIK: %v, want ErrNIKTaken", err)
		}
		if p, _ := tx.Participant("a", 2); p.Answers["nik"] != nikBudi || p.NIK != nikBudi {
			t.Errorf("refused edit changed the registration")
		}
		other := "3509014101990003"
		if _, err := tx.UpdateAnswers(a, 2, intakePerson("a", 2, other, "").Answers, wlNow); err != nil {
			t.Errorf("a free NIK: %v", err)
		}
		if ps, _ := tx.PlacesOfNIK(nikBudi); len(ps) != 0 {
			t.Errorf("the old NIK still indexed: %d places", len(ps))
		}
		if ps, _ := tx.PlacesOfNIK(other); len(ps) != 1 {
			t.Errorf("the new NIK: %d places, want 1", len(ps))
		}
		return nil
	})
}

// Ensure that the NIK index follows every path that deletes a
// registration: the person's erasure, the retention, and a scrub of the
// file, so that a NIK is free again for someone else.
func TestTx_NIKIndex_Deletions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	c := intakeCourse(1)
	a, b := intakeSeats(c, "a"), intakeSeats(c, "b")
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.TakeSeat(a, intakePerson("a", 1, nikSiti, ""), wlNow); err != nil {
			return err
		}
		_, err := tx.TakeSeat(b, intakePerson("b", 2, nikBudi, ""), wlNow)
		return err
	})
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.Erase([]store.Seats{a, b}, 1, wlNow)
		return err
	})
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.RetireBatch("b")
		return err
	})
	if err := db.Scrub(); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		for _, nik := range []string{nikSiti, nikBudi} {
			if ps, err := tx.PlacesOfNIK(nik); err != nil || len(ps) != 0 {
				t.Errorf("places after erasure and retention: %d, %v", len(ps), err)
			}
		}
		if _, err := tx.TakeSeat(a, intakePerson("a", 3, nikSiti, ""), wlNow); err != nil {
			t.Errorf("Siti's NIK after her erasure: %v", err)
		}
		return nil
	})
	db.Close()
	b2, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	_ = b2.View(func(tx *bolt.Tx) error {
		n := tx.Bucket([]byte("participants_by_nik")).Stats().KeyN
		m := tx.Bucket([]byte("nik_of_participant")).Stats().KeyN
		if n != 1 || m != 1 {
			t.Errorf("index entries %d and %d, want 1 each (account 3's seat)", n, m)
		}
		return nil
	})
	if fileHolds(t, path, nikBudi) {
		t.Errorf("the retired NIK is still in the file")
	}
}

// Ensure that the migration to version 4 indexes the registrations of a
// file written before the NIK index by the answer Options.NIKFields names,
// so that a NIK registered before the upgrade is refused to a second
// account after it.
func TestMigrate_NIKIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daftar.db")
	db := mustOpenPath(t, path)
	c := intakeCourse(1)
	mustUpdate(t, db, func(tx *store.Tx) error {
		// As the previous release stored it: no NIK of its own.
		_, err := tx.ConfirmSeat(intakePerson("a", 1, nikSiti, ""), 5)
		return err
	})
	db.Close()
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"participants_by_nik", "nik_of_participant"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("3"))
	}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	db, err = store.Open(path, store.Options{NIKFields: map[string]string{"a": "nik", "b": "nik"}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustUpdate(t, db, func(tx *store.Tx) error {
		p, err := tx.Participant("a", 1)
		if err != nil || p.NIK != nikSiti || p.Answers["name"] != "Peserta 1" {
			t.Errorf("registration after the migration: NIK recorded %v, %v", p.NIK == nikSiti, err)
		}
		if _, err := tx.TakeSeat(intakeSeats(c, "a"), intakePerson("a", 2, nikSiti, ""), wlNow); !errors.Is(err, store.ErrNIKTaken) {
			t.Errorf("the NIK from a second account after the migration: %v, want ErrNIKTaken", err)
		}
		return nil
	})
}

// Ensure that NIKBirth reads the birth date of men and women and of both
// centuries, and refuses what is no date.
func TestNIKBirth(t *testing.T) {
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		nik  string
		want string
	}{
		{nikSiti, "2000-05-12"}, {nikBudi, "1980-04-03"},
		{"3509010101260001", "2026-01-01"}, {"3509010101270001", "1927-01-01"},
		{"3509017102000001", "2000-02-31?"}, {"35090101010000", "short"}, {"350901010100000x", "letters"},
	} {
		d, ok := store.NIKBirth(tc.nik, at)
		got := "refused"
		if ok {
			got = d.Format(time.DateOnly)
		}
		if len(tc.want) == 10 && got != tc.want || len(tc.want) != 10 && ok {
			t.Errorf("NIKBirth(%s) = %s, want %s", tc.nik, got, tc.want)
		}
	}
}

// Ensure that ParseRegion takes 4- and 6-digit codes with or without dots
// and refuses anything else.
func TestParseRegion(t *testing.T) {
	for in, want := range map[string]string{"3509": "3509", "35.09": "3509", "35.09.01": "350901", " 350901 ": "350901"} {
		if got, err := store.ParseRegion(in); err != nil || got != want {
			t.Errorf("ParseRegion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "35", "35090", "3509011", "35x9", "0009", "3500", "350900", "٣٥٠٩"} {
		if got, err := store.ParseRegion(in); err == nil {
			t.Errorf("ParseRegion(%q) = %q, want an error", in, got)
		}
	}
}

// FuzzParseRegion checks that whatever an operator writes, ParseRegion
// returns 4 or 6 digits or an error, never panics, and accepts its own
// output.
func FuzzParseRegion(f *testing.F) {
	for _, s := range []string{"3509", "35.09.01", "", "3500", "12 34", "٣٥٠٩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := store.ParseRegion(s)
		if err != nil {
			return
		}
		if len(d) != 4 && len(d) != 6 {
			t.Fatalf("ParseRegion(%q) = %q", s, d)
		}
		if again, err := store.ParseRegion(d); err != nil || again != d {
			t.Fatalf("ParseRegion(%q) = %q, %v; not its own fixed point", d, again, err)
		}
	})
}

// FuzzNIKBirth checks that NIKBirth never panics and that a date it
// returns is encoded in the NIK and not after the reference day's year.
func FuzzNIKBirth(f *testing.F) {
	f.Add(nikSiti)
	f.Add("3509017102000001")
	f.Fuzz(func(t *testing.T, nik string) {
		at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		d, ok := store.NIKBirth(nik, at)
		if !ok {
			return
		}
		if d.Year() > at.Year() || d.Year() <= at.Year()-100 {
			t.Fatalf("NIKBirth(%q) = %v: outside the century before %d", nik, d, at.Year())
		}
		if d.Year()%100 != int(nik[10]-'0')*10+int(nik[11]-'0') {
			t.Fatalf("NIKBirth(%q) = %v: another year", nik, d)
		}
	})
}

// BenchmarkTx_CheckIntake measures the intake rule against a course
// holding others registrations with NIKs: its cost is the places of the
// person's account and NIK (the NIK index), the same among 20,000 others
// as among 100.
func BenchmarkTx_CheckIntake(b *testing.B) {
	for _, others := range []int{100, 20000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			db := mustOpen(b)
			c := intakeCourse(1)
			a := intakeSeats(c, "a")
			a.Batch.Capacity = others + 1
			mustUpdate(b, db, func(tx *store.Tx) error {
				for i := range others {
					p := intakePerson("a", int64(1000+i), fmt.Sprintf("350901520500%04d", i+1), "")
					p.NIK = p.Answers["nik"]
					if _, err := tx.ConfirmSeat(p, a.Batch.Capacity); err != nil {
						return err
					}
				}
				return nil
			})
			p := intakePerson("a", 1, nikBudi, "")
			b.ResetTimer()
			for range b.N {
				if err := db.View(func(tx *store.Tx) error { return tx.CheckIntake(a, p, wlNow) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
