package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

func testCatalog() store.Catalog {
	jkt, _ := time.LoadLocation("Asia/Jakarta")
	day := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 0, 0, 0, 0, jkt) }
	b := func(id string, start time.Time, open bool) store.Batch {
		return store.Batch{ID: id, Name: id, Start: start, Days: 7, Capacity: 10, DailyStart: "08:00", DailyEnd: "15:00", Open: open}
	}
	return store.Catalog{
		Admins: []int64{1},
		Courses: []store.Course{
			{ID: "menjahit", Admins: []int64{2}, Batches: []store.Batch{b("jahit-1", day(2, 1), true), b("jahit-2", day(3, 1), false)}},
			{ID: "las", Admins: []int64{3}, Batches: []store.Batch{b("las-1", day(2, 3), true), b("las-2", day(4, 5), true)}},
		},
	}
}

// Ensure that a batch names its course and a deep link's argument its
// course or batch.
func TestCatalog_Lookup(t *testing.T) {
	cat := testCatalog()
	if c, ok := cat.CourseOf("las-2"); !ok || c.ID != "las" {
		t.Errorf("CourseOf(las-2) = %q, %v", c.ID, ok)
	}
	if _, ok := cat.CourseOf("gone"); ok {
		t.Error("CourseOf(gone): found a course for a batch nobody lists")
	}
	if c, b, ok := cat.Resolve("menjahit"); !ok || c.ID != "menjahit" || b.ID != "" {
		t.Errorf("Resolve(menjahit) = %q %q %v, want the course alone", c.ID, b.ID, ok)
	}
	if c, b, ok := cat.Resolve("las-1"); !ok || c.ID != "las" || b.ID != "las-1" {
		t.Errorf("Resolve(las-1) = %q %q %v, want the batch and its course", c.ID, b.ID, ok)
	}
	if _, _, ok := cat.Resolve("klaim-x"); ok {
		t.Error("Resolve(klaim-x) found something")
	}
	if got := len(cat.Batches()); got != 4 {
		t.Errorf("Batches() has %d, want 4", got)
	}
	if cat.Single() {
		t.Error("two courses are Single")
	}
}

// Ensure that telegram.admins organise every course and a course's admins
// only theirs, batch by batch, and that nobody else organises anything.
func TestCatalog_Organises(t *testing.T) {
	cat := testCatalog()
	for _, tc := range []struct {
		user    int64
		courses []string
	}{
		{1, []string{"menjahit", "las"}},
		{2, []string{"menjahit"}},
		{3, []string{"las"}},
		{4, nil},
		{0, nil},
	} {
		var got []string
		for _, c := range cat.Managed(tc.user) {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, tc.courses) {
			t.Errorf("Managed(%d) = %v, want %v", tc.user, got, tc.courses)
		}
		if cat.Organiser(tc.user) != (len(tc.courses) > 0) {
			t.Errorf("Organiser(%d) = %v", tc.user, cat.Organiser(tc.user))
		}
		for _, c := range cat.Courses {
			want := slices.Contains(tc.courses, c.ID)
			if cat.Organises(tc.user, c.ID) != want {
				t.Errorf("Organises(%d, %s) = %v, want %v", tc.user, c.ID, !want, want)
			}
			for _, b := range c.Batches {
				if cat.OrganisesBatch(tc.user, b.ID) != want {
					t.Errorf("OrganisesBatch(%d, %s) = %v, want %v", tc.user, b.ID, !want, want)
				}
			}
		}
		if cat.Organises(tc.user, "nope") != false {
			t.Errorf("Organises(%d, nope): an unknown course", tc.user)
		}
	}
	// A batch no course lists any more is only for those of every course.
	if !cat.OrganisesBatch(1, "gone") || cat.OrganisesBatch(2, "gone") {
		t.Error("OrganisesBatch of a removed batch: want telegram.admins only")
	}
}

// Ensure that the courses /start lists are those with a batch the person
// may choose, and that a seat in one course's batch rules out an
// overlapping batch of another course.
func TestCatalog_Available(t *testing.T) {
	cat := testCatalog()
	now := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
	ids := func(cs []store.Course) (out []string) {
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	if got := ids(cat.Open(nil, now)); !slices.Equal(got, []string{"menjahit", "las"}) {
		t.Errorf("Open(nobody) = %v", got)
	}
	mine := store.Registrations{{Batch: "jahit-1", Status: store.StatusRegistered}}
	var got []string
	for _, b := range cat.Available(cat.Courses[1], mine, now) {
		got = append(got, b.ID)
	}
	if !slices.Equal(got, []string{"las-2"}) {
		t.Errorf("Available(las) with a seat in jahit-1 = %v, want las-2 only (las-1 overlaps it)", got)
	}
	if got := ids(cat.Open(mine, now)); !slices.Equal(got, []string{"las"}) {
		t.Errorf("Open(seat in jahit-1) = %v, want las (jahit-2 is closed)", got)
	}
}

// Ensure that TalliesIn returns the registrations of one batch only, as
// Tallies has them.
func TestTx_TalliesIn(t *testing.T) {
	db := mustOpen(t)
	mustUpdate(t, db, func(tx *store.Tx) error {
		for i, b := range []string{"a", "a-1", "b", "a"} {
			if _, err := tx.ConfirmSeat(store.Participant{UserID: int64(i + 1), ChatID: int64(i + 1), Batch: b}, 10); err != nil {
				return err
			}
		}
		return nil
	})
	if err := db.View(func(tx *store.Tx) error {
		ts, err := tx.TalliesIn("a")
		if err != nil {
			return err
		}
		if len(ts) != 2 || ts[0].UserID != 1 || ts[1].UserID != 4 || ts[0].Batch != "a" || ts[0].Status != store.StatusRegistered {
			t.Errorf("TalliesIn(a) = %+v, want users 1 and 4 (not a-1's)", ts)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Ensure that AllSeats asks seats for every batch of every course, in
// course order, and keeps what it says.
func TestCatalog_AllSeats(t *testing.T) {
	cat := testCatalog()
	all := cat.AllSeats(func(b store.Batch) store.Seats {
		return store.Seats{Batch: b, Claim: time.Duration(b.Start.Day()) * time.Hour}
	})
	var ids []string
	for _, s := range all {
		ids = append(ids, s.Batch.ID)
		if s.Claim != time.Duration(s.Batch.Start.Day())*time.Hour {
			t.Errorf("%s: Claim %v, not what seats said", s.Batch.ID, s.Claim)
		}
	}
	if want := []string{"jahit-1", "jahit-2", "las-1", "las-2"}; !slices.Equal(ids, want) {
		t.Errorf("AllSeats covers %v, want %v", ids, want)
	}
}
