package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// The hostile-input battery: updates no well-behaved client sends and
// texts nobody should type. Each is answered kindly or ignored, never
// with a panic, and changes nothing it should not.
//
// Already covered elsewhere, and not repeated here (handler_test.go):
// missing from/chat/content, bots as senders, chats the sender does not
// own, callbacks without message or data, my_chat_member oddities, poll
// and inline_query updates, undecodable updates (TestBot_OddUpdates);
// another person's contact and contacts without a user id
// (TestBot_BadInput/OtherPersonsContact); callbacks on another person's
// message or in a group (CallbackFromAnotherChat); forged callback data
// of 65 bytes, over 64 bytes but well formed, empty, garbage, negative or
// foreign counters, non-ASCII and NUL (ForgedCallback, ForgedOption);
// stale buttons; 4,097-character texts (TooLong); edited messages.

// hostileCalm checks that the bot logged no panic and left nothing
// behind in the journal or the pending replies.
func hostileCalm(e *env) {
	e.t.Helper()
	if n := e.logs.count("panic"); n != 0 {
		e.t.Errorf("%d panics logged:\n%s", n, e.logs.String())
	}
	e.assertIdle()
}

// hostileStored returns userID's registration in Angkatan 2.
func hostileStored(e *env, userID int64) store.Participant {
	e.t.Helper()
	for _, p := range e.participants() {
		if p.UserID == userID && p.Batch == "angkatan-2" {
			return p
		}
	}
	e.t.Fatalf("user %d is not registered", userID)
	return store.Participant{}
}

// Ensure that markup in answers is stored as typed and shown as typed:
// the fake server refuses malformed HTML with 400, so every summary, the
// question showing the previous answer and /dataku arriving at all proves
// the bot escaped it, and their text proves nothing was lost. Invisible
// characters (bidirectional overrides, zero-width spaces, NUL) are
// dropped, emoji are kept.
func TestBot_Hostile(t *testing.T) {
	t.Run("Answers", func(t *testing.T) {
		for i, c := range []struct {
			name, address string
			storedName    string // "" when stored as typed
		}{
			{name: "<b>Siti</b> Aminah", address: "Jl. <i>Mawar</i> 5"},
			{name: "Siti </i></b> Aminah", address: "</a> Dusun Krajan"},
			{name: `<a href="https://evil.example/">Siti</a>`, address: `<a href='tg://user?id=1'>x</a> Ajung`},
			{name: "Siti & Budi &amp; &lt;3 &#60;", address: "RT 01 & RW 02 <> Kaliwates"},
			{name: "<script>alert(1)</script> Siti", address: "<!-- x --> <![CDATA[y]]> Jember"},
			{name: "*Siti* _Aminah_ `kode` [x](http://evil.example)", address: "~~coret~~ ||spoiler|| Sumbersari"},
			{name: "\u202eSiti Aminah\u202c", address: "Jl. \u2066Mawar\u2069 5", storedName: "Siti Aminah"},
			{name: "Si\u200bti\u200d A\ufeffminah\u00ad", address: "Jl. Mawar\u200b 5", storedName: "Siti Aminah"},
			{name: "Siti\x00 Aminah\x00", address: "Jl.\x00 Mawar 5", storedName: "Siti Aminah"},
			// The zero-width joiners of a family emoji go with the other
			// invisible characters.
			{name: "Siti 🌸 Aminah 👩‍👩‍👧", address: "Jl. Mawar 5 🏠", storedName: "Siti 🌸 Aminah 👩👩👧"},
			{name: "<b></b> <i></i>", address: "<br/> <p>"},
		} {
			t.Run(fmt.Sprintf("%d/%.16q", i, c.name), func(t *testing.T) {
				p := newPerson(int64(810001+i), "Hostile Person")
				p.name, p.address = c.name, c.address
				e := at(t, p, 9) // every answer accepted, at the summary
				want := c.storedName
				if want == "" {
					want = c.name
				}
				wantAddr := strings.NewReplacer("\u2066", "", "\u2069", "", "\u200b", "", "\x00", "").Replace(c.address)
				summary := last(t, e.srv.SentTo(p.user.ID))
				for _, s := range []string{want, wantAddr} {
					if !strings.Contains(summary.Text, s) {
						t.Errorf("the summary does not show %q as typed:\n%s", s, summary.Text)
					}
				}
				// The previous answer, shown again when changing it.
				e.act(p.user, presses("Ubah", "Data mana yang ingin diubah?"))
				ms := e.act(p.user, presses("Nama lengkap (sesuai KTP)", "Pertanyaan 1 dari 6"))
				if !said(ms, "Jawaban sebelumnya: "+want) {
					t.Errorf("the name question does not show the previous answer %q: %q", want, texts(ms))
				}
				e.act(p.user, says(c.name, "Periksa kembali data Anda"))
				e.act(p.user, presses("Konfirmasi", "Pendaftaran berhasil"))
				got := hostileStored(e, p.user.ID)
				if got.Answers["name"] != want || got.Answers["address"] != wantAddr {
					t.Errorf("stored name %q, address %q; want %q, %q", got.Answers["name"], got.Answers["address"], want, wantAddr)
				}
				if ms := e.act(p.user, says("/dataku", "Data Anda yang tersimpan")); !said(ms, want) {
					t.Errorf("/dataku does not show %q: %q", want, texts(ms))
				}
				hostileCalm(e)
			})
		}
	})

	t.Run("RejectedAnswers", func(t *testing.T) {
		// Texts that are no name at all: asked again, nothing stored.
		for _, c := range []struct{ text, want string }{
			{"🌸🌸🌸", "Mohon tulis dengan huruf atau angka."},
			{"👩‍👩‍👧‍👦 🇮🇩", "Mohon tulis dengan huruf atau angka."},
			{"\u202e\u202d\u200b\u2066", "Jawaban masih kosong."},
			{"\x00\x00\x00", "Jawaban masih kosong."},
			{"<> </> &&& <!-- -->", "Mohon tulis dengan huruf atau angka."},
			{strings.Repeat("A", 10000), "Pesan itu terlalu panjang."},
			{strings.Repeat("<b>", 3000), "Pesan itu terlalu panjang."},
			{strings.Repeat("👩‍👩‍👧‍👦", 1000), "Pesan itu terlalu panjang."},
		} {
			t.Run(fmt.Sprintf("%.16q", c.text), func(t *testing.T) {
				e := at(t, siti, 3)
				e.rejects(siti.user.ID, func() int64 { return e.srv.SendText(siti.user, c.text) }, c.want, "Pertanyaan 1 dari 6")
				hostileCalm(e)
			})
		}
	})

	t.Run("HostileNumbers", func(t *testing.T) {
		e := at(t, siti, 4) // the phone question
		u := siti.user
		for _, phone := range []string{"<b>0812</b>", "+62 812 3456 7890 ext. <i>1</i>", strings.Repeat("8", 10000), "0812\x003456\x007890\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00x"} {
			// Typed, and as the person's own contact card.
			e.rejects(u.ID, func() int64 { return e.srv.SendText(u, phone) }, "Pertanyaan 2 dari 6")
			e.rejects(u.ID, func() int64 { return e.srv.SendContact(u, phone, u.ID) }, "Nomor itu tidak bisa kami baca", "Pertanyaan 2 dari 6")
		}
		e.act(u, sharesContact(siti.phone, "Pertanyaan 3 dari 6"))
		for _, nik := range []string{"<b>3509015708900001</b>", "35090145019000\x0001x", "３５０９０１４５０１９０００１", strings.Repeat("3", 10000)} {
			e.rejects(u.ID, func() int64 { return e.srv.SendText(u, nik) }, "Pertanyaan 3 dari 6")
		}
		hostileCalm(e)
	})

	t.Run("Commands", func(t *testing.T) {
		// A deep link is never echoed; odd commands are unknown commands.
		e := startEnv(t)
		u := siti.user
		for _, c := range []struct{ text, want string }{
			{`/start <b>x</b>`, "Tautan itu tidak menunjuk ke angkatan yang kami kenal."},
			{"/start ../../../etc/passwd", "Tautan itu tidak menunjuk ke angkatan yang kami kenal."},
			{"/start " + strings.Repeat("angkatan-2", 400), "Tautan itu tidak menunjuk ke angkatan yang kami kenal."},
			{"/start\x00angkatan-2", "Perintah itu tidak dikenal."},
			{"/<b>start</b>", "Perintah itu tidak dikenal."},
			{"/" + strings.Repeat("x", 4000), "Perintah itu tidak dikenal."},
			{"/start@" + strings.Repeat("b", 3000), "Selamat datang"},
		} {
			ms := e.text(u, c.text)
			if !said(ms, c.want) {
				t.Errorf("%.30q: the bot answered %q, want %q", c.text, texts(ms), c.want)
			}
			for _, m := range sends(ms) {
				if strings.Contains(m.RawText, "<b>x") || strings.Contains(m.RawText, "passwd") || strings.Contains(m.RawText, "angkatan-2angkatan-2") {
					t.Errorf("%.30q: the bot echoed the argument: %q", c.text, m.RawText)
				}
			}
		}
		if ps := e.participants(); len(ps) != 0 {
			t.Errorf("commands registered %+v", ps)
		}
		hostileCalm(e)
	})

	t.Run("OversizedCallbackData", func(t *testing.T) {
		// Beyond ForgedCallback: kilobytes of data, markup, and a press on
		// a message the bot never sent, by someone it never met.
		e := at(t, siti, 3)
		u := siti.user
		q1 := last(t, e.srv.SentTo(u.ID))
		seq := e.seq(u.ID)
		for _, data := range []string{
			strings.Repeat(seq+":back:", 1000),
			seq + ":back:<b>x</b>",
			seq + ":cancel\n",
			seq + ":o:0:0:0",
		} {
			ms := e.rejects(u.ID, func() int64 { return e.srv.Callback(u, q1.MessageID, data) })
			assertStale(t, ms)
		}
		stranger := telegramtest.User{ID: 820001, FirstName: "Orang", LanguageCode: "id"}
		before := e.snapshot(stranger.ID)
		ms := e.step(stranger.ID, func() int64 { return e.srv.Callback(stranger, 999, "5:ok") })
		assertStale(t, ms)
		after := e.snapshot(stranger.ID)
		if after.Conv.State != "idle" && after.Conv.State != "" || len(after.Participants) != len(before.Participants) {
			t.Errorf("a press by a stranger changed the store: %+v", after)
		}
		hostileCalm(e)
	})

	t.Run("UnknownChats", func(t *testing.T) {
		// Chat types and update kinds the bot never asked for: ignored.
		e := startEnv(t)
		from := map[string]any{"id": 830001, "is_bot": false, "first_name": "Ani"}
		channel := map[string]any{"id": -1001, "type": "channel", "title": "Info Pelatihan"}
		super := map[string]any{"id": -1002, "type": "supergroup", "title": "FKJOB"}
		var ids []int64
		for _, u := range []map[string]any{
			{"channel_post": map[string]any{"message_id": 1, "date": 1, "chat": channel, "text": "/start"}},
			{"message": map[string]any{"message_id": 2, "date": 1, "chat": channel, "text": "/start", "sender_chat": channel}},
			{"message": map[string]any{"message_id": 3, "date": 1, "chat": super, "from": from, "text": "halo"}},
			{"message": map[string]any{"message_id": 4, "date": 1, "chat": map[string]any{"id": 830001, "type": "sender"}, "from": from, "text": "/start"}},
			{"message": map[string]any{"message_id": 5, "date": 1, "chat": map[string]any{"id": 830001, "type": "private"}, "from": map[string]any{"id": 830001, "is_bot": true, "first_name": "Bot"}, "text": "/start"}},
			{"message": map[string]any{"message_id": 6, "date": 1, "chat": map[string]any{"id": 0, "type": "private"}, "from": map[string]any{"id": 0, "is_bot": false, "first_name": "Nol"}, "text": "/start"}},
			{"message": map[string]any{"message_id": 7, "date": 1, "chat": map[string]any{"id": -830001, "type": "private"}, "from": map[string]any{"id": -830001, "is_bot": false, "first_name": "Neg"}, "text": "/start"}},
			{"callback_query": map[string]any{"id": "x1", "from": from, "chat_instance": "1", "data": "1:reg", "message": map[string]any{"message_id": 1, "date": 0, "chat": channel}}},
			{"callback_query": map[string]any{"id": "x2", "from": map[string]any{"id": -830001, "is_bot": false, "first_name": "Neg"}, "chat_instance": "1", "data": "0:reg",
				"message": map[string]any{"message_id": 1, "date": 0, "chat": map[string]any{"id": -830001, "type": "private"}}}},
			{"business_message": map[string]any{"message_id": 8, "date": 1, "chat": map[string]any{"id": 830001, "type": "private"}, "from": from, "text": "/start"}},
			{"message_reaction": map[string]any{"chat": map[string]any{"id": 830001, "type": "private"}, "message_id": 1, "date": 1}},
			{"chat_join_request": map[string]any{"chat": super, "from": from, "user_chat_id": 830001, "date": 1}},
		} {
			ids = append(ids, e.srv.InjectUpdate(rawUpdate(t, u)))
		}
		e.waitHandled(ids...)
		for _, m := range e.srv.Sent() {
			if m.Method == "sendMessage" && m.ChatID != 830001 {
				t.Errorf("the bot wrote %q to chat %d", m.Text, m.ChatID)
			}
		}
		for _, id := range []int64{0, -830001} {
			if c, ok := e.conversation(id); ok {
				t.Errorf("a conversation was stored for user id %d, which Telegram never gives anyone: %+v", id, c)
			}
		}
		if c, ok := e.conversation(830001); ok {
			t.Errorf("a conversation was started for 830001 by updates not from their private chat: %+v", c)
		}
		if ps := e.participants(); len(ps) != 0 {
			t.Errorf("participants %+v", ps)
		}
		hostileCalm(e)
	})

	t.Run("DuplicatedUpdateIDs", func(t *testing.T) {
		// Two updates with one update_id in one batch: the first is
		// handled, the second is dropped, never handled twice.
		e := startEnv(t)
		u := siti.user
		e.act(u, says("/start", "Selamat datang"))
		next := e.srv.SendText(u, "/bantuan") + 1
		e.waitHandled(next - 1)
		if err := e.stop(); err != nil {
			t.Fatal(err)
		}
		before := e.snapshot(u.ID)
		after := e.srv.LastSeq()
		e.srv.SetNextUpdateID(next)
		e.srv.SendText(u, "/status")
		e.srv.SetNextUpdateID(next)
		e.srv.SendText(u, "/hapusdata")
		e.srv.SetNextUpdateID(next - 1) // an id already handled
		e.srv.SendText(u, "/hapusdata")
		e.srv.SetNextUpdateID(next + 1)
		last := e.srv.SendText(u, "/bantuan")
		e.start()
		e.waitHandled(next, last)
		if n := e.handled.times(next); n != 1 {
			t.Errorf("update %d handled %d times", next, n)
		}
		got := texts(e.since(after, u.ID))
		if len(got) != 2 || !strings.Contains(got[0], "Anda belum terdaftar") || !strings.Contains(got[1], "/batal") {
			t.Errorf("after duplicated ids the bot said %q, want the /status answer and the help", got)
		}
		e.assertUnchanged(before, u.ID)
		hostileCalm(e)
	})

	t.Run("RawJSONOddities", func(t *testing.T) {
		// Valid JSON that no Bot API sends: wrong types, huge numbers,
		// deep nesting. Dropped or answered, never a crash.
		e := startEnv(t)
		var ids []int64
		deep := strings.Repeat(`{"a":`, 500) + "1" + strings.Repeat("}", 500)
		for _, raw := range []string{
			`{"message":{"message_id":1,"date":1,"chat":{"id":840001,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani"},"text":12345}}`,
			`{"message":{"message_id":1,"date":1,"chat":{"id":1e30,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani"},"text":"/start"}}`,
			`{"message":{"message_id":-1,"date":-1,"chat":{"id":840001,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani","language_code":"<b>"},"text":"/start"}}`,
			`{"message":{"message_id":2,"date":1,"chat":{"id":840001,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani"},"contact":{"phone_number":"","first_name":""}}}`,
			`{"message":{"message_id":3,"date":1,"chat":{"id":840001,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani"},"text":"","entities":[{"type":"bot_command","offset":99,"length":-5}]}}`,
			`{"callback_query":{"id":"","from":{"id":840001,"is_bot":false,"first_name":"Ani"},"chat_instance":"","data":null,"message":{"message_id":1,"date":0,"chat":{"id":840001,"type":"private"}}}}`,
			`{"message":` + deep + `}`,
			`{"edited_message":{"message_id":1,"date":1,"chat":{"id":840001,"type":"private"},"from":{"id":840001,"is_bot":false,"first_name":"Ani"},"text":"` + strings.Repeat("x", 10000) + `"}}`,
		} {
			if !json.Valid([]byte(raw)) {
				t.Fatalf("not JSON: %.60s", raw)
			}
			ids = append(ids, e.srv.InjectUpdate(json.RawMessage(raw)))
		}
		// Undecodable ones leave the journal unhandled; a later update of
		// the same person is handled after all of them.
		ani := telegramtest.User{ID: 840001, FirstName: "Ani", LanguageCode: "id"}
		e.act(ani, says("/start", "Selamat datang"))
		if ps := e.participants(); len(ps) != 0 {
			t.Errorf("participants %+v", ps)
		}
		hostileCalm(e)
		_ = ids
	})
}

// Ensure that a person who writes far faster than the bot answers gets
// their first messages handled and one polite "please wait" for the rest,
// which leave the journal unhandled, while someone else is answered
// meanwhile (issue 10: fair queues).
func TestBot_Flood(t *testing.T) {
	e := startEnv(t)
	u, other := siti.user, budi.user
	// The first answer to Siti hangs for a while, as over a bad line: her
	// backlog fills.
	e.srv.Inject("sendMessage", telegramtest.Fault{Delay: 2 * time.Second, Times: 1, ChatID: u.ID})
	const n = 120
	for i := range n {
		e.srv.SendText(u, fmt.Sprintf("halo %d", i))
	}
	e.act(other, says("/start", "Selamat datang"))
	for deadline := time.Now().Add(wait); len(e.journaled()) != 0 || len(e.pending()) != 0; {
		if time.Now().After(deadline) {
			t.Fatalf("journal %d, pending %d after %v", len(e.journaled()), len(e.pending()), wait)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		e.srv.WaitSent(ctx, e.srv.LastSeq(), nil)
		cancel()
	}
	if got := countSent(e.srv, u.ID, "Mohon tunggu sebentar"); got != 1 {
		t.Errorf("%d please-wait messages, want 1", got)
	}
	if got := len(sends(e.srv.SentTo(u.ID))); got > 12 {
		t.Errorf("%d messages to the flooding person, want her first ones answered and one please-wait", got)
	}
	hostileCalm(e)
	// Afterwards she is answered as anyone.
	e.act(u, says("/start", "Selamat datang"))
}
