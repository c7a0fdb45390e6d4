package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// surveyCourse is certCourse with a survey of a rating, an optional
// choice and a text, sent two hours after the last session.
func surveyCourse(linked bool) (store.Course, store.Batch) {
	c, b := certCourse()
	c.Survey = store.Survey{Hours: 2, Linked: linked, Fields: []store.SurveyField{
		{Key: "overall", Kind: store.SurveyRating, Label: "Nilai"},
		{Key: "best", Kind: store.SurveyChoice, Label: "Terbaik", Options: []string{"Materi", "Instruktur"},
			OptionLabels: map[string][]string{"en": {"Material", "Instructor"}}, Optional: true},
		{Key: "comment", Kind: store.SurveyText, Label: "Saran"},
	}}
	return c, b
}

func answer(db *store.DB, c store.Course, b store.Batch, user int64, a store.SurveyAnswer, now time.Time) (store.SurveyProgress, bool, error) {
	var (
		p    store.SurveyProgress
		done bool
	)
	err := db.Update(func(tx *store.Tx) error {
		var err error
		p, done, err = tx.AnswerSurvey(c, b, user, a, now)
		return err
	})
	return p, done, err
}

// Ensure that the survey takes answers one question at a time from the
// people invited while it is open, refuses stale, bad, repeated and
// late answers without a change, stores the finished set without the
// person's id (or with it when linked), and that erasure removes the
// person's mark and linked answers but not anonymous ones.
func TestTx_AnswerSurvey(t *testing.T) {
	for _, linked := range []bool{false, true} {
		c, b := surveyCourse(linked)
		db := mustOpen(t)
		seatNamed(t, db, b, 1, "Siti", 1)
		seatNamed(t, db, b, 2, "Budi")
		due := c.Survey.Due(b)
		if want := time.Date(2025, 10, 22, 17, 0, 0, 0, certLoc); !due.Equal(want) {
			t.Fatalf("due %v, want %v", due, want)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			ps, err := tx.SurveyRecipients(b)
			if err != nil {
				return err
			}
			if len(ps) != 1 || ps[0].UserID != 1 {
				t.Fatalf("recipients %+v, want only user 1 (present on a day)", ps)
			}
			_, err = tx.InviteSurvey(b, 1, due)
			return err
		})
		now := due.Add(time.Hour)
		if _, _, err := answer(db, c, b, 2, store.SurveyAnswer{Button: true, Value: "5"}, now); !errors.Is(err, store.ErrSurveyNotInvited) {
			t.Fatalf("not invited: %v", err)
		}
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Button: true, Value: "5"}, due.Add(-time.Minute)); !errors.Is(err, store.ErrSurveyClosed) {
			t.Fatalf("before due: %v", err)
		}
		for _, bad := range []store.SurveyAnswer{{Button: true, Value: "6"}, {Value: "0"}, {Skip: true}, {Step: 1, Button: true, Value: "0"}} {
			if _, _, err := answer(db, c, b, 1, bad, now); !errors.Is(err, store.ErrSurveyAnswer) && !errors.Is(err, store.ErrSurveyStale) {
				t.Fatalf("%+v: %v", bad, err)
			}
		}
		if p, done, err := answer(db, c, b, 1, store.SurveyAnswer{Value: "4"}, now); err != nil || done || p.Step != 1 {
			t.Fatalf("rating: %+v %v %v", p, done, err)
		}
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Button: true, Value: "5"}, now); !errors.Is(err, store.ErrSurveyStale) {
			t.Fatalf("old button: %v", err)
		}
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Step: 1, Value: "instructor"}, now); err != nil {
			t.Fatalf("choice typed in English: %v", err)
		}
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Step: 2, Button: true, Value: "1"}, now); !errors.Is(err, store.ErrSurveyAnswer) {
			t.Fatalf("button on a text: %v", err)
		}
		if _, done, err := answer(db, c, b, 1, store.SurveyAnswer{Step: 2, Value: "  Lebih lama  "}, now); err != nil || !done {
			t.Fatalf("text: %v %v", done, err)
		}
		if pending, err := db.ScrubPending(); err != nil || pending == linked {
			t.Fatalf("linked %v: scrub pending %v (%v): the deleted progress named the person", linked, pending, err)
		}
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Step: 2, Value: "again"}, now); !errors.Is(err, store.ErrSurveyAnswered) {
			t.Fatalf("twice: %v", err)
		}
		mustUpdate(t, db, func(tx *store.Tx) error {
			rs, err := tx.SurveyResponses(b.ID)
			if err != nil {
				return err
			}
			want := map[string]string{"overall": "4", "best": "Instruktur", "comment": "Lebih lama"}
			if len(rs) != 1 || len(rs[0].Answers) != 3 || rs[0].Answers["best"] != want["best"] || rs[0].Answers["comment"] != want["comment"] {
				t.Fatalf("responses %+v, want %v", rs, want)
			}
			if linked != (rs[0].UserID == 1) {
				t.Fatalf("linked %v: user id %d", linked, rs[0].UserID)
			}
			if pending, answered := tx.SurveyInvited(b.ID); pending != 0 || answered != 1 {
				t.Fatalf("invited %d/%d", pending, answered)
			}
			_, err = tx.Erase([]store.Seats{{Batch: b}}, 1, now)
			return err
		})
		mustUpdate(t, db, func(tx *store.Tx) error {
			rs, _ := tx.SurveyResponses(b.ID)
			if linked && len(rs) != 0 || !linked && len(rs) != 1 {
				t.Fatalf("after erasure, linked %v: %d responses", linked, len(rs))
			}
			if tx.SurveyAnswered(b.ID, 1) {
				t.Fatal("the answered mark outlived the erasure")
			}
			return nil
		})
		if _, _, err := answer(db, c, b, 1, store.SurveyAnswer{Button: true, Value: "5"}, now); !errors.Is(err, store.ErrSurveyNotInvited) {
			t.Fatalf("erased person answers: %v", err)
		}
		after := due.AddDate(0, 0, store.SurveyOpenDays)
		if c.Survey.Open(b, after) || !c.Survey.Open(b, after.Add(-time.Second)) {
			t.Fatal("the survey closes SurveyOpenDays after it is due")
		}
	}
}

// Ensure that retiring a batch removes the survey's progress and marks.
func TestTx_RetireBatch_Survey(t *testing.T) {
	c, b := surveyCourse(false)
	db := mustOpen(t)
	seatNamed(t, db, b, 1, "Siti", 1)
	seatNamed(t, db, b, 2, "Budi", 2)
	now := c.Survey.Due(b)
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, err := tx.InviteSurvey(b, 1, now)
		_, err2 := tx.InviteSurvey(b, 2, now)
		return errors.Join(err, err2)
	})
	for step, v := range []string{"3", "s", "ok"} {
		a := store.SurveyAnswer{Step: step, Value: v, Skip: v == "s"}
		if _, _, err := answer(db, c, b, 1, a, now); err != nil {
			t.Fatal(err)
		}
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.RetireBatch(b.ID); err != nil {
			return err
		}
		if p, a := tx.SurveyInvited(b.ID); p+a != 0 {
			t.Fatalf("after retention: %d pending, %d answered", p, a)
		}
		rs, err := tx.SurveyResponses(b.ID)
		if len(rs) != 1 || rs[0].Answers["best"] != "" {
			t.Fatalf("anonymous answers %+v, want the one set kept, its skip unanswered", rs)
		}
		return err
	})
}

// Ensure that no answer makes Parse panic, and that what it takes is
// what the question allows: a rating 1 to 5, one of the options, a
// non-empty text of at most MaxSurveyText characters, "" only for a skip.
func FuzzSurveyField_Parse(f *testing.F) {
	for _, s := range []string{"5", "0", "05", " 3 ", "Materi", "instructor", "2", "", "\u202e", "99999999999999999999"} {
		f.Add(uint8(0), s, false, false)
		f.Add(uint8(1), s, true, false)
	}
	f.Add(uint8(2), "x", false, true)
	c, _ := surveyCourse(false)
	f.Fuzz(func(t *testing.T, which uint8, value string, button, skip bool) {
		fd := c.Survey.Fields[int(which)%len(c.Survey.Fields)]
		v, err := fd.Parse(store.SurveyAnswer{Button: button, Value: value, Skip: skip})
		if err != nil {
			if !errors.Is(err, store.ErrSurveyAnswer) {
				t.Fatalf("%q: %v is no ErrSurveyAnswer", value, err)
			}
			return
		}
		switch {
		case skip:
			if v != "" || !fd.Optional {
				t.Fatalf("skip of %s gave %q", fd.Key, v)
			}
		case fd.Kind == store.SurveyRating:
			if len(v) != 1 || v[0] < '1' || v[0] > '5' {
				t.Fatalf("rating %q from %q", v, value)
			}
		case fd.Kind == store.SurveyChoice:
			if v != "Materi" && v != "Instruktur" {
				t.Fatalf("choice %q from %q", v, value)
			}
		default:
			if n := len([]rune(v)); n == 0 || n > store.MaxSurveyText || button {
				t.Fatalf("text %q from %q", v, value)
			}
		}
	})
}
