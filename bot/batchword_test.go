package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/bot"
	"github.com/daftar-bot/daftar/store"
)

// Ensure that a course's batch_word replaces the generic word for a
// batch in what people and organisers read: /start when nothing is open,
// the batch choice, the summary, the consent text, the organisers'
// choices; and that English uses it too.
func TestBot_BatchWord(t *testing.T) {
	e := newEnv(t)
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID} }
	e.course.BatchWord = "Gelombang"
	e.course.Batches[1].Open = false
	e.start()
	u := siti.user

	none := last(t, e.text(u, "/start"))
	if !strings.Contains(none.Text, "belum ada gelombang yang membuka pendaftaran. Pengumuman gelombang berikutnya") || strings.Contains(none.Text, "angkatan") {
		t.Errorf("/start with nothing open: %q", none.Text)
	}
	if got := last(t, e.text(u, "/status")); strings.Contains(strings.ToLower(got.Text), "angkatan") {
		t.Errorf("/status: %q", got.Text)
	}
	for _, cmd := range []string{"/peserta", "/absen", "/buka", "/tutup"} {
		got := last(t, e.text(rina, cmd))
		if !strings.Contains(got.Text, "gelombang mana?") {
			t.Errorf("%s: %q", cmd, got.Text)
		}
	}
	if got := last(t, e.text(u, "/sertifikat")); !strings.Contains(got.Text, "belum terdaftar di gelombang mana pun") {
		t.Errorf("/sertifikat of nobody registered: %q", got.Text)
	}
	if got := last(t, e.text(rina, "/peserta angkatan-9")); !strings.Contains(got.Text, "Gelombang angkatan-9 tidak dikenal") {
		t.Errorf("/peserta of an unknown batch: %q", got.Text)
	}

	open := newEnv(t)
	open.course.BatchWord = "Gelombang"
	open.start()
	open.act(u, says("/start", "Selamat datang"))
	consent := texts(open.act(u, presses("Daftar", "Persetujuan penggunaan data pribadi")))
	if text := strings.Join(consent, "\n"); !strings.Contains(text, "setelah gelombang Anda selesai") {
		t.Errorf("consent: %q", text)
	}
}

// Ensure that the notice of an expired seat offer, a refusal that comes
// by the outbox, names the organisers' contact when the course sets one.
func TestBot_OfferExpiredContact(t *testing.T) {
	e := newEnv(t)
	e.course.Batches[1].Capacity = 1
	e.course.Contact = "WhatsApp 0812-3456-7890"
	clk := newClock(fixedNow)
	e.opt = func(o *bot.Options) { o.Now = clk.now; o.ClaimWindow = 24 * time.Hour }
	e.start()
	ana, citra := newPerson(101, "Ana Lestari"), newPerson(103, "Citra Dewi")
	e.register(ana)
	if ms := e.register(citra); !said(ms, "sudah penuh") || !said(ms, "Hubungi panitia: WhatsApp 0812-3456-7890") {
		t.Fatalf("a full batch: %q", texts(ms))
	}
	e.press(citra.user, "Masuk daftar tunggu")
	seq := e.srv.LastSeq()
	e.act(ana.user, says("/status", "kursi nomor 1"))
	e.act(ana.user, presses("Batalkan pendaftaran", "Yakin ingin membatalkan"))
	e.act(ana.user, presses("Batalkan pendaftaran", "sudah dibatalkan"))
	e.waitFor(seq, citra.user.ID, "Ada kursi kosong")
	seq = e.srv.LastSeq()
	clk.add(25 * time.Hour)
	e.bot.ExpireOffers()
	if m := e.waitFor(seq, citra.user.ID, "sudah habis"); !strings.Contains(m.Text, "Hubungi panitia: WhatsApp 0812-3456-7890") {
		t.Errorf("expired offer: %q", m.Text)
	}
}

// Ensure that the command menus name a batch by the courses' word when
// the courses a menu is for share one: the welding organiser's says
// "gelombang" (in /buka's line and in /daftarkan's), the sewing
// organiser's and that of telegram.admins (both courses, two words) the
// language's own.
func TestBatchWord_Menus(t *testing.T) {
	e := newEnv(t)
	e.course.ID, e.course.Admins = "menjahit", []int64{joko.ID}
	welding := weldingCourse()
	welding.BatchWord = "Gelombang"
	e.more = []store.Course{welding}
	e.opt = func(o *bot.Options) { o.Admins = []int64{rina.ID} }
	e.start()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	// 3 languages × (participants + 3 organisers).
	if err := e.srv.WaitRequests(ctx, "setMyCommands", 12); err != nil {
		t.Fatal(err)
	}
	e.orgWaitFor("menus stored", wait, func() bool { return len(e.srv.Commands()) == 12 })
	for sc, cmds := range e.srv.Commands() {
		if sc.Type != "chat" || sc.LanguageCode == "en" {
			continue
		}
		var open, enrol string
		for _, c := range cmds {
			switch c.Command {
			case "buka":
				open = c.Description
			case "daftarkan":
				enrol = c.Description
			}
		}
		want, wantEnrol := "Buka pendaftaran angkatan", "(/daftarkan angkatan)"
		if sc.ChatID == lala.ID {
			want, wantEnrol = "Buka pendaftaran gelombang", "(/daftarkan gelombang)"
		}
		if !strings.HasPrefix(open, want) {
			t.Errorf("menu of %+v: /buka %q, want %q…", sc, open, want)
		}
		if !strings.HasSuffix(enrol, wantEnrol) {
			t.Errorf("menu of %+v: /daftarkan %q, want …%q", sc, enrol, wantEnrol)
		}
	}
}
