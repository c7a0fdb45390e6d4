package bot_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// clock is a settable clock for the bot under test.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).In(jakarta) }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

// waitEnv is an env whose Angkatan 2 has the given seats, on a settable clock.
func waitEnv(t *testing.T, seats int) (*env, *clock) {
	t.Helper()
	e := newEnv(t)
	e.course.Batches[1].Capacity = seats
	clk := newClock(fixedNow)
	e.opt = func(o *bot.Options) { o.Now = clk.now; o.ClaimWindow = 24 * time.Hour }
	e.start()
	return e, clk
}

// register takes p through the whole form to the summary and presses
// Konfirmasi, returning the bot's answer.
func (e *env) register(p person) []telegramtest.Message {
	e.t.Helper()
	e.script(p.user, toSummary(p))
	return e.press(p.user, "Konfirmasi")
}

// waitFor waits until the bot sent chat a message containing part, after seq.
func (e *env) waitFor(seq, chat int64, part string) telegramtest.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	m, err := e.srv.WaitSent(ctx, seq, func(m telegramtest.Message) bool {
		return m.ChatID == chat && strings.Contains(m.Text, part)
	})
	if err != nil {
		e.t.Fatalf("chat %d: no message containing %q: %v (got %q)", chat, part, err, texts(e.since(seq, chat)))
	}
	return m
}

func (e *env) status(userID int64, batch string) store.Participant {
	e.t.Helper()
	for _, p := range e.participants() {
		if p.UserID == userID && p.Batch == batch {
			return p
		}
	}
	return store.Participant{}
}

// Ensure that a full batch leads to the waiting list, and that a freed
// seat is offered to the first person waiting, who can accept it; that a
// decline passes it on; and that an offer not taken in time passes on too.
func TestBot_WaitingList(t *testing.T) {
	e, clk := waitEnv(t, 2)
	ana, budi, citra, dewi, eka, fitri := newPerson(101, "Ana Lestari"), newPerson(102, "Budi Santoso"), newPerson(103, "Citra Dewi"),
		newPerson(104, "Dewi Sartika"), newPerson(105, "Eka Putri"), newPerson(106, "Fitri Handayani")
	e.register(ana)
	e.register(budi)
	for i, p := range []person{citra, dewi, eka, fitri} {
		ms := e.register(p)
		if !said(ms, "sudah penuh") || !labelled(ms, "Masuk daftar tunggu") {
			t.Fatalf("%s at a full batch got %q", p.name, texts(ms))
		}
		ms = e.press(p.user, "Masuk daftar tunggu")
		if want := "urutan ke-" + string(rune('1'+i)); !said(ms, want) {
			t.Fatalf("%s joining the waiting list got %q, want %q", p.name, texts(ms), want)
		}
	}

	t.Run("cancel offers the seat, accept takes it", func(t *testing.T) {
		ms := e.text(ana.user, "/status")
		if !said(ms, "kursi nomor 1") {
			t.Fatalf("status: %q", texts(ms))
		}
		e.act(ana.user, presses("Batalkan pendaftaran", "Yakin ingin membatalkan"))
		seq := e.srv.LastSeq()
		e.act(ana.user, presses("Batalkan pendaftaran", "sudah dibatalkan"))
		if got := e.status(ana.user.ID, "angkatan-2").Status; got != store.StatusCancelled {
			t.Fatalf("Ana is %q after cancelling", got)
		}
		offer := e.waitFor(seq, citra.user.ID, "Ada kursi kosong di Angkatan 2")
		if !strings.Contains(offer.Text, "Minggu, 29 Nov 2026 10:00") {
			t.Errorf("offer %q does not say until when (24 h claim window)", offer.Text)
		}
		ms = e.step(citra.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(citra.user, offer.MessageID, "Terima"); return id })
		if !said(ms, "Pendaftaran berhasil") || !said(ms, "kursi nomor 1") {
			t.Fatalf("accepting got %q", texts(ms))
		}
		if p := e.status(citra.user.ID, "angkatan-2"); p.Status != store.StatusRegistered || p.Seat != 1 {
			t.Fatalf("Citra after accepting: %+v", p)
		}
		if ms := e.text(dewi.user, "/status"); !said(ms, "daftar tunggu urutan ke-1") {
			t.Errorf("Dewi moved up to %q, want position 1", texts(ms))
		}
	})

	t.Run("decline passes the seat on", func(t *testing.T) {
		seq := e.srv.LastSeq()
		e.act(budi.user, says("/status", "kursi nomor 2"))
		e.act(budi.user, presses("Batalkan pendaftaran", "Yakin"))
		e.act(budi.user, presses("Batalkan pendaftaran", "sudah dibatalkan"))
		offer := e.waitFor(seq, dewi.user.ID, "Ada kursi kosong")
		seq = e.srv.LastSeq()
		ms := e.step(dewi.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(dewi.user, offer.MessageID, "Tolak"); return id })
		if !said(ms, "orang berikutnya") {
			t.Fatalf("declining got %q", texts(ms))
		}
		e.waitFor(seq, eka.user.ID, "Ada kursi kosong")
		if p := e.status(dewi.user.ID, "angkatan-2"); p.Status != store.StatusCancelled {
			t.Errorf("Dewi after declining: %+v", p)
		}
	})

	t.Run("an offer not taken in time passes on", func(t *testing.T) {
		seq := e.srv.LastSeq()
		clk.add(25 * time.Hour)
		e.bot.ExpireOffers()
		e.waitFor(seq, eka.user.ID, "sudah habis")
		offer := e.waitFor(seq, fitri.user.ID, "Ada kursi kosong")
		if p := e.status(eka.user.ID, "angkatan-2"); p.Status != store.StatusCancelled {
			t.Errorf("Eka after the expiry: %+v", p)
		}
		// Eka's old offer buttons do nothing now.
		var ekaOffer telegramtest.Message
		for _, m := range e.srv.SentTo(eka.user.ID) {
			if strings.Contains(m.Text, "Ada kursi kosong") {
				ekaOffer = m
			}
		}
		ms := e.step(eka.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(eka.user, ekaOffer.MessageID, "Terima"); return id })
		if tip, _ := toast(ms); !strings.Contains(tip, "tidak berlaku") {
			t.Errorf("pressing an expired offer got toast %q and %q", tip, texts(ms))
		}
		ms = e.step(fitri.user.ID, func() int64 { id, _ := e.srv.PressButtonIn(fitri.user, offer.MessageID, "Terima"); return id })
		if !said(ms, "kursi nomor 2") {
			t.Fatalf("Fitri accepting got %q", texts(ms))
		}
	})
	e.assertIdle()
}

func labelled(ms []telegramtest.Message, label string) bool {
	for _, m := range ms {
		for _, l := range labels(m) {
			if l == label {
				return true
			}
		}
	}
	return false
}

// Ensure that a deep link goes straight to its batch, and that a closed
// batch says so and points to the open one.
func TestBot_DeepLink(t *testing.T) {
	e := newEnv(t)
	third := e.course.Batches[1]
	third.ID, third.Name, third.Start = "angkatan-3", "Angkatan 3", third.Start.AddDate(0, 1, 0)
	e.course.Batches = append(e.course.Batches, third)
	e.start()
	siti := newPerson(201, "Siti Aminah")

	ms := e.text(siti.user, "/start angkatan-3")
	if !labelled(ms, "Daftar") {
		t.Fatalf("deep link: %q", texts(ms))
	}
	e.act(siti.user, presses("Daftar", "Persetujuan"))
	e.act(siti.user, presses("Setuju", "Pertanyaan 1 dari 6")) // no batch question
	if c, _ := e.conversation(siti.user.ID); c.Batch != "angkatan-3" {
		t.Errorf("batch %q, want angkatan-3", c.Batch)
	}

	budi := newPerson(202, "Budi Santoso")
	ms = e.text(budi.user, "/start angkatan-1")
	if !said(ms, "Angkatan 1 tidak menerima pendaftaran") || !labelled(ms, "Daftar") {
		t.Errorf("closed batch: %q", texts(ms))
	}
	e.act(budi.user, presses("Daftar", "Persetujuan"))
	if ms := e.press(budi.user, "Setuju"); !said(ms, "Pilih angkatan") || labelled(ms, "Angkatan 1") {
		t.Errorf("after a closed deep link the choice is %q", texts(ms))
	}
}

// Ensure that /dataku shows everything stored about the person, and that
// /hapusdata, after a confirmation, leaves nothing personal in the
// database file — not even in freed pages.
func TestBot_MyDataAndErase(t *testing.T) {
	e := startEnv(t)
	p := newPerson(301, "Rahayu Kusumawardani")
	p.phone = "+6285711223344"
	e.register(p)

	ms := e.text(p.user, "/dataku")
	for _, want := range []string{"Rahayu Kusumawardani", "+6285711223344", p.nik, "kursi nomor 1", "Persetujuan diberikan"} {
		if !said(ms, want) {
			t.Errorf("/dataku lacks %q: %q", want, texts(ms))
		}
	}

	e.act(p.user, says("/hapusdata", "Hapus semua data Anda?"))
	e.act(p.user, presses("Hapus data saya", "sudah dihapus"))
	if ps := e.participants(); len(ps) != 0 {
		t.Errorf("participants after erasure: %+v", ps)
	}
	if _, found := e.conversation(p.user.ID); found {
		t.Error("the conversation is still stored")
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Rahayu Kusumawardani", "6285711223344", p.nik} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the database file still contains %q", secret)
		}
	}
	e.start()
	if ms := e.text(p.user, "/status"); !said(ms, "belum terdaftar") {
		t.Errorf("status after erasure: %q", texts(ms))
	}
}

// Ensure that personal data of a batch is deleted once its retention
// period after the batch's end is over, leaving the anonymous counts, and
// that the file keeps none of it.
func TestBot_Retention(t *testing.T) {
	e, clk := waitEnv(t, 16)
	p := newPerson(401, "Wulan Retensi")
	e.register(p)
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	// Angkatan 2 ends 7 Feb 2027; 365 days later the data must go.
	clk.set(time.Date(2028, 2, 9, 9, 0, 0, 0, jakarta))
	e.start()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := e.logs.wait(ctx, "retention period over", 1); err != nil {
		t.Fatalf("no retention run: %v", err)
	}
	if ps := e.participants(); len(ps) != 0 {
		t.Errorf("participants after the retention period: %+v", ps)
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("Wulan Retensi")) {
		t.Error("the file still contains the name")
	}
	db := e.db
	err = db.View(func(tx *store.Tx) error {
		n, err := tx.SeatsTaken("angkatan-2")
		if err != nil || n != 1 {
			t.Errorf("anonymous seat count %d, %v; want 1 kept", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.start()
}

// Ensure that a button press from someone the bot never met — a stale or
// forged callback — is answered with a toast and stores nothing.
func TestBot_StrangerPress(t *testing.T) {
	e := startEnv(t)
	const stranger = 777001
	raw := rawUpdate(t, map[string]any{"callback_query": map[string]any{
		"id":            "stranger-1",
		"from":          map[string]any{"id": stranger, "is_bot": false, "first_name": "Asing"},
		"message":       map[string]any{"message_id": 1, "date": 1, "chat": map[string]any{"id": stranger, "type": "private"}, "text": "x"},
		"chat_instance": "1",
		"data":          "5:ok",
	}})
	// (The fake server does not know an injected query, so the toast the
	// bot answers with is refused there and not recorded.)
	if ms := sends(e.step(stranger, func() int64 { return e.srv.InjectUpdate(raw) })); len(ms) != 0 {
		t.Errorf("the bot sent %q", texts(ms))
	}
	if _, found := e.conversation(stranger); found {
		t.Error("a conversation was stored for a stranger's button press")
	}
}

// seatEnv is an env on a settable clock whose organiser is Rina, with
// extra batches after the config's two.
func seatEnv(t *testing.T, extra ...store.Batch) (*env, *clock) {
	t.Helper()
	e := newEnv(t)
	e.course.Batches = append(e.course.Batches, extra...)
	clk := newClock(fixedNow)
	e.opt = func(o *bot.Options) { o.Now = clk.now; o.Admins = []int64{rina.ID}; o.ClaimWindow = 24 * time.Hour }
	e.start()
	return e, clk
}

// batchAt is an open batch of 16 seats from 08:00 to 15:00, days long
// from start.
func batchAt(id, name string, start time.Time, days int) store.Batch {
	return store.Batch{ID: id, Name: name, Start: start, Days: days, Capacity: 16, DailyStart: "08:00", DailyEnd: "15:00", Open: true}
}

// toSummaryIn is toSummary by the deep link of batch: no batch choice.
func toSummaryIn(p person, batch string) []action {
	return append([]action{says("/start "+batch, "Selamat datang")}, toSummary(p)[1:]...)
}

// labelFor returns the label of ms's first button that starts with prefix.
func labelFor(t *testing.T, ms []telegramtest.Message, prefix string) string {
	t.Helper()
	for _, m := range ms {
		for _, l := range labels(m) {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
	}
	t.Fatalf("no button %q… in %q", prefix, texts(ms))
	return ""
}

// Ensure that Konfirmasi pressed at a summary shown before /tutup, or
// before the batch started, takes no seat: the seat's own transaction
// refuses it, the person is told why and shown what is still open, with
// their answers kept when another batch is.
func TestBot_ConfirmRefused(t *testing.T) {
	closeBatch := func(e *env, id string) {
		e.text(rina, "/tutup "+id)
		e.press(rina, "Ya, tutup")
	}
	t.Run("after /tutup, nothing else open", func(t *testing.T) {
		e, _ := seatEnv(t)
		e.script(siti.user, toSummary(siti))
		closeBatch(e, "angkatan-2")
		ms := e.press(siti.user, "Konfirmasi")
		if said(ms, "Pendaftaran berhasil") || !said(ms, "pendaftaran Angkatan 2 baru saja ditutup") ||
			!said(ms, "belum ada angkatan yang membuka pendaftaran") {
			t.Fatalf("Konfirmasi after /tutup got %q", texts(ms))
		}
		if p := e.status(siti.user.ID, "angkatan-2"); p.Status != "" {
			t.Fatalf("a seat was taken after /tutup: %+v", p)
		}
	})
	t.Run("after /tutup, another batch open", func(t *testing.T) {
		e, _ := seatEnv(t, batchAt("angkatan-4", "Angkatan 4", time.Date(2027, 3, 1, 0, 0, 0, 0, jakarta), 5))
		e.script(siti.user, toSummaryIn(siti, "angkatan-2"))
		closeBatch(e, "angkatan-2")
		ms := e.press(siti.user, "Konfirmasi")
		if said(ms, "Pendaftaran berhasil") || !said(ms, "baru saja ditutup") || !said(ms, "Jawaban Anda tetap tersimpan") {
			t.Fatalf("Konfirmasi after /tutup got %q", texts(ms))
		}
		e.act(siti.user, presses(labelFor(t, ms, "Angkatan 4 ·"), "Periksa kembali data Anda"))
		ms = e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
		if !said(ms, "Angkatan 4") {
			t.Errorf("registered in %q, want Angkatan 4", texts(ms))
		}
		if p := e.status(siti.user.ID, "angkatan-4"); p.Status != store.StatusRegistered || p.Answers["name"] != siti.name {
			t.Errorf("Siti in Angkatan 4: %+v", p)
		}
	})
	t.Run("after the start", func(t *testing.T) {
		e, clk := seatEnv(t)
		e.script(siti.user, toSummary(siti))
		clk.set(time.Date(2027, 2, 1, 8, 0, 0, 0, jakarta))
		ms := e.press(siti.user, "Konfirmasi")
		if said(ms, "Pendaftaran berhasil") || !said(ms, "Angkatan 2 sudah dimulai") {
			t.Fatalf("Konfirmasi after the start got %q", texts(ms))
		}
		if p := e.status(siti.user.ID, "angkatan-2"); p.Status != "" {
			t.Fatalf("a seat was taken after the start: %+v", p)
		}
	})
}

// Ensure that a place on a waiting list blocks a batch whose dates
// overlap, as a seat does: /start does not offer it and says why.
func TestBot_OverlapWaiting(t *testing.T) {
	e, _ := seatEnv(t, batchAt("angkatan-2b", "Angkatan 2B", time.Date(2027, 2, 3, 0, 0, 0, 0, jakarta), 5))
	// The running bot reads the batches: change a copy, seen after the restart.
	e.course.Batches = slices.Clone(e.course.Batches)
	e.course.Batches[1].Capacity = 1
	e.restart()
	ana := newPerson(101, "Ana Lestari")
	e.script(ana.user, toSummaryIn(ana, "angkatan-2"))
	e.act(ana.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(siti.user, toSummaryIn(siti, "angkatan-2"))
	if ms := e.press(siti.user, "Konfirmasi"); !labelled(ms, "Masuk daftar tunggu") {
		t.Fatalf("Siti at a full batch got %q", texts(ms))
	}
	e.act(siti.user, presses("Masuk daftar tunggu", "urutan ke-1"))
	w := last(t, e.text(siti.user, "/start"))
	if slices.Contains(labels(w), "Daftar") || !strings.Contains(w.Text, "Jadwal Angkatan 2B bertabrakan dengan Angkatan 2") {
		t.Fatalf("/start while waiting in Angkatan 2: %q %q", w.Text, labels(w))
	}
}

// Ensure that /status with two registrations says on each button which
// batch it is for.
func TestBot_StatusTwoBatches(t *testing.T) {
	e := newEnv(t)
	e.course.Batches = append(e.course.Batches, batchAt("angkatan-4", "Angkatan 4", time.Date(2027, 3, 1, 0, 0, 0, 0, jakarta), 5))
	e.course.MaxBatchesPerPerson = 2 // one account in two batches of the course
	e.opt = func(o *bot.Options) {
		o.Now = newClock(fixedNow).now
		o.Admins = []int64{rina.ID}
		o.ClaimWindow = 24 * time.Hour
	}
	e.start()
	e.script(siti.user, toSummaryIn(siti, "angkatan-2"))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	e.script(siti.user, toSummaryIn(siti, "angkatan-4"))
	e.act(siti.user, presses("Konfirmasi", "Pendaftaran berhasil"))
	st := last(t, e.text(siti.user, "/status"))
	want := []string{
		"Ubah — Angkatan 2", "Batalkan pendaftaran — Angkatan 2",
		"Ubah — Angkatan 4", "Batalkan pendaftaran — Angkatan 4",
		"Hapus data saya",
	}
	if !slices.Equal(labels(st), want) {
		t.Fatalf("/status buttons %q, want %q", labels(st), want)
	}
	e.act(siti.user, presses("Batalkan pendaftaran — Angkatan 4", "Angkatan 4"))
	e.act(siti.user, presses("Batalkan pendaftaran", "sudah dibatalkan"))
	if p := e.status(siti.user.ID, "angkatan-4"); p.Status != store.StatusCancelled {
		t.Errorf("Angkatan 4 after cancelling: %+v", p)
	}
	if p := e.status(siti.user.ID, "angkatan-2"); p.Status != store.StatusRegistered {
		t.Errorf("Angkatan 2 after cancelling Angkatan 4: %+v", p)
	}
	if st := last(t, e.text(siti.user, "/status")); !slices.Equal(labels(st), []string{"Ubah", "Batalkan pendaftaran", "Hapus data saya"}) {
		t.Errorf("/status with one registration: %q", labels(st))
	}
}
