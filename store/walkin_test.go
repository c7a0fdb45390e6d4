package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// enrolWalkIn registers a walk-in in seats' batch at now, filled in by
// organiser 99.
func enrolWalkIn(t *testing.T, db *store.DB, seats store.Seats, now time.Time) (store.Participant, store.WalkIn) {
	t.Helper()
	var p store.Participant
	var w store.WalkIn
	err := db.Update(func(tx *store.Tx) error {
		in := wlPerson(seats.Batch.ID, 0)
		in.ConsentAt = now
		var err error
		p, w, err = tx.EnrolWalkIn(seats, in, 99, now)
		return err
	})
	if err != nil {
		t.Fatalf("EnrolWalkIn: %v", err)
	}
	return p, w
}

// Ensure that a walk-in holds a seat under a synthetic id nobody is sent
// anything at: their entries are stored as skipped and announcements
// leave them out.
func TestTx_EnrolWalkIn(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 2, wlStartIn(10))
	wlFill(t, db, seats, []int64{1}, nil)
	p, w := enrolWalkIn(t, db, seats, wlNow)
	if !store.IsWalkIn(p.UserID) || p.ChatID != 0 || p.Seat != 2 || p.Status != store.StatusRegistered || p.ConsentBy != 99 || !p.ConsentAt.Equal(wlNow) || p.Lang != "" {
		t.Errorf("walk-in %+v", p)
	}
	if w.UserID != p.UserID || len(w.Code) != store.ClaimCodeLen || w.By != 99 {
		t.Errorf("walk-in record %+v", w)
	}
	err := db.Update(func(tx *store.Tx) error {
		in := wlPerson("b", 0)
		_, _, err := tx.EnrolWalkIn(seats, in, 99, wlNow)
		if !errors.Is(err, store.ErrBatchFull) || !errors.Is(err, store.ErrSeatRefused) {
			t.Errorf("EnrolWalkIn in a full batch = %v, want ErrSeatRefused, ErrBatchFull", err)
		}
		started := wlSeats("s", 5, wlStartIn(-1))
		if _, _, err := tx.EnrolWalkIn(started, in, 99, wlNow); !errors.Is(err, store.ErrBatchStarted) {
			t.Errorf("EnrolWalkIn in a started batch = %v, want ErrBatchStarted", err)
		}
		stored, err := tx.Enqueue(store.OutboxEntry{Key: "reminder/walkin", Kind: store.KindReminder, UserID: p.UserID, ChatID: 0, CreatedAt: wlNow})
		if err != nil || !stored {
			t.Fatalf("Enqueue for a walk-in = %v, %v", stored, err)
		}
		e, err := tx.OutboxByKey("reminder/walkin")
		if err != nil || e.Status != store.OutboxSkipped {
			t.Errorf("walk-in's entry %+v, %v; want skipped", e, err)
		}
		rs, err := tx.Recipients(store.AudienceBatch("b"))
		if err != nil {
			return err
		}
		if len(rs) != 1 || rs[0].UserID != 1 {
			t.Errorf("recipients %+v, want user 1 only", rs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queued, err := db.Queued(wlNow.AddDate(1, 0, 0), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range queued {
		if store.IsWalkIn(e.UserID) {
			t.Errorf("queued for the walk-in: %+v", e)
		}
	}
}

// Ensure that a claim link attaches the walk-in's registration, with its
// attendance and certificate, to the account that opens it, once; that
// a forged code, a used one, and an account already in the batch are
// refused without a change.
func TestTx_ClaimWalkIn(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 5, wlStartIn(10))
	wlFill(t, db, seats, []int64{1}, nil)
	p, w := enrolWalkIn(t, db, seats, wlNow)
	after := seats.Batch.End().Add(24 * time.Hour)
	course := store.Course{CertificateMinDays: 1, Batches: []store.Batch{seats.Batch}, Fields: []store.Field{{Key: "name", Kind: store.KindText}}}
	var cert store.Certificate
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.SetAttendance("b", p.UserID, 1, true, 99, seats.Batch.Start); err != nil {
			return err
		}
		var err error
		cert, err = tx.IssueCertificate(course, seats.Batch, p.UserID, "", after)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	claim := func(code string, user int64) ([]store.Participant, error) {
		var got []store.Participant
		err := db.Update(func(tx *store.Tx) error {
			var err error
			got, err = tx.ClaimWalkIn([]store.Seats{seats}, code, user, 1000+user, "en", after)
			return err
		})
		return got, err
	}
	for _, code := range []string{"", "klaim", strings.Repeat("0", store.ClaimCodeLen), w.Code + "0", "ü" + w.Code[2:]} {
		if _, err := claim(code, 7); !errors.Is(err, store.ErrNoClaim) {
			t.Errorf("claim(%q) = %v, want ErrNoClaim", code, err)
		}
	}
	if _, err := claim(w.Code, 1); !errors.Is(err, store.ErrClaimHeld) {
		t.Errorf("claim by someone seated there = %v, want ErrClaimHeld", err)
	}
	got, err := claim(strings.ToUpper(w.Code), 7)
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	if len(got) != 1 || got[0].UserID != 7 || got[0].ChatID != 1007 || got[0].Seat != p.Seat || got[0].Lang != "en" || got[0].ConsentBy != 99 {
		t.Errorf("claimed %+v", got)
	}
	if _, err := claim(w.Code, 8); !errors.Is(err, store.ErrNoClaim) {
		t.Errorf("second claim = %v, want ErrNoClaim", err)
	}
	err = db.View(func(tx *store.Tx) error {
		if _, err := tx.Participant("b", p.UserID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the walk-in's registration is still there: %v", err)
		}
		if n, err := tx.DaysPresent("b", 7); err != nil || n != 1 {
			t.Errorf("days present after the claim = %d, %v; want 1", n, err)
		}
		c, err := tx.VerifyCertificate(cert.Code)
		if err != nil || c.UserID != 7 {
			t.Errorf("certificate after the claim %+v, %v", c, err)
		}
		if ws, err := tx.WalkIns(); err != nil || len(ws) != 0 {
			t.Errorf("walk-ins left %+v, %v", ws, err)
		}
		if n := wlMust(tx.SeatsTaken("b")); n != 2 {
			t.Errorf("%d seats taken, want 2", n)
		}
		es, err := tx.AuditLog(10)
		if err != nil || len(es) == 0 || es[0].Action != store.AuditWalkInClaimed || es[0].Subject != 7 {
			t.Errorf("audit log %+v, %v", es, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that erasing a walk-in and retiring their batch delete the
// claim code with the registration.
func TestTx_WalkInErased(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 5, wlStartIn(10))
	p, w := enrolWalkIn(t, db, seats, wlNow)
	_, w2 := enrolWalkIn(t, db, seats, wlNow)
	err := db.Update(func(tx *store.Tx) error {
		if _, err := tx.Erase([]store.Seats{seats}, p.UserID, wlNow); err != nil {
			return err
		}
		if _, err := tx.WalkInByCode(w.Code); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("erased walk-in's code: %v", err)
		}
		if _, err := tx.RetireBatch("b"); err != nil {
			return err
		}
		if _, err := tx.WalkInByCode(w2.Code); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("retired walk-in's code: %v", err)
		}
		if ps := wlMust(tx.ParticipantsIn("b")); len(ps) != 0 {
			t.Errorf("registrations left %+v", ps)
		}
		_, err := tx.ClaimWalkIn([]store.Seats{seats}, w2.Code, 7, 7, "id", wlNow)
		if !errors.Is(err, store.ErrNoClaim) {
			t.Errorf("claim of a retired walk-in = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that a claim code is read case-blind with o, i and l for 0, 1
// and 1, and that nothing else of the wrong form passes.
func TestParseClaimCode(t *testing.T) {
	for in, want := range map[string]string{
		"abcdefghjkmnpqrs": "abcdefghjkmnpqrs",
		"ABCDEFGHJKMNPQRS": "abcdefghjkmnpqrs",
		"oOiIlL0123456789": "0011110123456789",
	} {
		if got, ok := store.ParseClaimCode(in); !ok || got != want {
			t.Errorf("ParseClaimCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "abcdefghjkmnpqrsu", "abcdefghjkmnpqru", "abcdefghjkmnpq s", "abcdefghjkmnpq-s", "ǅbcdefghjkmnpqrs"} {
		if got, ok := store.ParseClaimCode(in); ok {
			t.Errorf("ParseClaimCode(%q) = %q, accepted", in, got)
		}
	}
}

// FuzzParseClaimCode checks that any input is either refused or read as
// a code of the stored form, which reads as itself.
func FuzzParseClaimCode(f *testing.F) {
	for _, s := range []string{"abcdefghjkmnpqrs", "OIL0123456789abc", "", "klaim-abcdefghjkmnpqrs", "ǅbcdefghjkmnpqrs", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := store.ParseClaimCode(s)
		if !ok {
			return
		}
		if len(code) != store.ClaimCodeLen {
			t.Fatalf("ParseClaimCode(%q) = %q: length %d", s, code, len(code))
		}
		for _, c := range code {
			if !strings.ContainsRune("0123456789abcdefghjkmnpqrstvwxyz", c) {
				t.Fatalf("ParseClaimCode(%q) = %q: %q is no Crockford digit", s, code, c)
			}
		}
		if again, ok := store.ParseClaimCode(code); !ok || again != code {
			t.Fatalf("ParseClaimCode(%q) = %q, which reads as %q, %v", s, code, again, ok)
		}
	})
}

// Ensure that a walk-in's form an organiser left unfinished loses its
// answers with the retention of unfinished forms, and a recent one stays.
func TestTx_ForgetAbandonedDesks(t *testing.T) {
	db := mustOpen(t)
	err := db.Update(func(tx *store.Tx) error {
		for i, at := range []time.Time{wlNow.AddDate(0, 0, -40), wlNow} {
			err := tx.PutDeskState(store.DeskState{UserID: int64(900 + i), Kind: store.DeskEnrol, Batch: "b",
				Answers: map[string]string{"name": "Sri"}, UpdatedAt: at})
			if err != nil {
				return err
			}
		}
		if n, err := tx.AbandonedForms(wlNow.AddDate(0, 0, -30)); err != nil || n != 1 {
			t.Errorf("AbandonedForms = %d, %v; want 1", n, err)
		}
		n, err := tx.ForgetAbandonedForms(wlNow.AddDate(0, 0, -30), func(c store.Conversation, _ bool) store.Conversation { return c })
		if err != nil || n != 1 {
			t.Errorf("ForgetAbandonedForms = %d, %v; want 1", n, err)
		}
		if _, ok, _ := tx.DeskState(900); ok {
			t.Error("the old form is still there")
		}
		if _, ok, _ := tx.DeskState(901); !ok {
			t.Error("the recent form is gone")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that the end-of-course survey is not for a walk-in without
// Telegram, present or not.
func TestTx_SurveyRecipients_WalkIn(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("b", 5, wlStartIn(10))
	wlFill(t, db, seats, []int64{1}, nil)
	p, _ := enrolWalkIn(t, db, seats, wlNow)
	err := db.Update(func(tx *store.Tx) error {
		for _, u := range []int64{1, p.UserID} {
			if err := tx.SetAttendance("b", u, 1, true, 99, seats.Batch.Start); err != nil {
				return err
			}
		}
		ps, err := tx.SurveyRecipients(seats.Batch)
		if err != nil {
			return err
		}
		if len(ps) != 1 || ps[0].UserID != 1 {
			t.Errorf("survey recipients %+v, want user 1 only", ps)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that the intake rules apply to the staff's seats: a move and a
// walk-in taking a place their NIK holds already are refused, and so is a
// claim by an account holding as many places in the course as it allows.
func TestDesk_Intake(t *testing.T) {
	db := mustOpen(t)
	b := wlSeats("b", 5, wlStartIn(10))
	c := wlSeats("c", 5, wlStartIn(40))
	in := store.Intake{NIKField: "nik", MaxPlaces: 1, Batches: []string{"b", "c"}}
	b.Intake, c.Intake = in, in
	b.Batches = []store.Batch{b.Batch, c.Batch}
	c.Batches = b.Batches
	nik := "3509015708900001"
	err := db.Update(func(tx *store.Tx) error {
		p := wlPerson("b", 1)
		p.Answers["nik"] = nik
		if _, err := tx.TakeSeat(b, p, wlNow); err != nil {
			return err
		}
		q := wlPerson("c", 2)
		q.Answers["nik"] = "3509121208850002"
		if _, err := tx.TakeSeat(c, q, wlNow); err != nil {
			return err
		}
		w := wlPerson("c", 0)
		w.Answers["nik"] = nik
		if _, _, err := tx.EnrolWalkIn(c, w, 99, wlNow); !errors.Is(err, store.ErrSeatRefused) || !errors.Is(err, store.ErrTooManyPlaces) {
			t.Errorf("walk-in with a NIK holding a place = %v, want ErrSeatRefused, ErrTooManyPlaces", err)
		}
		w.Answers["nik"] = "3509124507920003"
		_, walk, err := tx.EnrolWalkIn(b, w, 99, wlNow)
		if err != nil {
			return err
		}
		// Account 2 holds its course's one place in c: the claim is refused.
		if _, err := tx.ClaimWalkIn([]store.Seats{b, c}, walk.Code, 2, 2, "id", wlNow); !errors.Is(err, store.ErrClaimHeld) || !errors.Is(err, store.ErrTooManyPlaces) {
			t.Errorf("claim by an account with a place in c = %v, want ErrClaimHeld, ErrTooManyPlaces", err)
		}
		if got, err := tx.WalkInByCode(walk.Code); err != nil || got.UserID != walk.UserID {
			t.Errorf("the refused claim changed the walk-in: %+v, %v", got, err)
		}
		if _, err := tx.ClaimWalkIn([]store.Seats{b, c}, walk.Code, 3, 3, "id", wlNow); err != nil {
			t.Errorf("claim by a new account: %v", err)
		}
		// A move leaves the old seat first: user 1's one place in the
		// course is checked as if it were their only one, and may move.
		if _, _, err := tx.MoveParticipant(b, c, 1, "", wlNow); err != nil {
			t.Errorf("move of user 1 to c: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure that a claim link is refused to an account holding a place in
// the walk-in's selection batch that is not a seat: an application, the
// seat held for a selected person, a reserve's place. Taking the
// walk-in's seat would drop the application behind the organisers' back,
// or leave the person seated and still on the waiting list with a seat
// held for them: two seats for one person.
func TestTx_ClaimWalkIn_Selection(t *testing.T) {
	db := mustOpen(t)
	seats := selSeats(3)
	_, w := enrolWalkIn(t, db, seats, wlNow)
	_, w2 := enrolWalkIn(t, db, seats, wlNow) // for the claims after the results
	mustUpdate(t, db, func(tx *store.Tx) error {
		for u := int64(1); u <= 3; u++ {
			if _, err := tx.TakeSeat(seats, wlPerson("s", u), wlNow); err != nil {
				return err
			}
		}
		if err := tx.Decide(seats, 1, store.StatusSelected, wlNow); err != nil {
			return err
		}
		return tx.Decide(seats, 2, store.StatusReserve, wlNow)
	})
	claim := func(w store.WalkIn, u int64, at time.Time) error {
		return db.Update(func(tx *store.Tx) error {
			_, err := tx.ClaimWalkIn([]store.Seats{seats}, w.Code, u, 1000+u, "en", at)
			return err
		})
	}
	if err := claim(w, 3, wlNow.Add(time.Hour)); !errors.Is(err, store.ErrClaimHeld) {
		t.Errorf("claim by an applicant = %v, want ErrClaimHeld", err)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		_, _, err := tx.SendResults(seats, wlNow.Add(2*time.Hour))
		return err
	})
	for _, u := range []int64{1, 2} {
		if err := claim(w2, u, wlNow.Add(3*time.Hour)); !errors.Is(err, store.ErrClaimHeld) {
			t.Errorf("claim by user %d (%s) = %v, want ErrClaimHeld", u, wlMust(wlParticipant(t, db, "s", u)).Status, err)
		}
	}
	err := db.View(func(tx *store.Tx) error {
		for u, want := range map[int64]store.Status{1: store.StatusSelected, 2: store.StatusReserve, 3: store.StatusNotSelected} {
			if p, err := tx.Participant("s", u); err != nil || p.Status != want {
				t.Errorf("user %d after the refused claims: %+v, %v; want %s", u, p, err, want)
			}
		}
		if n := wlMust(tx.SeatsTaken("s")); n != 2 {
			t.Errorf("%d seats taken, want the walk-ins' alone", n)
		}
		for _, w := range []store.WalkIn{w, w2} {
			if _, err := tx.WalkInByCode(w.Code); err != nil {
				t.Errorf("the link of walk-in %d is no longer usable: %v", w.UserID, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Not selected holds no place: that account may claim the seat.
	if err := claim(w, 3, wlNow.Add(4*time.Hour)); err != nil {
		t.Errorf("claim by a person not selected = %v", err)
	}
}

// Ensure that "still coming?" does not ask a walk-in, who has no chat to
// be asked in: with unconfirmed = "release" their seat would go for a
// question nobody could see. Once the link is claimed, the person is
// asked like anyone registered before the question.
func TestTx_AskStillComing_WalkIn(t *testing.T) {
	db := mustOpen(t)
	seats := wlSeats("f", 3, wlStartIn(30))
	seats.Batch.Admission = store.Admission{AskDaysBefore: 7, ConfirmWindow: 24 * time.Hour, Release: true}
	wlFill(t, db, seats, []int64{1}, nil)
	p, w := enrolWalkIn(t, db, seats, wlNow)
	ask, _ := seats.Batch.AskAt()
	mustUpdate(t, db, func(tx *store.Tx) error {
		if n, err := tx.AskStillComing(seats.Batch, ask); err != nil || n != 1 {
			t.Errorf("asked %d, %v; want the one with Telegram", n, err)
		}
		if _, ok, _ := tx.StillComingOf("f", p.UserID); ok {
			t.Error("the walk-in was asked")
		}
		n, _, err := tx.ExpireStillComing(seats, ask.Add(25*time.Hour))
		if err != nil || n != 1 {
			t.Errorf("expired %d, %v; want 1", n, err)
		}
		return nil
	})
	if got, err := wlParticipant(t, db, "f", p.UserID); err != nil || got.Status != store.StatusRegistered {
		t.Fatalf("the walk-in after the questions expired: %+v, %v; want still seated", got, err)
	}
	mustUpdate(t, db, func(tx *store.Tx) error {
		if _, err := tx.ClaimWalkIn([]store.Seats{seats}, w.Code, 7, 1007, "id", ask.Add(26*time.Hour)); err != nil {
			return err
		}
		if n, err := tx.AskStillComing(seats.Batch, ask.Add(27*time.Hour)); err != nil || n != 1 {
			t.Errorf("asked %d after the claim, %v; want the claimant", n, err)
		}
		return nil
	})
}
