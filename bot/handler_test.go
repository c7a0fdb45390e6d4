package bot_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// at starts a bot and walks p through the first n actions of toSummary:
// 3 stands at question 1 (name), 4 at the phone, 5 at the NIK, 6 at the
// date, 7 at the address, 8 at the choice, 9 at the summary.
func at(t *testing.T, p person, n int) *env {
	t.Helper()
	e := startEnv(t)
	e.script(p.user, toSummary(p)[:n])
	return e
}

// rejects does act, which must change nothing in the store, and checks
// the bot answered with every part of want and nothing else than messages,
// a toast and the removal of buttons.
func (e *env) rejects(userID int64, act func() int64, want ...string) []telegramtest.Message {
	e.t.Helper()
	before := e.snapshot(userID)
	ms := e.step(userID, act)
	for _, w := range want {
		if !said(ms, w) {
			e.t.Errorf("the bot answered %q, want a message containing %q", texts(ms), w)
		}
	}
	e.assertUnchanged(before, userID)
	e.assertIdle()
	return ms
}

// seq returns the question counter of userID's conversation, as buttons
// carry it.
func (e *env) seq(userID int64) string {
	e.t.Helper()
	c, ok := e.conversation(userID)
	if !ok {
		e.t.Fatalf("no conversation for %d", userID)
	}
	return strconv.FormatInt(c.Seq, 36)
}

// Ensure that every kind of input the bot cannot use is answered with
// what was wrong and what is expected, and changes nothing stored.
func TestBot_BadInput(t *testing.T) {
	u := siti.user
	const notText = "Maaf, di sini saya hanya bisa membaca pesan teks."
	sticker := map[string]any{"sticker": map[string]any{"file_id": "CAACAgIAAxkBAAEB", "file_unique_id": "AgADBAAD", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍"}}
	photo := map[string]any{"photo": []any{map[string]any{"file_id": "AgACAgUAAxkBAAIB", "file_unique_id": "AQADAgAD", "width": 90, "height": 90}}, "caption": "Siti Aminah"}

	t.Run("Sticker", func(t *testing.T) {
		e := at(t, siti, 3)
		e.rejects(u.ID, func() int64 { return e.srv.SendMessage(u, sticker) }, notText, "Pertanyaan 1 dari 6", "Nama lengkap")
	})

	t.Run("PhotoWithCaption", func(t *testing.T) {
		e := at(t, siti, 3)
		e.rejects(u.ID, func() int64 { return e.srv.SendMessage(u, photo) }, notText, "Pertanyaan 1 dari 6")
	})

	t.Run("LocationAtPhone", func(t *testing.T) {
		e := at(t, siti, 4)
		loc := map[string]any{"location": map[string]any{"latitude": -8.17, "longitude": 113.7}}
		ms := e.rejects(u.ID, func() int64 { return e.srv.SendMessage(u, loc) }, notText, "Pertanyaan 2 dari 6")
		if q := last(t, ms); len(q.Keyboard) == 0 || !q.Keyboard[0][0].RequestContact {
			t.Errorf("the phone question comes back without the share-contact keyboard: %+v", q)
		}
	})

	t.Run("TooLong", func(t *testing.T) {
		e := at(t, siti, 3)
		long := strings.Repeat("é", 4097)
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, long) }, "Pesan itu terlalu panjang.", "Pertanyaan 1 dari 6")
		// At Telegram's limit the text is a message, too long for the field.
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, strings.Repeat("é", 4096)) }, "maksimal 80 huruf", "Pertanyaan 1 dari 6")
	})

	t.Run("WrongAnswers", func(t *testing.T) {
		for _, c := range []struct {
			at     int // see at
			answer string
			want   string
		}{
			{3, "Si", "Jawaban terlalu pendek: minimal 3 huruf."},
			{3, "!!! ???", "Mohon tulis dengan huruf atau angka."},
			{3, "\u200b \u200b", "Jawaban masih kosong."},
			{4, "12345", "Nomor itu tidak bisa kami baca."},
			{4, "0331 487 123", "sepertinya nomor telepon rumah/kantor"},
			{5, "35090145019", "NIK harus 16 digit."},
			{5, "35090145019000AB", "NIK hanya berisi angka."},
			{5, "9909014501900001", "kode wilayah"},
			{5, "3509019901900001", "tanggal lahir"},
			{5, "3509014501900000", "tidak boleh 0000"},
			{6, "kemarin sore", "Tanggal itu tidak bisa kami baca."},
			{6, "31-02-1990", "Tanggal itu tidak bisa kami baca."},
			{6, "01-01-2030", "Tanggal itu belum terjadi."},
			{8, "Ahli", "Pilihan itu tidak ada."},
			// What a training centre expects (issue 11, point 18).
			{3, "12345", "Nama harus berisi huruf."},
			{4, "+60 12-345 6789", "Mohon tulis nomor HP Indonesia"},
			{6, "17-08-2020", "tidak di antara 10 dan 100 tahun"},
			{6, "17-08-1920", "tidak di antara 10 dan 100 tahun"},
			{6, "18-08-1990", "berbeda dengan tanggal lahir di NIK Anda"},
		} {
			t.Run(fmt.Sprintf("Q%d/%s", c.at-2, c.answer), func(t *testing.T) {
				e := at(t, siti, c.at)
				question := fmt.Sprintf("Pertanyaan %d dari 6", c.at-2)
				e.rejects(u.ID, func() int64 { return e.srv.SendText(u, c.answer) }, c.want, question)
			})
		}
	})

	// Ensure that a NIK changed after the birth date must agree with it,
	// and that the message says to check the NIK, the answer given last.
	t.Run("NIKAfterBirthDate", func(t *testing.T) {
		e := at(t, siti, 9) // the summary
		e.act(u, presses("Ubah", "Data mana yang ingin diubah?"))
		e.act(u, presses("NIK (nomor induk kependudukan)", "Pertanyaan 3 dari 6"))
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, budi.nik) }, "NIK ini tidak cocok dengan tanggal lahir", "Mohon periksa kembali NIK Anda", "Pertanyaan 3 dari 6")
		e.act(u, says("3509011708900003", "Periksa kembali data Anda"))
	})

	// Ensure that a number field reads "30 tahun" as 30 and names the
	// bound in force when a number is out of range.
	t.Run("Numbers", func(t *testing.T) {
		e := newEnv(t)
		e.course.Fields = []store.Field{
			{Key: "age", Kind: store.KindNumber, Label: "Umur", Min: 17},
			{Key: "children", Kind: store.KindNumber, Label: "Jumlah anak", Max: 10},
			{Key: "years", Kind: store.KindNumber, Label: "Lama bekerja", Min: 1, Max: 40},
		}
		e.start()
		e.script(u, []action{
			says("/start", "Selamat datang"),
			presses("Daftar", "Persetujuan"),
			presses("Setuju", "Pertanyaan 1 dari 3"),
		})
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "16 tahun") }, "Angka paling kecil 17.", "Pertanyaan 1 dari 3")
		e.act(u, says("30 tahun", "Pertanyaan 2 dari 3"))
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "11 anak") }, "Angka paling besar 10.", "Pertanyaan 2 dari 3")
		e.act(u, says("2 anak", "Pertanyaan 3 dari 3"))
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "41") }, "Angka harus antara 1 dan 40.", "Pertanyaan 3 dari 3")
		e.act(u, says("5 tahun", "Periksa kembali data Anda"))
		if c, _ := e.conversation(u.ID); c.Answers["age"] != "30" || c.Answers["children"] != "2" || c.Answers["years"] != "5" {
			t.Errorf("answers %v, want age 30, children 2, years 5", c.Answers)
		}
	})

	// Ensure that a phone field with foreign = true takes a foreign
	// mobile number, typed or shared.
	t.Run("ForeignPhoneAllowed", func(t *testing.T) {
		e := newEnv(t)
		e.course.Fields[1].Foreign = true
		e.start()
		e.script(u, toSummary(siti)[:4])
		e.act(u, says("+60 12-345 6789", "Pertanyaan 3 dari 6"))
	})

	t.Run("TextWhereButtonsAreExpected", func(t *testing.T) {
		e := at(t, siti, 2) // consent
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "ya") }, "Silakan pilih dengan tombol.", "Apakah Anda setuju?")
		e.script(u, toSummary(siti)[2:])
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "sudah benar") }, "Silakan pilih dengan tombol.", "Periksa kembali data Anda")
	})

	t.Run("Commands", func(t *testing.T) {
		e := at(t, siti, 4)
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "/start") }, "Mari lanjutkan", "Pertanyaan 2 dari 6")
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "/status") }, "pertanyaan 2 dari 6")
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "/daftar_ulang") }, "Perintah itu tidak dikenal.")
		e.rejects(u.ID, func() int64 { return e.srv.SendText(u, "/bantuan") }, "/batal")
	})

	t.Run("OtherPersonsContact", func(t *testing.T) {
		e := at(t, siti, 4)
		e.rejects(u.ID, func() int64 { return e.srv.SendContact(u, "6285712345678", budi.user.ID) }, "bukan kontak orang lain", "Pertanyaan 2 dari 6")
		// A contact card without a Telegram account is not theirs either.
		e.rejects(u.ID, func() int64 { return e.srv.SendContact(u, "6285712345678", 0) }, "bukan kontak orang lain", "Pertanyaan 2 dari 6")
	})

	t.Run("ContactElsewhere", func(t *testing.T) {
		e := at(t, siti, 3)
		e.rejects(u.ID, func() int64 { return e.srv.SendContact(u, siti.phone, u.ID) }, "Pertanyaan ini tidak meminta kontak.", "Pertanyaan 1 dari 6")
	})

	t.Run("EditedMessage", func(t *testing.T) {
		e := startEnv(t)
		as := toSummary(siti)
		e.script(u, as[:3])
		ms := e.act(u, as[3])       // the name; the phone question follows it
		name := ms[0].MessageID - 1 // the person's message just before
		e.rejects(u.ID, func() int64 { return e.srv.EditText(u, name, "Siti Aminah Rahayu") }, "Pesan yang diedit tidak diproses")
	})

	t.Run("StaleButton", func(t *testing.T) {
		e := startEnv(t)
		as := toSummary(siti)
		welcome := last(t, e.act(u, as[0]))
		daftar := buttonData(t, welcome, "Daftar")
		e.act(u, as[1])
		q1 := last(t, e.act(u, as[2]))
		e.act(u, as[3]) // at the phone question now

		ms := e.rejects(u.ID, func() int64 {
			id, err := e.srv.PressButtonIn(u, q1.MessageID, "Kembali")
			if err != nil {
				t.Fatal(err)
			}
			return id
		})
		assertStale(t, ms)
		if m, _ := e.srv.Current(u.ID, q1.MessageID); len(m.Inline) != 0 {
			t.Errorf("the stale buttons %q are still there", labels(m))
		}
		// The welcome's Daftar, pressed again from an old client.
		ms = e.rejects(u.ID, func() int64 { return e.srv.Callback(u, welcome.MessageID, daftar) })
		assertStale(t, ms)
	})

	t.Run("ForgedCallback", func(t *testing.T) {
		e := at(t, siti, 3)
		q1 := last(t, e.srv.SentTo(u.ID))
		seq := e.seq(u.ID)
		for _, data := range []string{
			strings.Repeat("x", 65),
			seq + ":ok:" + strings.Repeat("9", 70), // well formed but over 64 bytes
			"",
			"garbage",
			"zz:ok",      // another question's
			"-1:back",    // negative counter
			seq + ":ok",  // Konfirmasi while answering a question
			seq + ":reg", // Daftar while in the form
			seq + ":cy",  // Setuju again
			seq + ":f:1", // an Ubah choice outside the summary
			seq + ":b:angkatan-1",
			seq + ":o:0",    // an option at a text question
			seq + ":skip",   // the name is not optional
			seq + ":back:é", // not ASCII
			seq + ":back\u0000",
			"0:lang:fr",
		} {
			t.Run(fmt.Sprintf("%.20q", data), func(t *testing.T) {
				ms := e.rejects(u.ID, func() int64 { return e.srv.Callback(u, q1.MessageID, data) })
				assertStale(t, ms)
			})
		}
	})

	t.Run("ForgedOption", func(t *testing.T) {
		e := at(t, siti, 8) // the choice question
		q6 := last(t, e.srv.SentTo(u.ID))
		seq := e.seq(u.ID)
		for _, arg := range []string{"3", "-1", "01", "1x", "99999999999999999999", " 1"} {
			t.Run(arg, func(t *testing.T) {
				ms := e.rejects(u.ID, func() int64 { return e.srv.Callback(u, q6.MessageID, seq+":o:"+arg) })
				assertStale(t, ms)
			})
		}
	})

	t.Run("CallbackFromAnotherChat", func(t *testing.T) {
		// A callback whose message is not in the presser's private chat with
		// the bot is not theirs to press: nobody's state changes.
		e := startEnv(t)
		e.script(siti.user, toSummary(siti)[:3])
		e.script(budi.user, toSummary(budi)[:3])
		budiQ1 := last(t, e.srv.SentTo(budi.user.ID))
		cancel := buttonData(t, budiQ1, "Batal")
		sitiBefore := e.snapshot(siti.user.ID)
		for _, chat := range []map[string]any{
			{"id": budi.user.ID, "type": "private", "first_name": "Budi"},
			{"id": -100500, "type": "group", "title": "FKJOB"},
		} {
			raw := rawUpdate(t, map[string]any{"callback_query": map[string]any{
				"id":            "forged-" + fmt.Sprint(chat["id"]),
				"from":          map[string]any{"id": siti.user.ID, "is_bot": false, "first_name": "Siti"},
				"message":       map[string]any{"message_id": budiQ1.MessageID, "date": 1, "chat": chat, "text": "x"},
				"chat_instance": "1",
				"data":          cancel,
			}})
			after := e.srv.LastSeq()
			e.rejects(budi.user.ID, func() int64 { return e.srv.InjectUpdate(raw) })
			for _, m := range e.srv.Sent() {
				if m.Seq > after {
					t.Errorf("the bot did %s in chat %d", m.Method, m.ChatID)
				}
			}
		}
		e.assertUnchanged(sitiBefore, siti.user.ID)
		// Budi's own press still works.
		e.act(budi.user, presses("Batal", "dibatalkan"))
	})

	t.Run("Group", func(t *testing.T) {
		e := startEnv(t)
		const group = -1001234567890
		// Each in a group of its own: a group gets one pointer per
		// few minutes (issue 10), tried below.
		for i, text := range []string{"/start", "/start@daftar_test_bot", "/daftar", "@daftar_test_bot mau daftar dong"} {
			t.Run(text, func(t *testing.T) {
				group := group - int64(i)
				before := e.snapshot(u.ID)
				ms := e.step(group, func() int64 { return e.srv.SendGroupText(u, group, text) })
				if len(ms) != 1 || ms[0].Method != "sendMessage" || !strings.Contains(ms[0].Text, "hanya lewat chat pribadi") {
					t.Fatalf("the bot answered %+v in the group, want one pointer to the private chat", ms)
				}
				if len(ms[0].Inline) != 1 || len(ms[0].Inline[0]) != 1 || ms[0].Inline[0][0].URL != "https://t.me/daftar_test_bot" {
					t.Errorf("the pointer has buttons %+v, want one URL button to https://t.me/daftar_test_bot", ms[0].Inline)
				}
				if before.Found || e.snapshot(u.ID).Found {
					t.Error("a conversation was stored for a group message")
				}
				e.assertUnchanged(before, u.ID)
				e.assertIdle()
			})
		}
		t.Run("OnePointerPerFewMinutes", func(t *testing.T) {
			after := e.srv.LastSeq()
			e.rejects(u.ID, func() int64 { return e.srv.SendGroupText(u, group, "/daftar") })
			if ms := e.srv.Sent(); len(ms) > int(after) {
				t.Errorf("the bot pointed the group to the private chat again at once: %q", ms[after].Text)
			}
		})
		for _, text := range []string{"halo semua, ada yang tahu jadwal pelatihan?", "/start@other_bot"} {
			t.Run(text, func(t *testing.T) {
				after := e.srv.LastSeq()
				e.rejects(u.ID, func() int64 { return e.srv.SendGroupText(u, group, text) })
				if ms := e.srv.Sent(); len(ms) > int(after) {
					t.Errorf("the bot answered %q in chat %d", ms[after].Text, ms[after].ChatID)
				}
			})
		}
		if len(e.srv.SentTo(u.ID)) != 0 {
			t.Errorf("the bot wrote to Siti's private chat: %q", texts(e.srv.SentTo(u.ID)))
		}
	})
}

func assertStale(t *testing.T, ms []telegramtest.Message) {
	t.Helper()
	if got, ok := toast(ms); !ok || got != "Tombol ini sudah tidak berlaku." {
		t.Errorf("toast %q (answered: %v), want %q", got, ok, "Tombol ini sudah tidak berlaku.")
	}
	if s := sends(ms); len(s) != 0 {
		t.Errorf("a stale press was answered with messages %q", texts(ms))
	}
}

// Ensure that updates of odd shapes, which Telegram should not send but a
// proxy or a future API version might, are dropped without a crash and
// leave the journal.
func TestBot_OddUpdates(t *testing.T) {
	e := startEnv(t)
	ani := telegramtest.User{ID: 3001, FirstName: "Ani", LanguageCode: "id"}
	private := map[string]any{"id": ani.ID, "type": "private", "first_name": "Ani"}
	from := map[string]any{"id": ani.ID, "is_bot": false, "first_name": "Ani"}
	var ids []int64
	for _, u := range []map[string]any{
		{},
		{"message": nil},
		{"message": map[string]any{"message_id": 1, "date": 1, "chat": private, "text": "/start"}}, // no from
		{"message": map[string]any{"message_id": 2, "date": 1, "from": from, "text": "/start"}},    // no chat
		{"message": map[string]any{"message_id": 3, "date": 1, "from": map[string]any{"id": 9, "is_bot": true, "first_name": "Spam"}, "chat": map[string]any{"id": 9, "type": "private"}, "text": "/start"}},
		{"message": map[string]any{"message_id": 4, "date": 1, "from": from, "chat": map[string]any{"id": 3002, "type": "private"}, "text": "/start"}}, // chat of someone else
		{"message": map[string]any{"message_id": 5, "date": 1, "from": from, "chat": private}},                                                         // no content
		{"edited_message": map[string]any{"message_id": 6, "date": 1, "chat": private, "text": "x"}},
		{"callback_query": map[string]any{"id": "cb1", "from": from, "chat_instance": "1", "data": "0:reg"}}, // no message (inline mode)
		{"callback_query": map[string]any{"id": "cb2", "chat_instance": "1", "data": "0:reg", "message": map[string]any{"message_id": 1, "date": 0, "chat": private}}},
		{"callback_query": map[string]any{"id": "cb3", "from": from, "chat_instance": "1"}},
		{"my_chat_member": map[string]any{"chat": private, "from": from, "date": 1}},
		{"my_chat_member": map[string]any{"chat": map[string]any{"id": -100, "type": "group"}, "from": from, "date": 1,
			"old_chat_member": map[string]any{"status": "left", "user": from}, "new_chat_member": map[string]any{"status": "member", "user": from}}},
		{"poll": map[string]any{"id": "p", "question": "?", "options": []any{}}},
		{"inline_query": map[string]any{"id": "q", "from": from, "query": "daftar", "offset": ""}},
	} {
		ids = append(ids, e.srv.InjectUpdate(rawUpdate(t, u)))
	}
	// Undecodable updates leave the journal without being handled.
	e.srv.InjectUpdate(json.RawMessage(`{"message":"not an object"}`))
	e.srv.InjectUpdate(json.RawMessage(`{"callback_query":{"id":5,"from":"x"}}`))
	e.waitHandled(ids...)
	// Anyone's later update is handled after them: Ani's own proves it.
	e.act(ani, says("/start", "Selamat datang"))
	e.assertIdle()
	if n := e.logs.count("panic"); n != 0 {
		t.Errorf("%d panics logged:\n%s", n, e.logs.String())
	}
	// The one message without content (a service message, say) gets the
	// answer any non-text message gets; nothing else is answered.
	if got := texts(e.srv.Sent()); len(got) != 2 || !strings.HasPrefix(got[0], "Maaf, di sini saya hanya bisa membaca pesan teks.") || !strings.HasPrefix(got[1], "Selamat datang") {
		t.Errorf("the bot sent %q, want the text-only note and the welcome", got)
	}
	if _, ok := e.conversation(3002); ok {
		t.Error("a conversation was stored for a chat the sender does not own")
	}
}

// longName is a name of about 900 characters: letters and spaces, as a
// text field capped at 1000 takes it.
var longName = strings.TrimSpace(strings.Repeat("Siti Nurhaliza Binti Abdullah ", 30))

// assertDelivered checks that every sendMessage the bot tried to chat
// since seq was taken (the fake server refuses a text over 4096
// characters), and returns the messages sent.
func (e *env) assertDelivered(before int, chat int64, seq int64) []telegramtest.Message {
	e.t.Helper()
	sent := withMethod(e.srv.SentTo(chat), "sendMessage")
	var out []telegramtest.Message
	for _, m := range sent {
		if m.Seq > seq {
			out = append(out, m)
		}
	}
	if tried := e.srv.Requests("sendMessage") - before; tried != len(out) {
		e.t.Errorf("%d sendMessage requests, %d taken: Telegram refused a message", tried, len(out))
	}
	return out
}

// Ensure that a text too long for one Telegram message arrives in several,
// cut between lines with the HTML of each well-formed and the buttons on
// the last: the summary and /dataku with long answers, the welcome with
// many batches, /log with long names.
func TestBot_LongReplies(t *testing.T) {
	t.Run("SummaryAndDataku", func(t *testing.T) {
		e := newEnv(t)
		e.course.Fields = nil
		for i := range 6 {
			e.course.Fields = append(e.course.Fields, store.Field{Key: fmt.Sprintf("note%d", i), Kind: store.KindText, Label: fmt.Sprintf("Catatan <%d>", i), Min: 1, Max: 1000})
		}
		e.start()
		u := siti.user
		e.script(u, []action{says("/start", "Selamat datang"), presses("Daftar", "Persetujuan"), presses("Setuju", "Pertanyaan 1 dari 6")})
		for i := range 5 {
			e.act(u, says(longName, fmt.Sprintf("Pertanyaan %d dari 6", i+2)))
		}
		before, seq := e.srv.Requests("sendMessage"), e.srv.LastSeq()
		e.step(u.ID, func() int64 { return e.srv.SendText(u, longName+" akhir") })
		parts := e.assertDelivered(before, u.ID, seq)
		if len(parts) < 2 || !strings.Contains(parts[0].Text, "Periksa kembali data Anda") {
			t.Fatalf("summary in %d messages: %q", len(parts), texts(parts))
		}
		all := strings.Join(texts(parts), "\n")
		if strings.Count(all, longName) != 6 || !strings.Contains(all, longName+" akhir") || !strings.Contains(all, "Catatan <5>") {
			t.Errorf("the summary lost answers:\n%s", all)
		}
		for _, p := range parts[:len(parts)-1] {
			if len(p.Inline) != 0 {
				t.Errorf("buttons on a part but the last: %q", labels(p))
			}
		}
		e.act(u, presses("Konfirmasi", "Pendaftaran berhasil"))

		before, seq = e.srv.Requests("sendMessage"), e.srv.LastSeq()
		e.step(u.ID, func() int64 { return e.srv.SendText(u, "/dataku") })
		parts = e.assertDelivered(before, u.ID, seq)
		if all := strings.Join(texts(parts), "\n"); len(parts) < 2 || strings.Count(all, longName) != 6 {
			t.Errorf("/dataku in %d messages:\n%s", len(parts), all)
		}
		e.assertIdle()
	})

	t.Run("WelcomeWithManyBatches", func(t *testing.T) {
		e := newEnv(t)
		open := e.course.Batches[1]
		e.course.Batches = e.course.Batches[:1]
		for i := range 60 {
			bt := open
			bt.ID, bt.Name = fmt.Sprintf("angkatan-%d", i+2), fmt.Sprintf("Angkatan %d Kelas Menjahit Busana Muslim dan Seragam Sekolah & Kantor", i+2)
			bt.Start = open.Start.AddDate(0, 0, 7*i)
			e.course.Batches = append(e.course.Batches, bt)
		}
		e.start()
		u := budi.user
		before, seq := e.srv.Requests("sendMessage"), e.srv.LastSeq()
		e.step(u.ID, func() int64 { return e.srv.SendText(u, "/start") })
		parts := e.assertDelivered(before, u.ID, seq)
		if len(parts) < 2 || !strings.Contains(parts[0].Text, "Selamat datang") {
			t.Fatalf("welcome in %d messages: %q", len(parts), texts(parts))
		}
		if all := strings.Join(texts(parts), "\n"); !strings.Contains(all, "Angkatan 61 Kelas") {
			t.Errorf("the welcome lost batches:\n%s", all)
		}
		if !slices.Contains(labels(parts[len(parts)-1]), "Daftar") {
			t.Errorf("last part's buttons %q, want Daftar", labels(parts[len(parts)-1]))
		}
		e.act(u, presses("Daftar", "Persetujuan"))
	})

	t.Run("Log", func(t *testing.T) {
		e := orgEnv(t, true)
		ps := e.orgSeed("angkatan-3", store.StatusRegistered, 1001, 1)
		err := e.db.Update(func(tx *store.Tx) error {
			if _, err := tx.UpdateAnswers(store.Seats{Batch: store.Batch{ID: "angkatan-3"}}, ps[0].id, map[string]string{"name": longName}, time.Now()); err != nil {
				return err
			}
			for i := range 20 {
				err := tx.Audit(store.AuditEntry{At: fixedNow, By: rina.ID, ByName: "Rina", Action: store.AuditAttendance,
					Batch: "angkatan-3", Subject: ps[0].id, Day: 1 + i%4, Detail: "present"})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		before, seq := e.srv.Requests("sendMessage"), e.srv.LastSeq()
		e.step(rina.ID, func() int64 { return e.srv.SendText(rina, "/log") })
		parts := e.assertDelivered(before, rina.ID, seq)
		if all := strings.Join(texts(parts), "\n"); len(parts) < 2 || strings.Count(all, longName) != 20 {
			t.Errorf("/log in %d messages:\n%s", len(parts), all)
		}
	})
}
