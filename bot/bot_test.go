package bot_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// Ensure that a person registers from /start to the confirmation through
// the real client library, and that the store then holds exactly their
// answers, their consent time and a seat, with nothing left to do.
func TestBot_Registration(t *testing.T) {
	t.Run("Full", func(t *testing.T) {
		e := startEnv(t)
		u := siti.user

		ms := e.text(u, "/start")
		welcome := last(t, ms)
		for _, want := range []string{"Pelatihan Menjahit", "Angkatan 2: 1–7 Feb 2027", "sisa 16 kursi"} {
			if !strings.Contains(welcome.Text, want) {
				t.Errorf("welcome %q does not contain %q", welcome.Text, want)
			}
		}
		if strings.Contains(welcome.Text, "Angkatan 1") {
			t.Errorf("welcome %q lists Angkatan 1, which ended in 2025", welcome.Text)
		}
		if got := labels(welcome); !reflect.DeepEqual(got, []string{"Daftar"}) {
			t.Errorf("welcome buttons %q, want [Daftar]", got)
		}

		ms = e.press(u, "Daftar")
		if got := labels(last(t, ms)); !reflect.DeepEqual(got, []string{"Setuju", "Tidak setuju"}) {
			t.Errorf("consent buttons %q", got)
		}
		if !strings.Contains(last(t, ms).Text, "365 hari") {
			t.Errorf("consent does not state the retention: %q", last(t, ms).Text)
		}
		// The pressed message loses its buttons, so it cannot be pressed twice.
		if m, _ := e.srv.Current(u.ID, welcome.MessageID); len(m.Inline) != 0 {
			t.Errorf("the welcome still has buttons %q after Daftar", labels(m))
		}

		e.act(u, presses("Setuju", "Pertanyaan 1 dari 6"))
		ms = e.act(u, says(siti.name, "Pertanyaan 2 dari 6"))
		phoneQ := last(t, ms)
		if len(phoneQ.Keyboard) == 0 || !phoneQ.Keyboard[0][0].RequestContact || phoneQ.Keyboard[0][0].Text != "Bagikan kontak" {
			t.Errorf("the phone question has no share-contact keyboard: %+v", phoneQ.Keyboard)
		}
		ms = e.act(u, sharesContact(siti.phone, "Pertanyaan 3 dari 6"))
		if m, ok := find(ms, "Nomor +6281234567890 tersimpan"); !ok || !m.RemoveKeyboard {
			t.Errorf("after the contact: %q, want the number confirmed and the keyboard removed", texts(ms))
		}
		e.act(u, says(siti.nik, "Pertanyaan 4 dari 6"))
		e.act(u, says(siti.birth, "Pertanyaan 5 dari 6"))
		e.act(u, says(siti.address, "Pertanyaan 6 dari 6"))
		ms = e.act(u, presses("Pemula", "Periksa kembali data Anda"))
		summary := last(t, ms)
		for _, want := range []string{"Angkatan 2 (1–7 Feb 2027)", "Siti Aminah", "+6281234567890", "3509015708900001", "17 Agu 1990", "Jl. Mawar No. 5, Sumbersari", "Pemula"} {
			if !strings.Contains(summary.Text, want) {
				t.Errorf("summary %q does not contain %q", summary.Text, want)
			}
		}
		ms = e.act(u, presses("Konfirmasi", "Pendaftaran berhasil"))
		if !said(ms, "kursi nomor 1") {
			t.Errorf("confirmation %q does not give seat 1", texts(ms))
		}

		ps := e.participants()
		if len(ps) != 1 {
			t.Fatalf("%d participants, want 1: %+v", len(ps), ps)
		}
		p := ps[0]
		if p.UserID != u.ID || p.ChatID != u.ID || p.Batch != "angkatan-2" || p.Status != store.StatusRegistered || p.Seat != 1 || p.Lang != "id" {
			t.Errorf("participant %+v", p)
		}
		if !reflect.DeepEqual(p.Answers, siti.stored()) {
			t.Errorf("answers\n got %q\nwant %q", p.Answers, siti.stored())
		}
		if !p.ConsentAt.Equal(fixedNow) || !p.RegisteredAt.Equal(fixedNow) {
			t.Errorf("consent at %v, registered at %v; want both %v", p.ConsentAt, p.RegisteredAt, fixedNow)
		}
		// The conversation keeps no copy of the answers once they are a
		// registration.
		if c, _ := e.conversation(u.ID); len(c.Answers) != 0 {
			t.Errorf("the conversation still holds answers %q", c.Answers)
		}
		e.assertIdle()

		ms = e.text(u, "/status")
		if !said(ms, "Angkatan 2 — kursi nomor 1") {
			t.Errorf("/status answered %q", texts(ms))
		}
		// Every bot message got through the fake server's HTML check.
		for _, m := range sends(e.srv.SentTo(u.ID)) {
			if m.ParseMode != "HTML" {
				t.Errorf("message %d sent with parse mode %q", m.MessageID, m.ParseMode)
			}
		}
	})

	t.Run("TypedPhone", func(t *testing.T) {
		e := startEnv(t)
		u := budi.user
		as := toSummary(budi)
		as[4] = says("0857-1234-5678", "Pertanyaan 3 dari 6") // typed instead of shared
		e.script(u, as)
		e.act(u, presses("Konfirmasi", "Pendaftaran berhasil"))
		ps := e.participants()
		if len(ps) != 1 || ps[0].Answers["phone"] != "+6285712345678" {
			t.Fatalf("participants %+v, want one with phone +6285712345678", ps)
		}
	})

	t.Run("Interleaved", func(t *testing.T) {
		// Two people answer turn by turn; each keeps their own answers.
		e := startEnv(t)
		a, b := toSummary(siti), toSummary(budi)
		for i := range a {
			e.act(siti.user, a[i])
			e.act(budi.user, b[i])
		}
		e.act(siti.user, presses("Konfirmasi", "kursi nomor 1"))
		e.act(budi.user, presses("Konfirmasi", "kursi nomor 2"))

		ps := e.participants()
		if len(ps) != 2 {
			t.Fatalf("%d participants, want 2", len(ps))
		}
		for i, p := range []person{siti, budi} {
			got := ps[i]
			if got.UserID != p.user.ID || got.Seat != i+1 || got.Status != store.StatusRegistered {
				t.Errorf("participant %d: %+v", i, got)
			}
			if !reflect.DeepEqual(got.Answers, p.stored()) {
				t.Errorf("%s's answers\n got %q\nwant %q", p.name, got.Answers, p.stored())
			}
		}
		e.assertIdle()
	})

	t.Run("Declined", func(t *testing.T) {
		e := startEnv(t)
		u := siti.user
		e.act(u, says("/start", "Selamat datang"))
		e.act(u, presses("Daftar", "Persetujuan"))
		e.act(u, presses("Tidak setuju", "tidak ada data yang kami kumpulkan"))
		c, _ := e.conversation(u.ID)
		if !c.ConsentAt.IsZero() || len(c.Answers) != 0 || len(e.participants()) != 0 {
			t.Errorf("after declining: conversation %+v, participants %+v", c, e.participants())
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		// Batal forgets the answers given so far and closes the keyboard.
		e := startEnv(t)
		u := siti.user
		e.script(u, toSummary(siti)[:4]) // at the phone question
		ms := e.act(u, says("Batal", "dibatalkan"))
		if m, _ := find(ms, "dibatalkan"); !m.RemoveKeyboard {
			t.Errorf("cancelling at the phone question leaves the contact keyboard: %+v", m)
		}
		c, _ := e.conversation(u.ID)
		if len(c.Answers) != 0 || !c.ConsentAt.IsZero() {
			t.Errorf("after Batal the conversation holds %+v", c)
		}
	})
}

// Ensure that navigation works the way the buttons promise: the reply
// keyboard's Kembali, a language switch in the middle of the form, deep
// links, and a double tap on Konfirmasi.
func TestBot_Navigation(t *testing.T) {
	t.Run("KeyboardBack", func(t *testing.T) {
		e := at(t, siti, 4) // the phone question, with its reply keyboard
		ms := e.act(siti.user, says("Kembali", "Pertanyaan 1 dari 6"))
		if !slices.ContainsFunc(sends(ms), func(m telegramtest.Message) bool { return m.RemoveKeyboard }) {
			t.Errorf("leaving the phone question left its keyboard: %+v", ms)
		}
		if !said(ms, "Siti Aminah") {
			t.Errorf("the name question does not show the answer given: %q", texts(ms))
		}
	})

	t.Run("Language", func(t *testing.T) {
		e := at(t, siti, 5) // the NIK question
		e.act(siti.user, says("/bahasa", "Pilih bahasa / Choose a language:"))
		ms := e.act(siti.user, presses("English", "Language changed to English."))
		if !said(ms, "Question 3 of 6") || !said(ms, "NIK (national identity number)") {
			t.Errorf("after the switch the bot said %q, want the NIK question in English", texts(ms))
		}
		e.script(siti.user, []action{
			says(siti.nik, "Question 4 of 6"),
			says(siti.birth, "Question 5 of 6"),
			says(siti.address, "Question 6 of 6"),
			presses("Beginner", "Please check your details"),
			presses("Confirm", "You are registered!"),
		})
		ps := e.participants()
		if len(ps) != 1 || ps[0].Lang != "en" || ps[0].Answers["experience"] != "Pemula" {
			t.Errorf("participants %+v, want one in English whose answer is stored as the Indonesian option", ps)
		}
	})

	t.Run("DeepLink", func(t *testing.T) {
		e := startEnv(t)
		e.act(siti.user, says("/start angkatan-9", "Tautan itu tidak menunjuk ke angkatan yang kami kenal."))
		e.act(siti.user, says("/start angkatan-1", "Angkatan 1 tidak menerima pendaftaran saat ini."))
		e.act(siti.user, says("/start angkatan-2", "Selamat datang"))
		e.act(siti.user, presses("Daftar", "Persetujuan"))
		e.act(siti.user, presses("Setuju", "Pertanyaan 1 dari 6"))
		if c, _ := e.conversation(siti.user.ID); c.Batch != "angkatan-2" {
			t.Errorf("batch %q, want angkatan-2", c.Batch)
		}
	})

	t.Run("DoubleTap", func(t *testing.T) {
		// Two presses of Konfirmasi arrive before the first is answered: the
		// second is stale, and one seat is taken.
		e := at(t, siti, 9)
		summary := last(t, e.srv.SentTo(siti.user.ID))
		data := buttonData(t, summary, "Konfirmasi")
		after := e.srv.LastSeq()
		first := e.srv.Callback(siti.user, summary.MessageID, data)
		second := e.srv.Callback(siti.user, summary.MessageID, data)
		e.waitHandled(first, second)
		ms := e.since(after, siti.user.ID)
		if n := len(sends(ms)); n != 1 || !said(ms, "Pendaftaran berhasil") {
			t.Errorf("the bot sent %q, want one confirmation", texts(ms))
		}
		var toasts []string
		for _, m := range ms {
			if m.Method == "answerCallbackQuery" {
				toasts = append(toasts, m.Text)
			}
		}
		if !reflect.DeepEqual(toasts, []string{"", "Tombol ini sudah tidak berlaku."}) {
			t.Errorf("toasts %q, want none for the first press and stale for the second", toasts)
		}
		if ps := e.participants(); len(ps) != 1 || ps[0].Seat != 1 {
			t.Errorf("participants %+v", ps)
		}
		// Once registered, Daftar offers nothing more: no other batch is open.
		ms = e.act(siti.user, says("/start", "Anda sudah terdaftar di Angkatan 2 (kursi nomor 1)"))
		if len(labels(last(t, ms))) != 0 {
			t.Errorf("the welcome of a registered person has buttons %q", labels(last(t, ms)))
		}
	})
}

// Ensure that a step is answered by one message wherever Telegram takes
// one (over a real network every message is a round trip the person waits
// through): the shared contact and a typed number are each answered by
// exactly one sendMessage that confirms the number, asks the next question
// and removes the contact keyboard, and names the words to type instead of
// the buttons it cannot carry; going back from the phone question does the
// same; a wrong answer's explanation comes with the question asked again.
// Only where the next screen needs inline buttons (a choice, the summary)
// are there two: the keyboard's removal, then the screen.
func TestBot_OneMessage(t *testing.T) {
	one := func(t *testing.T, ms []telegramtest.Message) telegramtest.Message {
		t.Helper()
		s := sends(ms)
		if len(s) != 1 {
			t.Fatalf("the bot sent %d messages %q, want one", len(s), texts(ms))
		}
		return s[0]
	}
	// removes checks m removed the contact keyboard and asks want, with
	// the words to type and no buttons (a message has one reply markup).
	removes := func(t *testing.T, m telegramtest.Message, want ...string) {
		t.Helper()
		for _, w := range append(want, "Ketik Kembali untuk kembali ke langkah sebelumnya, atau Batal untuk berhenti.") {
			if !strings.Contains(m.Text, w) {
				t.Errorf("message %q does not contain %q", m.Text, w)
			}
		}
		if !m.RemoveKeyboard || len(m.Inline) != 0 || len(m.Keyboard) != 0 {
			t.Errorf("message %q: remove_keyboard %v, inline %q, keyboard %v; want the removal alone", m.Text, m.RemoveKeyboard, labels(m), m.Keyboard)
		}
	}

	t.Run("Contact", func(t *testing.T) {
		e := at(t, siti, 4) // the phone question, with its reply keyboard
		m := one(t, e.contact(siti.user, siti.phone, siti.user.ID))
		removes(t, m, "Nomor +6281234567890 tersimpan.", "Pertanyaan 3 dari 6", "NIK")
		if !strings.HasPrefix(m.Text, "Nomor +6281234567890 tersimpan.") {
			t.Errorf("message %q does not confirm the number first", m.Text)
		}

		// The word typed goes back, to the phone question and its keyboard.
		m = one(t, e.act(siti.user, says("Kembali", "Pertanyaan 2 dari 6")))
		if len(m.Keyboard) == 0 || !m.Keyboard[0][0].RequestContact {
			t.Errorf("back at the phone question without the contact keyboard: %+v", m.Keyboard)
		}

		// A typed number: the same one message.
		m = one(t, e.act(siti.user, says("0812-3456-7890", "Pertanyaan 3 dari 6")))
		removes(t, m, "Nomor +6281234567890 tersimpan.", "Pertanyaan 3 dari 6")

		// The keyboard is gone: the next questions have their buttons again.
		m = one(t, e.act(siti.user, says(siti.nik, "Pertanyaan 4 dari 6")))
		if got := labels(m); !reflect.DeepEqual(got, []string{"Kembali", "Batal"}) || m.RemoveKeyboard {
			t.Errorf("the question after the NIK has buttons %q, remove_keyboard %v", got, m.RemoveKeyboard)
		}
		if c, _ := e.conversation(siti.user.ID); c.Answers["phone"] != "+6281234567890" || c.Answers["nik"] != siti.nik {
			t.Errorf("answers %v", c.Answers)
		}
	})

	t.Run("KeyboardBack", func(t *testing.T) {
		e := at(t, siti, 4)
		removes(t, one(t, e.act(siti.user, says("Kembali", "Pertanyaan 1 dari 6"))), "Jawaban sebelumnya: Siti Aminah")
	})

	t.Run("WrongAnswer", func(t *testing.T) {
		e := at(t, siti, 3) // the name question
		m := one(t, e.act(siti.user, says("Si", "Pertanyaan 1 dari 6")))
		if !strings.HasPrefix(m.Text, "Jawaban terlalu pendek: minimal 3 huruf.") || !reflect.DeepEqual(labels(m), []string{"Kembali", "Batal"}) {
			t.Errorf("wrong name answered with %q, buttons %q; want the explanation above the question and its buttons", m.Text, labels(m))
		}
		e.act(siti.user, says(siti.name, "Pertanyaan 2 dari 6"))
		m = one(t, e.act(siti.user, says("12345", "Pertanyaan 2 dari 6")))
		if len(m.Keyboard) == 0 || !m.Keyboard[0][0].RequestContact || m.Text == "" || strings.HasPrefix(m.Text, "Pertanyaan") {
			t.Errorf("wrong number answered with %q, keyboard %+v; want the explanation above the question and its keyboard", m.Text, m.Keyboard)
		}
	})

	t.Run("ChoiceNext", func(t *testing.T) {
		// A choice's buttons cannot ride on the message that removes the
		// keyboard: two messages, the removal first.
		e := newEnv(t)
		f := e.course.Fields
		e.course.Fields = []store.Field{f[0], f[1], f[5]} // name, phone, experience
		e.start()
		e.script(siti.user, []action{
			says("/start", "Selamat datang"),
			presses("Daftar", "Persetujuan"),
			presses("Setuju", "Pertanyaan 1 dari 3"),
			says(siti.name, "Pertanyaan 2 dari 3"),
		})
		ms := sends(e.act(siti.user, sharesContact(siti.phone, "Pertanyaan 3 dari 3")))
		if len(ms) != 2 || ms[0].Text != "Nomor +6281234567890 tersimpan." || !ms[0].RemoveKeyboard ||
			!strings.Contains(ms[1].Text, "Pengalaman menjahit") || !slices.Contains(labels(ms[1]), "Pemula") {
			t.Fatalf("the bot sent %q, want the removal, then the choice with its buttons", texts(ms))
		}

		// From the summary the same: its buttons need a message of their own.
		e.script(siti.user, []action{
			presses("Pemula", "Periksa kembali data Anda"),
			presses("Ubah", "Data mana yang ingin diubah?"),
			presses("Nomor HP/WhatsApp", "Pertanyaan 2 dari 3"),
		})
		ms = sends(e.act(siti.user, says("0812-3456-7890", "Periksa kembali data Anda")))
		if len(ms) != 2 || !ms[0].RemoveKeyboard || !slices.Contains(labels(ms[1]), "Konfirmasi") {
			t.Errorf("the bot sent %q, want the removal, then the summary with its buttons", texts(ms))
		}
	})
}

// Ensure that a restart of the process, between two questions, is not
// noticed by the person: the next answer continues the same form.
func TestBot_Restart(t *testing.T) {
	t.Run("MidForm", func(t *testing.T) {
		e := startEnv(t)
		u := siti.user
		as := toSummary(siti)
		e.script(u, as[:5]) // answered name and phone; question 3 (NIK) is asked
		before := e.snapshot(u.ID)

		e.restart()
		if after := e.snapshot(u.ID); !reflect.DeepEqual(before, after) {
			t.Fatalf("the restart changed the store:\n%+v\n%+v", before, after)
		}
		ms := e.act(u, says(siti.nik, "Pertanyaan 4 dari 6"))
		if !said(ms, "Tanggal lahir") {
			t.Errorf("after the restart the bot asked %q, want the date of birth", texts(ms))
		}
		e.script(u, as[6:])
		e.act(u, presses("Konfirmasi", "Pendaftaran berhasil"))
		ps := e.participants()
		if len(ps) != 1 || !reflect.DeepEqual(ps[0].Answers, siti.stored()) {
			t.Fatalf("participants %+v, want Siti with %q", ps, siti.stored())
		}
		e.assertIdle()
	})

	t.Run("PressAfterRestart", func(t *testing.T) {
		// Buttons sent before a restart still work after it.
		e := startEnv(t)
		u := siti.user
		e.script(u, toSummary(siti))
		e.restart()
		e.act(u, presses("Konfirmasi", "Pendaftaran berhasil"))
	})

	t.Run("JournaledUpdate", func(t *testing.T) {
		// An update journaled (and so confirmed to Telegram) but not handled
		// when the process died is handled by the next start, once.
		e := newEnv(t)
		ani := telegramtest.User{ID: 2001, FirstName: "Ani", LanguageCode: "id"}
		const id = 1000
		raw := rawUpdate(t, map[string]any{
			"update_id": id,
			"message": map[string]any{
				"message_id": 1,
				"from":       map[string]any{"id": ani.ID, "is_bot": false, "first_name": ani.FirstName, "language_code": "id"},
				"chat":       map[string]any{"id": ani.ID, "type": "private", "first_name": ani.FirstName},
				"date":       fixedNow.Unix(),
				"text":       "/start",
				"entities":   []any{map[string]any{"type": "bot_command", "offset": 0, "length": 6}},
			},
		})
		if _, err := e.db.Journal([]store.Update{{ID: id, Raw: raw}}, id+1); err != nil {
			t.Fatal(err)
		}
		e.srv.SetNextUpdateID(id + 1)
		e.start()
		e.waitHandled(id)
		// Anything handled later proves the poller ran after the resume.
		e.act(ani, says("/status", "belum terdaftar"))
		if n := countSent(e.srv, ani.ID, "Selamat datang"); n != 1 {
			t.Errorf("%d welcomes sent, want 1", n)
		}
		if n := e.handled.times(id); n != 1 {
			t.Errorf("update %d handled %d times", id, n)
		}
		e.restart()
		e.act(ani, says("/bantuan", "Perintah"))
		if n := countSent(e.srv, ani.ID, "Selamat datang"); n != 1 {
			t.Errorf("after a second restart: %d welcomes sent, want 1", n)
		}
		e.assertIdle()
	})

	t.Run("UnsentReply", func(t *testing.T) {
		// A reply recorded with its state change but never accepted by
		// Telegram is sent by the next start, once.
		e := startEnv(t)
		u := siti.user
		sendsBefore := e.srv.Requests("sendMessage")
		e.srv.Inject("sendMessage", telegramtest.Fault{Status: 500, Times: 1_000_000})
		id := e.srv.SendText(u, "/start")
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "sendMessage", sendsBefore+2); err != nil {
			t.Fatal(err) // it tried, failed and retried
		}
		if p := e.pending(); len(p) != 1 || p[0].ChatID != u.ID {
			t.Fatalf("pending replies %+v, want the welcome to Siti", p)
		}
		if j := e.journaled(); len(j) != 0 {
			t.Errorf("the update is still journaled (%d) though its effect is committed", len(j))
		}
		stopping := time.Now()
		if err := e.stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		t.Logf("shutdown with a failing reply took %v", time.Since(stopping).Round(time.Millisecond))
		if n := e.handled.times(id); n != 1 {
			t.Errorf("update handled %d times before the restart, want 1", n)
		}
		if len(e.pending()) != 1 {
			t.Fatalf("the unsent reply was forgotten at shutdown")
		}

		e.srv.ClearFaults()
		if err := e.db.Close(); err != nil {
			t.Fatal(err)
		}
		e.db = mustOpen(t, e.path)
		e.start()
		e.act(u, says("/bantuan", "Perintah"))
		if n := countSent(e.srv, u.ID, "Selamat datang"); n != 1 {
			t.Errorf("%d welcomes arrived, want 1", n)
		}
		if n := e.handled.times(id); n != 1 {
			t.Errorf("the update was handled %d times, want 1", n)
		}
		e.assertIdle()
		// The resent welcome still works.
		e.act(u, presses("Daftar", "Persetujuan"))
	})
}

// Ensure that Run connects, retries what is worth retrying, fails fast on
// a rejected token and returns nil on a clean shutdown.
func TestBot_Run(t *testing.T) {
	t.Run("CleanShutdown", func(t *testing.T) {
		e := startEnv(t)
		e.act(siti.user, says("/start", "Selamat datang"))
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "getUpdates", 2); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := e.stop(); err != nil {
			t.Fatalf("Run returned %v after cancel, want nil", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Run took %v to return after cancel", d)
		}
	})

	t.Run("Unauthorized", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getMe", telegramtest.Fault{Status: 401})
		e.start()
		if err := e.exited(5 * time.Second); !errors.Is(err, bot.ErrUnauthorized) {
			t.Errorf("Run = %v, want ErrUnauthorized", err)
		}
		if n := e.srv.Requests("getMe"); n != 1 {
			t.Errorf("getMe asked %d times, want 1", n)
		}
	})

	t.Run("WrongToken", func(t *testing.T) {
		// The fake answers 401 to an unknown token, as Telegram does.
		e := newEnv(t)
		e.opt = func(o *bot.Options) { o.Token = "424242:revoked" }
		e.start()
		err := e.exited(5 * time.Second)
		if !errors.Is(err, bot.ErrUnauthorized) {
			t.Errorf("Run = %v, want ErrUnauthorized", err)
		}
		if strings.Contains(e.logs.String(), "revoked") {
			t.Errorf("the token appears in the log:\n%s", e.logs.String())
		}
	})

	t.Run("UnauthorizedWhilePolling", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getUpdates", telegramtest.Fault{Status: 401})
		e.start()
		err := e.exited(5 * time.Second)
		if !errors.Is(err, bot.ErrUnauthorized) {
			t.Errorf("Run = %v, want ErrUnauthorized", err)
		}
	})

	t.Run("GetMeRetried", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getMe", telegramtest.Fault{Status: 500, Times: 3})
		e.start()
		e.act(siti.user, says("/start", "Selamat datang"))
		if n := e.srv.Requests("getMe"); n != 4 {
			t.Errorf("getMe asked %d times, want 4 (3 failures, then success)", n)
		}
		if n := e.logs.count("telegram unreachable, retrying"); n != 3 {
			t.Errorf("%d retry log records, want 3", n)
		}
	})

	t.Run("GetUpdatesRetried", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("getUpdates", telegramtest.Fault{Status: 502, Times: 2})
		e.srv.Inject("getUpdates", telegramtest.Fault{Drop: true, Times: 1})
		e.start()
		e.act(siti.user, says("/start", "Selamat datang"))
	})

	t.Run("Commands", func(t *testing.T) {
		const organiser = 555
		e := newEnv(t)
		e.opt = func(o *bot.Options) { o.Admins = []int64{organiser} }
		e.start()
		// Per language: the participants' menu, then the organiser's. The
		// setter sends one request after the other, so once the sixth has
		// arrived the first five are stored. (A shutdown cancels the
		// setter: stopping the bot would not wait for the sixth.)
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "setMyCommands", 6); err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for sc, cmds := range e.srv.Commands() {
			key := sc.Type + "/" + sc.LanguageCode
			if sc.Type == "chat" {
				if sc.ChatID != organiser {
					t.Errorf("commands set for chat %d, not an organiser", sc.ChatID)
				}
				if sc.LanguageCode == "en" {
					continue // the sixth: maybe not stored yet
				}
			}
			for _, c := range cmds {
				got[key] = append(got[key], c.Command)
			}
		}
		id := []string{"start", "status", "batal", "bahasa", "dataku", "hapusdata", "sertifikat", "cek", "bantuan", "id"}
		en := []string{"start", "status", "cancel", "language", "mydata", "deletedata", "certificate", "cek", "help", "id"}
		organiserID := []string{"jadwal", "umumkan", "umumkan_status", "peserta", "absen", "ekspor", "statistik", "buka", "tutup", "daftarhadir", "laporan", "daftarkan", "log"}
		want := map[string][]string{
			"all_private_chats/":   id,
			"all_private_chats/id": id,
			"all_private_chats/en": en,
			"chat/":                append(slices.Clone(id), organiserID...),
			"chat/id":              append(slices.Clone(id), organiserID...),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("commands\n got %q\nwant %q", got, want)
		}
	})

	t.Run("CommandsFailing", func(t *testing.T) {
		e := newEnv(t)
		e.srv.Inject("setMyCommands", telegramtest.Fault{Status: 500})
		e.start()
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := e.srv.WaitRequests(ctx, "setMyCommands", 3); err != nil {
			t.Fatal(err)
		}
		e.act(siti.user, says("/start", "Selamat datang"))
		if c := e.srv.Commands(); len(c) != 0 {
			t.Errorf("commands %v, want none", c)
		}
		if e.logs.count("set commands failed") == 0 {
			t.Error("the failure is not logged")
		}
	})

	t.Run("Unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()

		e := newEnv(t)
		e.opt = func(o *bot.Options) { o.APIURL = "http://" + addr }
		e.start()
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		// Four failed attempts take 0.35 s at least: Run is still going.
		if err := e.logs.wait(ctx, "telegram unreachable, retrying", 4); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-e.done:
			e.done = nil
			t.Fatalf("Run returned %v while Telegram is unreachable", err)
		default:
		}
		start := time.Now()
		if err := e.stop(); err != nil {
			t.Errorf("Run = %v after cancel, want nil", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("Run took %v to return after cancel", d)
		}
	})

	t.Run("NoToken", func(t *testing.T) {
		db := mustOpen(t, t.TempDir()+"/x.db")
		defer db.Close()
		b := bot.New(db, store.Catalog{Courses: []store.Course{testCourse()}}, bot.Options{Token: " "})
		if err := b.Run(context.Background()); err == nil {
			t.Error("Run without a token returned nil")
		}
	})
}

// Ensure that when more people confirm at once than there are seats, each
// seat is given exactly once, to exactly as many people as there are
// seats, and everyone else is told the batch is full.
func TestBot_Concurrency(t *testing.T) {
	e := startEnv(t)
	n := 200
	if testing.Short() {
		n = 40
	}
	var users []telegramtest.User
	for i := range n {
		users = append(users, newPerson(int64(900001+i), fmt.Sprintf("Peserta %d", i+1)).user)
	}
	people := map[int64]person{}
	for i, u := range users {
		people[u.ID] = newPerson(u.ID, fmt.Sprintf("Peserta %d", i+1))
	}
	// Everyone walks to the summary in step; the steps of different people
	// run concurrently.
	for i := range toSummary(people[users[0].ID]) {
		e.actAll(users, action{
			do: func(e *env, u telegramtest.User) int64 { return toSummary(people[u.ID])[i].do(e, u) },
		})
	}
	for _, u := range users {
		if c, _ := e.conversation(u.ID); c.State != "summary" {
			t.Fatalf("%s is at %q, not at the summary", u.FirstName, c.State)
		}
	}

	got := e.actAll(users, presses("Konfirmasi", ""))
	var ok, full int
	for _, u := range users {
		switch ms := got[u.ID]; {
		case said(ms, "Pendaftaran berhasil"):
			ok++
		case said(ms, "Maaf, kursi di Angkatan 2 sudah penuh. Anda bisa masuk daftar tunggu"):
			full++
			if c, _ := e.conversation(u.ID); c.State != "full" || len(c.Answers) == 0 {
				t.Errorf("%s was offered the waiting list, but the conversation is %q with %d answers", u.FirstName, c.State, len(c.Answers))
			}
		default:
			t.Errorf("%s got %q", u.FirstName, texts(ms))
		}
	}
	if ok != 16 || full != n-16 {
		t.Errorf("%d registered and %d told it is full, want 16 and %d", ok, full, n-16)
	}
	// Everyone told it is full joins the waiting list at once: positions
	// 1..n-16, each told their own.
	var late []telegramtest.User
	for _, u := range users {
		if said(got[u.ID], "sudah penuh") {
			late = append(late, u)
		}
	}
	joined := e.actAll(late, presses("Masuk daftar tunggu", ""))
	positions := map[int]bool{}
	for _, u := range late {
		var pos int
		for _, m := range joined[u.ID] {
			if _, rest, ok := strings.Cut(m.Text, "urutan ke-"); ok {
				fmt.Sscanf(rest, "%d", &pos)
			}
		}
		if pos < 1 || pos > n-16 || positions[pos] {
			t.Errorf("%s got waiting position %d (%q)", u.FirstName, pos, texts(joined[u.ID]))
		}
		positions[pos] = true
	}
	ps := e.participants()
	var seats []int
	seen := map[int64]bool{}
	waiting := 0
	for _, p := range ps {
		if p.Status == store.StatusWaiting {
			waiting++
			continue
		}
		if p.Status != store.StatusRegistered || seen[p.UserID] {
			t.Errorf("participant %+v", p)
		}
		seen[p.UserID] = true
		seats = append(seats, p.Seat)
		if !reflect.DeepEqual(p.Answers, people[p.UserID].stored()) {
			t.Errorf("participant %d has answers %q, want %q", p.UserID, p.Answers, people[p.UserID].stored())
		}
		if !said(got[p.UserID], fmt.Sprintf("kursi nomor %d", p.Seat)) {
			t.Errorf("participant %d holds seat %d but was told %q", p.UserID, p.Seat, texts(got[p.UserID]))
		}
	}
	slices.Sort(seats)
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}; !reflect.DeepEqual(seats, want) {
		t.Errorf("seats %v, want %v", seats, want)
	}
	if waiting != n-16 {
		t.Errorf("%d waiting, want %d", waiting, n-16)
	}
	e.assertIdle()

	// A newcomer now learns that every seat is taken, and can still join
	// the waiting list.
	newcomer := newPerson(999999, "Terlambat Sekali").user
	ms := e.text(newcomer, "/start")
	if !said(ms, fmt.Sprintf("penuh — daftar tunggu %d orang", n-16)) || !reflect.DeepEqual(labels(last(t, ms)), []string{"Daftar"}) {
		t.Errorf("a newcomer after the batch filled up got %q with buttons %q", texts(ms), labels(last(t, ms)))
	}
}

// Ensure that the bot's log never holds what people typed: names, phone
// numbers, NIK, addresses; nor the token.
func TestBot_LogPrivacy(t *testing.T) {
	e := startEnv(t)
	e.srv.Inject("sendMessage", telegramtest.Fault{Status: 502, Times: 1})
	e.script(siti.user, toSummary(siti))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.srv.Block(budi.user.ID)
	e.text(budi.user, "Budi Santoso 3509121208850002")
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	log := e.logs.String()
	if !strings.Contains(log, "send reply failed") {
		t.Fatalf("the injected failure was not logged; log:\n%s", log)
	}
	for _, secret := range []string{"Siti", "Aminah", "812345", "3509015708900001", "Mawar", "Budi", "3509121208850002", "daftar-test-token"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q:\n%s", secret, log)
		}
	}
}
