package store_test

import (
	"slices"
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// Ensure that FormerBatches names the batches the config no longer lists
// by the course they were last recorded under, those of no known course
// only when asked, and never a batch the config lists.
func TestTx_FormerBatches(t *testing.T) {
	db := mustOpen(t)
	then := store.Catalog{Courses: []store.Course{
		{ID: "jahit", Batches: []store.Batch{{ID: "j0"}, {ID: "j1"}}},
		{ID: "las", Batches: []store.Batch{{ID: "l0"}}},
		{ID: "rias", Batches: []store.Batch{{ID: "r0"}}},
	}}
	if err := db.RecordBatchCourses(then); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"j0", "j1", "l0", "r0", "x0"} {
		wlFill(t, db, wlSeats(b, 5, wlStartIn(10)), []int64{1}, nil)
	}
	// Now: j0 and l0 removed, rias removed with its batch, j1 moved to las.
	now := store.Catalog{Courses: []store.Course{
		{ID: "jahit"},
		{ID: "las", Batches: []store.Batch{{ID: "j1"}}},
	}}
	for _, tc := range []struct {
		course  string
		unknown bool
		want    []string
	}{
		{"jahit", false, []string{"j0"}},
		{"jahit", true, []string{"j0", "r0", "x0"}},
		{"las", false, []string{"l0"}},
		{"rias", false, nil},
	} {
		var got []string
		err := db.View(func(tx *store.Tx) error {
			var err error
			got, err = tx.FormerBatches(now, tc.course, tc.unknown)
			return err
		})
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("FormerBatches(%s, unknown %v) = %v, %v; want %v", tc.course, tc.unknown, got, err, tc.want)
		}
	}
	// A later start records where j1 is now.
	if err := db.RecordBatchCourses(store.Catalog{Courses: []store.Course{{ID: "las", Batches: []store.Batch{{ID: "j1"}}}}}); err != nil {
		t.Fatal(err)
	}
	var got []string
	mustUpdate(t, db, func(tx *store.Tx) error {
		var err error
		got, err = tx.FormerBatches(store.Catalog{Courses: []store.Course{{ID: "jahit"}, {ID: "las"}}}, "las", false)
		return err
	})
	if !slices.Equal(got, []string{"j1", "l0"}) {
		t.Errorf("after j1 was recorded under las and removed: %v, want j1 l0", got)
	}
}
