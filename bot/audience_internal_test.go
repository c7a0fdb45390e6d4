package bot

import (
	"testing"

	"github.com/daftar-bot/daftar/bot/organiser"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that who may reach an audience is one rule, for sending and for
// seeing: telegram.admins every audience (seeing one whose batch or
// course left the config too), a course's admins their batches and
// course only; and that sending also needs the audience to exist in the
// config now.
func TestOrgReq_Reaches(t *testing.T) {
	sew := store.Course{ID: "jahit", Admins: []int64{2}, Batches: []store.Batch{{ID: "jahit-1"}}}
	weld := store.Course{ID: "las", Admins: []int64{3}, Batches: []store.Batch{{ID: "las-1"}}}
	cat := store.Catalog{Courses: []store.Course{sew, weld}, Admins: []int64{1}}
	b := &Bot{cat: cat}
	req := func(user int64) *orgReq {
		return &orgReq{Request: &organiser.Request{Cat: cat, UserID: user, Courses: cat.Managed(user), All: cat.OrganisesAll(user)}, ev: event{userID: user}}
	}
	gone := store.Course{ID: "tata-rias", Batches: []store.Batch{{ID: "rias-1"}}}
	for _, tc := range []struct {
		token     string
		aud       store.Audience
		full, own bool // reached by telegram.admin 1 / by sewing's admin 2
		exists    bool
	}{
		{audAll, store.AudienceAll, true, false, true},
		{audWaiting, store.AudienceWaiting, true, false, true},
		{audEveryone, store.AudienceEveryone, true, false, true},
		{audBatch + "jahit-1", store.AudienceBatch("jahit-1"), true, true, true},
		{audBatch + "las-1", store.AudienceBatch("las-1"), true, false, true},
		{audBatch + "rias-1", store.AudienceBatch("rias-1"), true, false, false},
		{audCourse + "jahit", store.AudienceCourse(sew), true, true, true},
		{audCourseWaiting + "jahit", store.AudienceCourseWaiting(sew), true, true, true},
		{audCourse + "las", store.AudienceCourse(weld), true, false, true},
		{audCourse + "tata-rias", store.AudienceCourse(gone), true, false, false},
	} {
		for _, who := range []struct {
			user  int64
			wants bool
		}{{1, tc.full}, {2, tc.own}} {
			r := req(who.user)
			if got := r.reaches(tc.aud); got != who.wants {
				t.Errorf("user %d reaches %q = %v, want %v", who.user, tc.aud, got, who.wants)
			}
			aud, ok := b.audienceOf(r, tc.token)
			if want := who.wants && tc.exists; ok != want || (ok && aud != tc.aud) {
				t.Errorf("user %d: audienceOf(%q) = %q, %v; want %q, %v", who.user, tc.token, aud, ok, tc.aud, want)
			}
		}
	}
}
