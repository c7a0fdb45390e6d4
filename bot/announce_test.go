package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// annCopies returns the copyMessage actions to anyone but the organisers,
// by chat.
func (e *env) annCopies() map[int64][]telegramtest.Message {
	out := map[int64][]telegramtest.Message{}
	for _, m := range withMethod(e.srv.Sent(), "copyMessage") {
		if m.ChatID != rina.ID && m.ChatID != dewi.ID && m.ChatID != ann.ID {
			out[m.ChatID] = append(out[m.ChatID], m)
		}
	}
	return out
}

// announcement reads announcement id.
func (e *env) announcement(id uint64) store.Announcement {
	e.t.Helper()
	var a store.Announcement
	if err := e.db.View(func(tx *store.Tx) error { var err error; a, err = tx.Announcement(id); return err }); err != nil {
		e.t.Fatalf("announcement %d: %v", id, err)
	}
	return a
}

// waitReported waits for the final report of announcement id and returns
// the progress message as it ends.
func (e *env) waitReported(id uint64, within time.Duration) telegramtest.Message {
	e.t.Helper()
	var a store.Announcement
	e.orgWaitFor(fmt.Sprintf("report of announcement %d", id), within, func() bool {
		a = e.announcement(id)
		return !a.ReportedAt.IsZero()
	})
	m, ok := e.srv.Current(a.ChatID, int64(a.ProgressID))
	if !ok {
		e.t.Fatalf("progress message %d of announcement %d not found", a.ProgressID, id)
	}
	return m
}

// draftAnnouncement has u start an announcement, send it with send (a
// function that sends u's message and returns the update id) and choose
// audience; it returns the id of u's message and the Kirim/Batal prompt.
func (e *env) draftAnnouncement(u telegramtest.User, send func() int64, audience string) (msgID int64, prompt telegramtest.Message) {
	e.t.Helper()
	ask := last(e.t, e.text(u, "/umumkan"))
	if !slices.Contains(labels(ask), "Batal") && !slices.Contains(labels(ask), "Cancel") {
		e.t.Fatalf("/umumkan answered %q %q", ask.Text, labels(ask))
	}
	choice := last(e.t, e.step(u.ID, send))
	msgID = choice.MessageID - 1 // u's message, just before the answer
	ms := e.press(u, audience)
	preview := withMethod(ms, "copyMessage")
	if len(preview) != 1 || preview[0].ChatID != u.ID || preview[0].FromChatID != u.ID || preview[0].CopiedID != msgID {
		e.t.Fatalf("preview %+v, want a copy of message %d", preview, msgID)
	}
	prompt = last(e.t, ms)
	if prompt.Seq < preview[0].Seq {
		e.t.Error("the prompt came before the preview")
	}
	return msgID, prompt
}

// Ensure that a text announcement goes to one batch only, copied from the
// organiser's chat once to each, with a preview, a progress message that
// ends in the report, /umumkan_status and /log; and that Kirim pressed
// again sends nothing more.
func TestAnnounce_Text(t *testing.T) {
	e := orgEnv(t, false)
	reg := e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 3)
	waiting := e.orgSeed("angkatan-2", store.StatusWaiting, 2001, 1)
	other := e.orgSeed("", "", 3001, 1) // talked to the bot, never registered

	ask := last(t, e.text(rina, "/umumkan"))
	if !strings.Contains(ask.Text, "Pesan Anda berikutnya menjadi pengumuman") {
		t.Fatalf("/umumkan: %q", ask.Text)
	}
	text := "Besok mulai pukul 08.00 <tepat> & bawa KTP"
	ms := e.text(rina, text)
	choice := last(t, ms)
	want := []string{"Semua peserta (3)", "Angkatan 1 (0)", "Angkatan 2 (3)", "Daftar tunggu (1)", "Semua yang pernah mendaftar (5)", "Batal"}
	if !slices.Equal(labels(choice), want) {
		t.Fatalf("audience buttons %q, want %q", labels(choice), want)
	}
	if _, found := e.conversation(rina.ID); found {
		t.Error("the announcement reached the participant conversation")
	}
	msgID := choice.MessageID - 1

	ms = e.press(rina, "Angkatan 2 (3)")
	if got := lastEdit(t, ms); !strings.Contains(got.Text, "Penerima: Angkatan 2 (3 orang)") || len(got.Inline) != 0 {
		t.Errorf("audience message after the choice: %q %q", got.Text, labels(got))
	}
	preview := withMethod(ms, "copyMessage")
	if len(preview) != 1 || preview[0].ChatID != rina.ID || preview[0].FromChatID != rina.ID || preview[0].CopiedID != msgID || preview[0].Text != text {
		t.Fatalf("preview %+v", preview)
	}
	prompt := last(t, ms)
	if !strings.Contains(prompt.Text, "Kirim ke Angkatan 2 (3 orang)?") || !slices.Equal(labels(prompt), []string{"Kirim", "Batal"}) {
		t.Fatalf("prompt %q %q", prompt.Text, labels(prompt))
	}
	if len(e.annCopies()) != 0 {
		t.Fatal("sent before Kirim")
	}

	send := buttonData(t, prompt, "Kirim")
	if got := lastEdit(t, e.press(rina, "Kirim")); !strings.Contains(got.Text, "Pengumuman #1 untuk Angkatan 2 masuk antrean: 3 penerima") {
		t.Errorf("after Kirim: %q", got.Text)
	}
	report := e.waitReported(1, wait)
	for _, want := range []string{"Pengumuman #1 untuk Angkatan 2 selesai", "Terkirim: 3", "Memblokir bot: 0", "Gagal: 0"} {
		if !strings.Contains(report.Text, want) {
			t.Errorf("report lacks %q:\n%s", want, report.Text)
		}
	}
	got := e.annCopies()
	for _, p := range reg {
		cs := got[p.id]
		if len(cs) != 1 || cs[0].FromChatID != rina.ID || cs[0].CopiedID != msgID || cs[0].Text != text {
			t.Errorf("%d got %+v", p.id, cs)
		}
	}
	if len(got) != len(reg) {
		t.Errorf("copies went to %d chats, want %d (not %d, %d)", len(got), len(reg), waiting[0].id, other[0].id)
	}

	// Kirim again, on the message that had the button.
	if toast, _ := toast(e.forge(rina, prompt.MessageID, send)); toast != "Pengumuman ini sudah dikirim." {
		t.Errorf("second Kirim: toast %q", toast)
	}
	status := last(t, e.text(rina, "/umumkan_status"))
	for _, want := range []string{"#1 · Sabtu, 28 Nov 2026 10:00 · Angkatan 2 · teks", "Terkirim: 3"} {
		if !strings.Contains(status.Text, want) {
			t.Errorf("/umumkan_status lacks %q:\n%s", want, status.Text)
		}
	}
	if log := last(t, e.text(rina, "/log")); !strings.Contains(log.Text, "Rina (#910001): mengirim pengumuman #1 ke Angkatan 2") {
		t.Errorf("/log:\n%s", log.Text)
	}
	if n := len(e.annCopies()[reg[0].id]); n != 1 {
		t.Errorf("%d copies after the second Kirim", n)
	}
	e.assertIdle()
}

// Ensure that a photo with a caption goes, as a copy, to the waiting list
// only, for an organiser who reads English.
func TestAnnounce_Photo(t *testing.T) {
	e := orgEnv(t, false)
	e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 2)
	waiting := e.orgSeed("angkatan-2", store.StatusWaiting, 2001, 2)

	photo := map[string]any{
		"photo":   []map[string]any{{"file_id": "AgADBAAD-jadwal", "file_unique_id": "jadwal1", "width": 1280, "height": 960}},
		"caption": "Jadwal baru angkatan 2",
	}
	msgID, prompt := e.draftAnnouncement(ann, func() int64 { return e.srv.SendMessage(ann, photo) }, "Waiting list (2)")
	if !strings.Contains(prompt.Text, "Send it to the waiting list (2 people)?") {
		t.Errorf("prompt %q", prompt.Text)
	}
	e.press(ann, "Send")
	report := e.waitReported(1, wait)
	if !strings.Contains(report.Text, "Delivered: 2") {
		t.Errorf("report:\n%s", report.Text)
	}
	got := e.annCopies()
	if len(got) != 2 {
		t.Errorf("copies to %d chats, want the 2 waiting", len(got))
	}
	for _, w := range waiting {
		cs := got[w.id]
		if len(cs) != 1 || cs[0].FromChatID != ann.ID || cs[0].CopiedID != msgID || cs[0].Caption != "Jadwal baru angkatan 2" {
			t.Errorf("%d got %+v", w.id, cs)
		}
	}
	if status := last(t, e.text(ann, "/announce_status")); !strings.Contains(status.Text, "the waiting list · photo") {
		t.Errorf("/announce_status:\n%s", status.Text)
	}
}

// Ensure that Batal and /batal drop a draft at every step, and that the
// organiser's next message then goes to the conversation again.
func TestAnnounce_Cancel(t *testing.T) {
	e := orgEnv(t, false)
	e.orgSeed("angkatan-2", store.StatusRegistered, 1001, 2)

	e.text(rina, "/umumkan")
	if got := last(t, e.text(rina, "/batal")); !strings.Contains(got.Text, "Pengumuman dibatalkan") {
		t.Errorf("/batal: %q", got.Text)
	}
	if got := last(t, e.text(rina, "halo")); slices.Contains(labels(got), "Batal") || !strings.Contains(got.Text, "Selamat datang") {
		t.Errorf("after /batal a message went to %q %q", got.Text, labels(got))
	}

	e.text(rina, "/umumkan")
	e.text(rina, "Pengumuman yang salah")
	if got := lastEdit(t, e.press(rina, "Batal")); !strings.Contains(got.Text, "Pengumuman dibatalkan") {
		t.Errorf("Batal on the audience: %q", got.Text)
	}

	_, prompt := e.draftAnnouncement(rina, func() int64 { return e.srv.SendText(rina, "Salah lagi") }, "Semua peserta (2)")
	send := buttonData(t, prompt, "Kirim")
	if got := lastEdit(t, e.press(rina, "Batal")); !strings.Contains(got.Text, "Pengumuman dibatalkan") {
		t.Errorf("Batal on the prompt: %q", got.Text)
	}
	if toast, _ := toast(e.forge(rina, prompt.MessageID, send)); toast != "Tombol ini sudah tidak berlaku." {
		t.Errorf("Kirim after Batal: toast %q", toast)
	}
	// Another organiser cannot send Rina's draft either.
	_, prompt = e.draftAnnouncement(rina, func() int64 { return e.srv.SendText(rina, "Untuk semua") }, "Semua peserta (2)")
	if toast, _ := toast(e.forge(dewi, prompt.MessageID, buttonData(t, prompt, "Kirim"))); toast != "Tombol ini sudah tidak berlaku." {
		t.Errorf("Dewi pressing Rina's Kirim: toast %q", toast)
	}
	counts, err := e.db.OutboxCounts()
	if err != nil || len(counts) != 0 {
		t.Errorf("outbox %v, %v: want empty", counts, err)
	}
	if len(e.annCopies()) != 0 {
		t.Error("something was sent")
	}
	e.assertIdle()
}

// Ensure that an announcement to 500 people, some of whom blocked the bot,
// with a 429 midway, reaches every reachable person exactly once, that the
// report matches what Telegram saw, and that the progress message was
// edited on the way.
func TestAnnounce_Bulk(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 500 messages at 30 a second")
	}
	e := orgEnv(t, false)
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 100001, 500)
	blocked := map[int64]bool{}
	for i, p := range ps {
		if i%25 == 7 {
			blocked[p.id] = true
			e.srv.Block(p.id)
		}
	}
	_, _ = e.draftAnnouncement(rina, func() int64 { return e.srv.SendText(rina, "Sertifikat bisa diambil mulai Senin.") }, "Semua peserta (500)")
	e.press(rina, "Kirim")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n := 0
	_, err := e.srv.WaitSent(ctx, 0, func(m telegramtest.Message) bool {
		if m.Method == "copyMessage" && m.ChatID != rina.ID {
			n++
		}
		return n == 150
	})
	if err != nil {
		t.Fatalf("waiting for 150 copies: %v", err)
	}
	e.srv.Inject("copyMessage", telegramtest.Fault{Status: 429, RetryAfter: 1, Times: 1})

	report := e.waitReported(1, 2*time.Minute)
	got := e.annCopies()
	delivered := 0
	for _, p := range ps {
		switch c := len(got[p.id]); {
		case blocked[p.id] && c != 0:
			t.Errorf("%d blocked the bot but got %d copies", p.id, c)
		case !blocked[p.id] && c != 1:
			t.Errorf("%d got %d copies, want 1", p.id, c)
		}
		delivered += len(got[p.id])
	}
	if delivered != 480 || len(blocked) != 20 {
		t.Errorf("delivered %d, blocked %d: want 480, 20", delivered, len(blocked))
	}
	for _, want := range []string{fmt.Sprintf("Terkirim: %d", delivered), fmt.Sprintf("Memblokir bot: %d", len(blocked)), "Gagal: 0"} {
		if !strings.Contains(report.Text, want) {
			t.Errorf("report lacks %q:\n%s", want, report.Text)
		}
	}
	// The preview, 500 tries and the one refused with 429.
	if n := e.srv.Requests("copyMessage"); n != 502 {
		t.Errorf("%d copyMessage requests, want 502", n)
	}
	var progress int
	for _, m := range withMethod(e.srv.SentTo(rina.ID), "editMessageText") {
		if m.MessageID == report.MessageID && strings.Contains(m.Text, "/500 ") && strings.Contains(m.Text, "%") {
			progress++
		}
	}
	if progress == 0 {
		t.Error("the progress message was never edited with the progress")
	}
	var unreachable int
	err = e.db.View(func(tx *store.Tx) error {
		for id := range blocked {
			if tx.Unreachable(id) {
				unreachable++
			}
		}
		return nil
	})
	if err != nil || unreachable != len(blocked) {
		t.Errorf("%d of %d blocked people recorded unreachable (%v)", unreachable, len(blocked), err)
	}
}

// Ensure that a restart in the middle of sending, and Kirim pressed again
// after it, still deliver the announcement once to each.
func TestAnnounce_RestartMidSend(t *testing.T) {
	e := orgEnv(t, false)
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 100001, 60)
	_, prompt := e.draftAnnouncement(rina, func() int64 { return e.srv.SendText(rina, "Besok libur.") }, "Semua peserta (60)")
	send := buttonData(t, prompt, "Kirim")
	e.press(rina, "Kirim")
	e.orgWaitFor("10 copies", wait, func() bool { return len(e.annCopies()) >= 10 })
	e.restart()
	if got := len(e.annCopies()); got >= len(ps) {
		t.Logf("all %d sent before the restart took effect", got)
	}
	if toast, _ := toast(e.forge(rina, prompt.MessageID, send)); toast != "Pengumuman ini sudah dikirim." {
		t.Errorf("Kirim after the restart: toast %q", toast)
	}
	report := e.waitReported(1, wait)
	if !strings.Contains(report.Text, "Terkirim: 60") {
		t.Errorf("report:\n%s", report.Text)
	}
	got := e.annCopies()
	for _, p := range ps {
		if len(got[p.id]) != 1 {
			t.Errorf("%d got %d copies, want 1", p.id, len(got[p.id]))
		}
	}
	// The report is in the progress message that was there before.
	if sent := withMethod(e.srv.SentTo(rina.ID), "sendMessage"); len(sent) == 0 {
		t.Fatal("no message to Rina")
	}
	var progressMsgs int
	for _, m := range sends(e.srv.SentTo(rina.ID)) {
		if strings.HasPrefix(m.Text, "📣 Pengumuman #1 untuk") {
			progressMsgs++
		}
	}
	if progressMsgs != 1 {
		t.Errorf("%d progress messages, want 1 carried on after the restart", progressMsgs)
	}
}

// Ensure that a crash after Telegram took the first progress message but
// before the bot learnt its id sends no second progress message: the
// message is marked as being sent before the request, and after the
// restart the report comes as a message of its own.
func TestAnnounce_ProgressCrash(t *testing.T) {
	e := orgEnv(t, false)
	ps := e.orgSeed("angkatan-2", store.StatusRegistered, 100001, 60)
	_, _ = e.draftAnnouncement(rina, func() int64 { return e.srv.SendText(rina, "Besok libur.") }, "Semua peserta (60)")
	// Telegram takes the progress message and the answer never comes.
	e.srv.Inject("sendMessage", telegramtest.Fault{Late: true, Delay: time.Hour, Times: 1, ChatID: rina.ID})
	e.press(rina, "Kirim")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	isProgress := func(m telegramtest.Message) bool {
		return m.ChatID == rina.ID && m.Method == "sendMessage" && strings.HasPrefix(m.Text, "📣 Pengumuman #1 untuk") && strings.Contains(m.Text, "%")
	}
	if _, err := e.srv.WaitSent(ctx, 0, isProgress); err != nil {
		t.Fatalf("no progress message: %v", err)
	}
	e.restart()
	if got := len(e.annCopies()); got >= len(ps) {
		t.Logf("all %d sent before the restart took effect", got)
	}
	isReport := func(m telegramtest.Message) bool {
		return m.ChatID == rina.ID && strings.Contains(m.Text, "Pengumuman #1 untuk semua peserta selesai") && strings.Contains(m.Text, "Terkirim: 60")
	}
	// The report is marked before it is sent: wait for the message itself.
	e.orgWaitFor("the report", wait, func() bool { return !e.announcement(1).ReportedAt.IsZero() })
	if _, err := e.srv.WaitSent(ctx, 0, isReport); err != nil {
		t.Fatalf("no report message: %v", err)
	}
	var progress, reports int
	for _, m := range e.srv.SentTo(rina.ID) {
		switch {
		case isProgress(m):
			progress++
		case isReport(m):
			reports++
		}
	}
	if progress != 1 || reports != 1 {
		t.Errorf("%d progress messages and %d reports, want 1 and 1: %q", progress, reports, texts(e.srv.SentTo(rina.ID)))
	}
}
