package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// endedBatch ended the day before fixedNow: its survey (two hours after
// the last session) is open.
var endedBatch = store.Batch{
	ID: "angkatan-s", Name: "Angkatan S", Start: time.Date(2026, 11, 23, 0, 0, 0, 0, jakarta),
	Days: 5, Capacity: 30, DailyStart: "08:00", DailyEnd: "15:00",
}

var testSurvey = store.Survey{Hours: 2, Fields: []store.SurveyField{
	{Key: "overall", Kind: store.SurveyRating, Label: "Nilai pelatihan", Labels: map[string]string{"en": "Rate the course"}},
	{Key: "best", Kind: store.SurveyChoice, Label: "Paling berguna", Options: []string{"Materi", "Praktik"},
		OptionLabels: map[string][]string{"en": {"Lessons", "Practice"}}, Optional: true},
	{Key: "comment", Kind: store.SurveyText, Label: "Saran Anda"},
}}

// surveyEnv has Siti (Indonesian) and Budi (English) present on a day of
// the ended batch, Dewi in the long-closed Angkatan 1, each sent the
// survey of their batch, and Agus who was never asked.
func surveyEnv(t *testing.T) (*env, map[string]telegramtest.User) {
	t.Helper()
	e := newEnv(t)
	e.opt = func(o *bot.Options) { o.SendRate = 30; o.RetentionDays = 3650 }
	// The survey is the second course's: a conversation about the first
	// (the default) answers it all the same.
	second := testCourse()
	second.ID, second.Title, second.Batches, second.Survey = "kelas-s", "Pelatihan Bordir", []store.Batch{endedBatch}, testSurvey
	e.more = []store.Course{second}
	us := map[string]telegramtest.User{
		"siti": user(1001, "Siti"), "budi": {ID: 1002, FirstName: "Budi", LanguageCode: "en"},
		"dewi": user(1003, "Dewi"), "agus": user(1004, "Agus"),
	}
	err := e.db.Update(func(tx *store.Tx) error {
		for name, u := range us {
			if name == "agus" {
				continue
			}
			b, lang := endedBatch, "id"
			if name == "dewi" {
				b = e.course.Batches[0]
			}
			if name == "budi" {
				lang = "en"
			}
			if err := tx.PutConversation(store.Conversation{UserID: u.ID, ChatID: u.ID, Lang: lang, State: "done"}); err != nil {
				return err
			}
			p := store.Participant{UserID: u.ID, ChatID: u.ID, Batch: b.ID, Lang: lang, RegisteredAt: fixedNow, Answers: map[string]string{"name": u.FirstName}}
			if _, err := tx.ConfirmSeat(p, 100); err != nil {
				return err
			}
			if err := tx.SetAttendance(b.ID, u.ID, 2, true, rina.ID, fixedNow); err != nil {
				return err
			}
			if _, err := tx.InviteSurvey(b, u.ID, fixedNow); err != nil {
				return err
			}
			if name != "dewi" {
				if _, err := tx.Enqueue(store.SurveyEntry(b.ID, p, false, fixedNow)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.start()
	e.bot.Notify()
	return e, us
}

// waitText waits for a message to chat containing part.
func (e *env) waitText(chat int64, part string) telegramtest.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	m, err := e.srv.WaitSent(ctx, 0, func(m telegramtest.Message) bool {
		return m.ChatID == chat && m.Method == "sendMessage" && strings.Contains(m.Text, part)
	})
	if err != nil {
		e.t.Fatalf("chat %d: no message with %q: %v", chat, part, err)
	}
	return m
}

func (e *env) surveyProgress(batch string, user int64) (store.SurveyProgress, bool) {
	e.t.Helper()
	var (
		p  store.SurveyProgress
		ok bool
	)
	if err := e.db.View(func(tx *store.Tx) error {
		var err error
		p, ok, err = tx.SurveyProgress(batch, user)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return p, ok
}

// Ensure that the survey comes through the outbox in each person's
// language, takes ratings and choices by button and texts typed, one
// question at a time; that a bad answer gets a kind explanation and the
// same question, and an old, forged, closed or repeated press changes
// nothing; and that the finished set is stored without the person.
func TestSurvey_Conversation(t *testing.T) {
	e, us := surveyEnv(t)
	siti, budi, dewi, agus := us["siti"], us["budi"], us["dewi"], us["agus"]

	first := e.waitText(siti.ID, "Survei Pelatihan Bordir")
	for _, part := range []string{"Angkatan S", "3 pertanyaan", "anonim", "1/3. Nilai pelatihan", "1 = buruk"} {
		if !strings.Contains(first.Text, part) {
			t.Errorf("survey message lacks %q:\n%s", part, first.Text)
		}
	}
	if got := strings.Join(labels(first), " "); got != "1 2 3 4 5" {
		t.Errorf("rating buttons %q", got)
	}
	en := e.waitText(budi.ID, "Survey: Pelatihan Bordir")
	if !strings.Contains(en.Text, "1/3. Rate the course") {
		t.Errorf("English survey:\n%s", en.Text)
	}

	got := last(t, e.press(siti, "4"))
	if !strings.Contains(got.Text, "2/3. Paling berguna") || strings.Join(labels(got), " ") != "Materi Praktik Lewati" {
		t.Fatalf("second question %q with %q", got.Text, labels(got))
	}
	// The first message's buttons are old now.
	five, three := buttonData(t, first, "5"), buttonData(t, first, "3")
	ms := e.step(siti.ID, func() int64 { return e.srv.Callback(siti, first.MessageID, five) })
	if tt, _ := toast(ms); tt == "" || len(sends(ms)) != 0 {
		t.Errorf("old button: toast %q, sent %q", tt, texts(sends(ms)))
	}
	if p, _ := e.surveyProgress(endedBatch.ID, siti.ID); p.Step != 1 || p.Answers["overall"] != "4" {
		t.Fatalf("progress after an old press %+v", p)
	}
	got = last(t, e.press(siti, "Lewati"))
	if !strings.Contains(got.Text, "3/3. Saran Anda") || !strings.Contains(got.Text, "Ketik jawaban") {
		t.Fatalf("third question %q", got.Text)
	}
	long := strings.Repeat("a", store.MaxSurveyText+1)
	ms = e.text(siti, long)
	if m, ok := find(ms, "paling banyak 1000 karakter"); len(sends(ms)) != 1 || !ok || !strings.Contains(m.Text, "3/3. Saran Anda") {
		t.Fatalf("too long a text: %q", texts(sends(ms)))
	}
	if !said(e.text(siti, "Waktunya lebih lama"), "Terima kasih! Jawaban survei") {
		t.Fatal("no thanks")
	}
	// Answered: an old button says so and changes nothing; a typed
	// message is the conversation's again.
	ms = e.step(siti.ID, func() int64 { return e.srv.Callback(siti, first.MessageID, three) })
	if tt, _ := toast(ms); !strings.Contains(tt, "sudah mengisi") {
		t.Errorf("press after answering: toast %q", tt)
	}
	if said(e.text(siti, "halo"), "Saran") {
		t.Error("a typed message after the survey went to it")
	}

	// Budi types instead of pressing: a word is no rating, a number is.
	ms = e.text(budi, "great")
	if !said(ms, "Press one of the buttons 1 to 5") || !said(ms, "1/3. Rate the course") {
		t.Fatalf("a word for a rating: %q", texts(sends(ms)))
	}
	if !said(e.text(budi, "5"), "2/3.") {
		t.Fatal("a typed rating was not taken")
	}
	if !said(e.text(budi, "practice"), "3/3.") {
		t.Fatal("a typed choice (English label) was not taken")
	}
	// Forged presses: another batch, a value out of range, a skip of a
	// required question, garbage.
	before, _ := e.surveyProgress(endedBatch.ID, budi.ID)
	for _, data := range []string{"0:sv:angkatan-2_2_1", "0:sv:angkatan-s_2_7", "0:sv:angkatan-s_2_s", "0:sv:angkatan-s_x", "0:sv:nope_2_1"} {
		ms := e.step(budi.ID, func() int64 { return e.srv.Callback(budi, en.MessageID, data) })
		if _, ok := toast(ms); !ok {
			t.Errorf("%s: no answer to the press", data)
		}
	}
	if after, ok := e.surveyProgress(endedBatch.ID, budi.ID); !ok || after.Step != before.Step || len(after.Answers) != len(before.Answers) {
		t.Fatalf("forged presses changed the progress: %+v -> %+v", before, after)
	}
	// /dataku shows what the survey keeps about each.
	if ms := e.text(budi, "/dataku"); !said(ms, "Survey of Angkatan S: not finished; your answers so far:\n• Rate the course: 5\n• Paling berguna: Praktik") {
		t.Errorf("Budi's /dataku: %q", texts(sends(ms)))
	}
	if ms := e.text(siti, "/dataku"); !said(ms, "Survei Angkatan S: sudah diisi (jawaban disimpan tanpa nama)") || said(ms, "Waktunya") {
		t.Errorf("Siti's /dataku: %q", texts(sends(ms)))
	}
	// A closed survey (Angkatan 1 ended a year ago) takes nothing.
	ms = e.step(dewi.ID, func() int64 { return e.srv.Callback(dewi, 1, "0:sv:angkatan-1_0_5") })
	if tt, _ := toast(ms); !strings.Contains(tt, "ditutup") {
		t.Errorf("closed survey: toast %q", tt)
	}
	// Someone never asked leaves no record.
	e.step(agus.ID, func() int64 { return e.srv.Callback(agus, 1, "0:sv:angkatan-s_0_5") })
	if _, ok := e.conversation(agus.ID); ok {
		t.Error("a stranger's forged survey press stored a conversation")
	}

	err := e.db.View(func(tx *store.Tx) error {
		rs, err := tx.SurveyResponses(endedBatch.ID)
		if err != nil {
			return err
		}
		if len(rs) != 1 || rs[0].UserID != 0 || rs[0].Answers["overall"] != "4" || rs[0].Answers["comment"] != "Waktunya lebih lama" {
			t.Errorf("responses %+v", rs)
		}
		if !tx.SurveyAnswered(endedBatch.ID, siti.ID) || tx.SurveyAnswered(endedBatch.ID, budi.ID) {
			t.Error("answered marks")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.assertIdle()
}
