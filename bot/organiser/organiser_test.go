package organiser

import (
	"testing"

	"github.com/daftar-bot/daftar/bot/callback"
	"github.com/daftar-bot/daftar/bot/locale"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that a press on a batch reaches its handler only when the batch
// is one of the organiser's courses': another course's batch, a batch no
// course has and an empty Arg are stale, and the handler is not run.
func TestBatchPress(t *testing.T) {
	sew := store.Course{ID: "jahit", Admins: []int64{2}, Batches: []store.Batch{{ID: "jahit-1"}}}
	weld := store.Course{ID: "las", Admins: []int64{3}, Batches: []store.Batch{{ID: "las-1"}}}
	cat := store.Catalog{Courses: []store.Course{sew, weld}}
	m := locale.For("id")
	r := &Request{UserID: 2, Cat: cat, Courses: cat.Managed(2), M: m.Organiser, PM: m.Messages}
	var ran []string
	press := BatchPress(func(_ struct{}, _ *Request, _ *store.Tx, bt store.Batch, _ callback.Data) (Result, error) {
		ran = append(ran, bt.ID)
		return Result{Toast: "ran"}, nil
	})
	for _, tc := range []struct {
		arg  string
		want string
	}{
		{"jahit-1", "ran"},
		{"las-1", m.Messages.Stale},
		{"rias-1", m.Messages.Stale},
		{"", m.Messages.Stale},
	} {
		res, err := press(struct{}{}, r, nil, callback.Data{Action: "xx", Arg: tc.arg})
		if err != nil || res.Toast != tc.want {
			t.Errorf("press on %q: %+v, %v; want toast %q", tc.arg, res, err, tc.want)
		}
	}
	if len(ran) != 1 || ran[0] != "jahit-1" {
		t.Errorf("the handler ran for %q, want only jahit-1", ran)
	}
}

// Ensure that pages cut n items into pages of size, a page out of range
// brought back into it, with ◀ ▶ only where there is a page to go to.
func TestPaging(t *testing.T) {
	for _, tc := range []struct{ n, size, page, from, to, at, pages int }{
		{0, 10, 0, 0, 0, 0, 1},
		{25, 10, 1, 10, 20, 1, 3},
		{25, 10, 7, 20, 25, 2, 3},
		{25, 10, -1, 0, 10, 0, 3},
	} {
		from, to, at, pages := Paging(tc.n, tc.size, tc.page)
		if from != tc.from || to != tc.to || at != tc.at || pages != tc.pages {
			t.Errorf("Paging(%d, %d, %d) = %d, %d, %d, %d; want %d, %d, %d, %d",
				tc.n, tc.size, tc.page, from, to, at, pages, tc.from, tc.to, tc.at, tc.pages)
		}
	}
	m := locale.For("id")
	r := &Request{M: m.Organiser}
	if nav := r.PageNav(0, 1, "ap", "b"); nav != nil {
		t.Errorf("one page has a nav row: %+v", nav)
	}
	if nav := r.PageNav(1, 3, "ap", "b"); len(nav) != 1 || len(nav[0]) != 2 {
		t.Errorf("a middle page's nav: %+v", nav)
	}
	if nav := r.PageNav(2, 3, "ap", "b"); len(nav) != 1 || len(nav[0]) != 1 || nav[0][0].Text != m.Organiser.BtnPrev {
		t.Errorf("the last page's nav: %+v", nav)
	}
}
